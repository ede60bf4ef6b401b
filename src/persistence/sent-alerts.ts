/**
 * The history of the alerts each sync sent or tried to send: what the console's alert list and
 * `GET /syncs/:id/alerts` show, pruned with the sync log.
 */
import type { DataSource } from 'typeorm';
import { SentAlertEntity } from './sent-alert.entity';

export interface SentAlert {
  syncId: string;
  runId: string | null;
  kind: string;
  text: string;
  delivered: boolean;
  detail: string;
}

/** Alerts kept per sync whatever the retention: enough for a page of history. */
export const SENT_ALERTS_PER_SYNC = 200;

export class SentAlerts {
  constructor(private readonly dataSource: DataSource) {}

  async record(alert: SentAlert): Promise<void> {
    await this.dataSource.getRepository(SentAlertEntity).insert(alert);
    // Alerts are rare (a state change, not every run), but a flapping sync must not grow this.
    await this.dataSource.query(
      `DELETE FROM "sent_alerts" WHERE "sync_id" = $1 AND "id" NOT IN (
         SELECT "id" FROM "sent_alerts" WHERE "sync_id" = $1 ORDER BY "id" DESC LIMIT $2
       )`,
      [alert.syncId, SENT_ALERTS_PER_SYNC],
    );
  }

  /** Newest first. */
  async list(syncId: string, limit: number): Promise<SentAlertEntity[]> {
    return this.dataSource.getRepository(SentAlertEntity).find({
      where: { syncId },
      order: { id: 'DESC' },
      take: limit,
    });
  }

  /** Deletes the alerts sent before `before`; returns how many. */
  async prune(before: Date): Promise<number> {
    const [, deleted] = await this.dataSource.query<[unknown, number]>(
      `DELETE FROM "sent_alerts" WHERE "at" < $1`,
      [before],
    );
    return deleted;
  }
}
