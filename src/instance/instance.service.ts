import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { InstanceEntity } from '../persistence/instance.entity';
import { InstanceRepository } from '../persistence/instance.repository';
import { SYNCLINE_VERSION } from '../version';

/** This installation's identity: created at first boot, found again on every restart. */
@Injectable()
export class InstanceService implements OnApplicationBootstrap {
  private readonly logger = new Logger(InstanceService.name);
  private current: InstanceEntity | undefined;

  constructor(private readonly instances: InstanceRepository) {}

  async onApplicationBootstrap(): Promise<void> {
    const existing = await this.instances.first();
    if (existing !== null) {
      this.current = existing;
      this.logger.log(
        `Syncline instance ${this.current.id}, created ${this.current.createdAt.toISOString()}`,
      );
      return;
    }
    this.current = await this.instances.create(SYNCLINE_VERSION);
    this.logger.log(`Syncline instance ${this.current.id} created on a new database`);
  }

  get id(): string | undefined {
    return this.current?.id;
  }
}
