/**
 * Who last changed a sync's definition, from the audit log: the config applied at start asks it
 * before overwriting a sync (see src/sandbox/boot-config.ts).
 */
import type { DataSource } from 'typeorm';

export interface SyncChange {
  at: Date;
  /** `sync.created`, `sync.updated`, `sync.enabled`… */
  action: string;
  /** The API key that made it (null when the server did, or the key is gone). */
  keyName: string | null;
  keyRole: string | null;
}

/** The latest `sync.*` entry of the audit log for `syncId`, or undefined when there is none. */
export async function lastSyncChange(
  dataSource: DataSource,
  syncId: string,
): Promise<SyncChange | undefined> {
  const rows: Array<{ at: Date; action: string; name: string | null; role: string | null }> =
    await dataSource.query(
      `SELECT a.at, a.action, k.name, k.role
         FROM audit_log a LEFT JOIN api_keys k ON k.id = a.api_key_id
        WHERE a.target_type = 'sync' AND a.target_id = $1 AND a.action LIKE 'sync.%'
        ORDER BY a.id DESC LIMIT 1`,
      [syncId],
    );
  const row = rows.at(0);
  return row === undefined
    ? undefined
    : { at: new Date(row.at), action: row.action, keyName: row.name, keyRole: row.role };
}
