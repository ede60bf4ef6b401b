/** The installation's identity row. */
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { InstanceEntity } from './instance.entity';

@Injectable()
export class InstanceRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The first instance created on this database, if any. */
  first(): Promise<InstanceEntity | null> {
    return this.dataSource.manager.findOne(InstanceEntity, {
      where: {},
      order: { createdAt: 'ASC' },
    });
  }

  /** Creates the instance, written by `version`. */
  create(version: string): Promise<InstanceEntity> {
    return this.dataSource.manager.save(
      this.dataSource.manager.create(InstanceEntity, { id: randomUUID(), version }),
    );
  }
}
