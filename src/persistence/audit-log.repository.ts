/** The queries on the audit log. */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { ApiKeyEntity } from './api-key.entity';
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

  /** The newest `limit` entries about one kind of target, or one target, with their keys' names. */
  async newest(filter: {
    targetType?: string;
    targetId?: string;
    limit: number;
  }): Promise<Array<AuditLogEntity & { apiKeyName: string | null }>> {
    const rows = await this.dataSource.manager.find(AuditLogEntity, {
      where: {
        ...(filter.targetType === undefined ? {} : { targetType: filter.targetType }),
        ...(filter.targetId === undefined ? {} : { targetId: filter.targetId }),
      },
      order: { id: 'DESC' },
      take: filter.limit,
    });
    const ids = [...new Set(rows.flatMap((row) => (row.apiKeyId === null ? [] : [row.apiKeyId])))];
    const keys =
      ids.length === 0
        ? []
        : await this.dataSource.manager.find(ApiKeyEntity, {
            where: { id: In(ids) },
            select: { id: true, name: true },
          });
    const names = new Map(keys.map((key) => [key.id, key.name]));
    return rows.map((row) =>
      Object.assign(row, {
        apiKeyName: row.apiKeyId === null ? null : (names.get(row.apiKeyId) ?? null),
      }),
    );
  }
}
