import { Inject, Module, type DynamicModule, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { MeController } from './me.controller';

const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');

export interface AuthOptions {
  /** SYNCLINE_ADMIN_KEY, when set. */
  adminKey: string | undefined;
}

/** API keys, their roles, and the guard that makes every route but health need one. */
@Module({})
export class AuthModule implements OnApplicationBootstrap {
  constructor(
    private readonly keys: ApiKeysService,
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
  ) {}

  static forRoot(options: AuthOptions): DynamicModule {
    return {
      module: AuthModule,
      controllers: [ApiKeysController, MeController],
      providers: [
        ApiKeysService,
        { provide: AUTH_OPTIONS, useValue: options },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
      ],
      exports: [ApiKeysService],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.keys.ensureAdminKey(this.options.adminKey);
  }
}
