import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditLogRepository } from '../persistence/audit-log.repository';

export interface AuditEntry {
  id: string;
  at: string;
  apiKeyId: string | null;
  /** That key's name (null: Syncline itself, or a key since deleted). */
  apiKeyName: string | null;
  action: string;
  targetType: string;
  targetId: string;
  details: Record<string, unknown>;
}

/** Records each change with the key that made it; pass the transaction's manager to join it. */
@Injectable()
export class AuditService {
  constructor(private readonly entries: AuditLogRepository) {}

  async record(
    /** The API key that made the change (an authenticated caller); null: Syncline itself. */
    caller: { keyId: string } | null,
    action: string,
    target: { type: string; id: string },
    details: Record<string, unknown> = {},
    manager?: EntityManager,
  ): Promise<void> {
    await this.entries.insert(
      {
        apiKeyId: caller?.keyId ?? null,
        action,
        targetType: target.type,
        targetId: target.id,
        details,
      },
      manager,
    );
  }

  async list(filter: {
    targetType?: string;
    targetId?: string;
    limit: number;
  }): Promise<AuditEntry[]> {
    const rows = await this.entries.newest(filter);
    return rows.map((row) => ({
      id: row.id,
      at: row.at.toISOString(),
      apiKeyId: row.apiKeyId,
      apiKeyName: row.apiKeyName,
      action: row.action,
      targetType: row.targetType,
      targetId: row.targetId,
      details: row.details,
    }));
  }
}
