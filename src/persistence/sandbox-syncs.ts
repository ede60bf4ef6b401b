/**
 * The sandbox's syncs: those whose two connections are sandbox connections. The emulators are in
 * memory and seeded afresh at each start while the database persists, so what those syncs
 * remember of the emulators' records (links, cursors, failed records, conflicts) is dropped at
 * start, and their first run re-links the records by their match rule.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface SandboxSync {
  id: string;
  name: string;
}

@Injectable()
export class SandboxSyncs {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(): Promise<SandboxSync[]> {
    return this.dataSource.query<SandboxSync[]>(
      `SELECT s."id", s."name" FROM "syncs" s
         JOIN "connections" l ON l."id" = s."left_connection_id"
         JOIN "connections" r ON r."id" = s."right_connection_id"
        WHERE l."sandbox" AND r."sandbox"
        ORDER BY s."name"`,
    );
  }

  /** Enabled syncs using any of the named connections (the sandbox's own). */
  async enabledUsing(connectionNames: string[]): Promise<SandboxSync[]> {
    return this.dataSource.query<SandboxSync[]>(
      `SELECT DISTINCT s."id", s."name" FROM "syncs" s
         JOIN "connections" c ON c."id" IN (s."left_connection_id", s."right_connection_id")
        WHERE s."enabled" AND c."sandbox" AND c."name" = ANY($1)
        ORDER BY s."name"`,
      [connectionNames],
    );
  }

  /**
   * Forgets the emulators' previous records: links, cursors, failed records and conflicts; ends
   * the runs left unfinished (they read emulators that are gone) and clears the failure streak.
   * Run history and sync logs stay.
   */
  async reset(): Promise<SandboxSync[]> {
    const syncs = await this.list();
    if (syncs.length === 0) return syncs;
    const ids = syncs.map((sync) => sync.id);
    await this.dataSource.transaction(async (manager) => {
      for (const table of ['record_links', 'sync_cursors', 'failed_records', 'conflicts'])
        await manager.query(`DELETE FROM "${table}" WHERE "sync_id" = ANY($1)`, [ids]);
      await manager.query(
        `UPDATE "sync_runs"
            SET "status" = 'cancelled', "finished_at" = now(), "lease_expires_at" = NULL,
                "error" = 'The sandbox was reset at start'
          WHERE "sync_id" = ANY($1) AND "status" IN ('queued', 'running')`,
        [ids],
      );
      await manager.query(
        `UPDATE "syncs"
            SET "retry_at" = NULL, "webhook_due_at" = NULL, "consecutive_failures" = 0,
                "health" = 'healthy'
          WHERE "id" = ANY($1)`,
        [ids],
      );
    });
    return syncs;
  }

  /** Makes the scheduled sandbox syncs due now, so that their first run starts at the next tick. */
  async dueNow(): Promise<SandboxSync[]> {
    const syncs = await this.list();
    if (syncs.length === 0) return [];
    // An UPDATE answers [rows, count] through TypeORM.
    const [due] = await this.dataSource.query<[SandboxSync[], number]>(
      `UPDATE "syncs" SET "next_run_at" = now()
        WHERE "id" = ANY($1) AND "enabled" AND "schedule" IS NOT NULL
        RETURNING "id", "name"`,
      [syncs.map((sync) => sync.id)],
    );
    return due;
  }
}
