/**
 * The sync log keeps SYNCLINE_LOG_RETENTION_DAYS: the pruning deletes older lines, in batches,
 * and keeps the rest (and the lines of a run still in the window).
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { memoryBackendNamed } from '../connectors/memory';
import { LogRetentionService } from '../src/runs/log-retention.service';
import { startTestApp, type TestApp } from './support/app';
import { createMemoryContactsSync, json, runSyncNow } from './support/api-helpers';

describe('sync log retention', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ SYNCLINE_LOG_RETENTION_DAYS: '30' });
  });

  afterAll(async () => {
    await app.stop();
  });

  it('deletes the lines older than the retention and keeps the others', async () => {
    const stores = { left: `lr-left-${randomUUID()}`, right: `lr-right-${randomUUID()}` };
    memoryBackendNamed(stores.left).seed('contacts', [
      { fields: { email: 'ann@example.com', firstname: 'Ann' } },
      { fields: { email: 'bob@example.com', firstname: 'Bob' } },
    ]);
    const syncId = await createMemoryContactsSync(app, stores, {
      name: 'Retained contacts',
      direction: 'left_to_right',
    });
    const run = await runSyncNow(app, syncId);
    const db = app.running.app.get(DataSource);
    // 25,000 lines of a run 40 days ago: more than two batches.
    await db.query(
      `INSERT INTO "record_events" ("run_id", "sync_id", "side", "left_id", "action", "at")
       SELECT $1, $2, 'right', 'old-' || n, 'created', now() - interval '40 days'
         FROM generate_series(1, 25000) AS n`,
      [run.id, syncId],
    );
    const count = async (): Promise<number> =>
      Number(
        (
          await db.query<Array<{ n: string }>>(
            `SELECT count(*) AS n FROM "record_events" WHERE "sync_id" = $1`,
            [syncId],
          )
        )[0]?.n,
      );
    expect(await count()).toBe(25_002);
    const deleted = await app.running.app.get(LogRetentionService).prune();
    expect(deleted).toBe(25_000);
    expect(await count()).toBe(2);
    const log = await json<{ items: Array<{ leftId: string }> }>(
      app.request(`/api/v1/syncs/${syncId}/events`),
    );
    expect(log.items).toHaveLength(2);
  });
});
