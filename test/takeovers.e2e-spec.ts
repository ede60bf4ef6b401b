/**
 * A run whose workers keep dying or hanging (issue 24: a mapping that took the process down took
 * each replica down in turn after its lease expired) is failed after three takeovers, with the
 * reason, instead of being handed to yet another worker.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RunExecutor } from '../src/runs/run-executor';
import { startTestApp, type TestApp } from './support/app';
import { createMemoryContactsSync, json, until, type RunBody } from './support/api-helpers';

describe('a run taken over again and again', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ SYNCLINE_TICK_SECONDS: '1' });
  });

  afterAll(async () => {
    await app.stop();
  });

  async function abandonedRun(syncId: string, takeovers: number): Promise<string> {
    const id = randomUUID();
    // Running on a worker that is gone: its lease expired a minute ago.
    await app.running.app.get(DataSource).query(
      `INSERT INTO "sync_runs" ("id", "sync_id", "trigger", "status", "started_at", "worker_id",
                                "lease_expires_at", "heartbeat_at", "takeovers")
       VALUES ($1, $2, 'manual', 'running', now() - interval '5 minutes', 'gone:1:dead',
               now() - interval '1 minute', now() - interval '2 minutes', $3)`,
      [id, syncId, takeovers],
    );
    await app.running.app.get(RunExecutor).send(syncId);
    return id;
  }

  async function ended(id: string): Promise<RunBody & { error: string | null }> {
    return until(`run ${id} to end`, async () => {
      const run = await json<RunBody & { error: string | null }>(app.request(`/api/v1/runs/${id}`));
      return run.status === 'running' || run.status === 'queued' ? undefined : run;
    });
  }

  it('fails the run on its fourth takeover, saying why', async () => {
    const syncId = await createMemoryContactsSync(
      app,
      { left: `to-left-${randomUUID()}`, right: `to-right-${randomUUID()}` },
      { name: 'Taken over three times', direction: 'left_to_right' },
    );
    const run = await ended(await abandonedRun(syncId, 3));
    expect(run.status).toBe('failed');
    expect(run.error).toBe(
      'Taken over 3 times: each worker holding this run died or stopped answering (the last was gone:1:dead), so it was failed rather than handed to another one',
    );
  });

  it('still takes over a run abandoned fewer times, and finishes it', async () => {
    const syncId = await createMemoryContactsSync(
      app,
      { left: `to2-left-${randomUUID()}`, right: `to2-right-${randomUUID()}` },
      { name: 'Taken over twice', direction: 'left_to_right' },
    );
    const run = await ended(await abandonedRun(syncId, 2));
    expect(run.status).toBe('succeeded');
  });
});
