import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { InstanceEntity } from '../database/instance.entity';
import { SYNCLINE_VERSION } from '../version';

/** This installation's identity: created at first boot, found again on every restart. */
@Injectable()
export class InstanceService implements OnApplicationBootstrap {
  private readonly logger = new Logger(InstanceService.name);
  private current: InstanceEntity | undefined;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    const repository = this.dataSource.getRepository(InstanceEntity);
    const existing = await repository.findOne({ where: {}, order: { createdAt: 'ASC' } });
    if (existing !== null) {
      this.current = existing;
      this.logger.log(
        `Syncline instance ${this.current.id}, created ${this.current.createdAt.toISOString()}`,
      );
      return;
    }
    this.current = await repository.save(
      repository.create({ id: randomUUID(), version: SYNCLINE_VERSION }),
    );
    this.logger.log(`Syncline instance ${this.current.id} created on a new database`);
  }

  get id(): string | undefined {
    return this.current?.id;
  }
}
