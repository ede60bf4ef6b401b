import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditLogEntity } from '../persistence/audit-log.entity';

export interface AuditEntry {
  id: string;
  at: string;
  apiKeyId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  details: Record<string, unknown>;
}

/** Records each change with the key that made it; pass the transaction's manager to join it. */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(
    /** The API key that made the change (an authenticated caller); null: Syncline itself. */
    caller: { keyId: string } | null,
    action: string,
    target: { type: string; id: string },
    details: Record<string, unknown> = {},
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.save(
      manager.create(AuditLogEntity, {
        apiKeyId: caller?.keyId ?? null,
        action,
        targetType: target.type,
        targetId: target.id,
        details,
      }),
    );
  }

  async list(filter: {
    targetType?: string;
    targetId?: string;
    limit: number;
  }): Promise<AuditEntry[]> {
    const rows = await this.dataSource.getRepository(AuditLogEntity).find({
      where: {
        ...(filter.targetType === undefined ? {} : { targetType: filter.targetType }),
        ...(filter.targetId === undefined ? {} : { targetId: filter.targetId }),
      },
      order: { id: 'DESC' },
      take: filter.limit,
    });
    return rows.map((row) => ({
      id: row.id,
      at: row.at.toISOString(),
      apiKeyId: row.apiKeyId,
      action: row.action,
      targetType: row.targetType,
      targetId: row.targetId,
      details: row.details,
    }));
  }
}
