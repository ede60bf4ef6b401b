import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from './config/environment';
import { dataSourceOptions } from './database/data-source';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { ApiKeyThrottlerGuard, RATE_LIMIT_WINDOW_MS } from './common/throttle';
import { ConflictsModule } from './conflicts/conflicts.module';
import { ConnectionsModule } from './connections/connections.module';
import { FailedRecordsModule } from './failed-records/failed-records.module';
import { HealthModule } from './health/health.module';
import { InstanceModule } from './instance/instance.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { RunsModule } from './runs/runs.module';
import { SyncsModule } from './syncs/syncs.module';

export interface DatabaseTarget {
  url: string;
  embedded: boolean;
}

@Module({})
export class AppModule {
  /** The whole app for one configuration and one database (a server, or the embedded one). */
  static forRoot(config: AppConfig, database: DatabaseTarget, secretKey: Buffer): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggingModule.forRoot(config),
        TypeOrmModule.forRoot({
          ...dataSourceOptions(database.url, {
            poolSize: config.databasePoolSize,
            embedded: database.embedded,
          }),
          // Migrations run at start-up, before anything else touches the schema.
          migrationsRun: true,
          retryAttempts: 3,
          retryDelay: 1000,
        }),
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'default', ttl: RATE_LIMIT_WINDOW_MS, limit: config.apiRateLimit }],
        }),
        AuthModule.forRoot({ adminKey: config.adminKey }),
        ConnectionsModule.forRoot({ secretKey, allowSandbox: config.allowSandbox }),
        AuditModule,
        SyncsModule,
        RunsModule,
        FailedRecordsModule,
        ConflictsModule,
        HealthModule,
        MetricsModule,
        InstanceModule,
      ],
      providers: [{ provide: APP_GUARD, useClass: ApiKeyThrottlerGuard }],
    };
  }
}
