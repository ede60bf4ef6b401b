/** The queries on the audit log. */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditLogEntity } from './audit-log.entity';

@Injectable()
export class AuditLogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Adds an entry; in the transaction of `manager` when given. */
  async insert(
    entry: Pick<AuditLogEntity, 'apiKeyId' | 'action' | 'targetType' | 'targetId' | 'details'>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.save(manager.create(AuditLogEntity, entry));
  }

  /** The newest `limit` entries about one kind of target, or one target. */
  newest(filter: {
    targetType?: string;
    targetId?: string;
    limit: number;
  }): Promise<AuditLogEntity[]> {
    return this.dataSource.manager.find(AuditLogEntity, {
      where: {
        ...(filter.targetType === undefined ? {} : { targetType: filter.targetType }),
        ...(filter.targetId === undefined ? {} : { targetId: filter.targetId }),
      },
      order: { id: 'DESC' },
      take: filter.limit,
    });
  }
}
