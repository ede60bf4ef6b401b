/**
 * Scheduling in one process, on whichever database the suite runs on (the embedded one in CI's
 * second pass): schedules validated and shown with their next run, interval runs that never
 * overlap, failed runs retried with backoff until the sync is unhealthy, alerts to a webhook,
 * and scheduled runs waiting while a connection is past its API budget threshold.
 */
import { randomUUID } from 'node:crypto';
import { memoryBackendNamed } from '../connectors/memory';
import { startHubSpotEmulator, type HubSpotEmulator } from '../connectors/hubspot/emulator';
import {
  type AlertReceiver,
  type ReceivedAlert,
  startAlertReceiver,
} from './support/alert-receiver';
import { startTestApp, type TestApp } from './support/app';
import {
  createMemoryContactsSync,
  createSync,
  json,
  memoryConnection,
  runSyncNow,
  sleep,
  until,
  waitForRun,
  type ErrorBody,
} from './support/api-helpers';

interface SyncBody {
  id: string;
  version: number;
  schedule: Record<string, unknown> | null;
  nextRunAt: string | null;
  health: { status: string; consecutiveFailures: number; retryAt: string | null };
  alerts: { webhookUrl: string; failedRecordRate?: number; anomalyFactor?: number } | null;
}
interface RunItem {
  id: string;
  trigger: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  workerId: string | null;
}
type Alert = ReceivedAlert;

describe('scheduling (one process)', () => {
  let app: TestApp;
  let hubspot: HubSpotEmulator;
  let receiver: AlertReceiver;
  let receiverUrl = '';
  let alerts: Alert[] = [];

  beforeAll(async () => {
    app = await startTestApp({
      SYNCLINE_ALLOW_SANDBOX: 'true',
      // The alert receiver listens on the loopback interface.
      SYNCLINE_ALERT_WEBHOOK_ALLOW_PRIVATE: 'true',
      SYNCLINE_TICK_SECONDS: '1',
      SYNCLINE_RUN_RETRY_SECONDS: '1',
      SYNCLINE_UNHEALTHY_AFTER: '3',
    });
    hubspot = await startHubSpotEmulator();
    receiver = await startAlertReceiver();
    receiverUrl = receiver.url;
    alerts = receiver.received;
  });

  afterAll(async () => {
    await app.stop();
    await hubspot.close();
    await receiver.close();
  });

  const getSync = (id: string): Promise<SyncBody> =>
    json<SyncBody>(app.request(`/api/v1/syncs/${id}`));
  const runsOf = async (id: string): Promise<RunItem[]> =>
    (await json<{ items: RunItem[] }>(app.request(`/api/v1/runs?syncId=${id}&limit=100`))).items;
  const patchSync = async (id: string, body: Record<string, unknown>): Promise<Response> => {
    const { version } = await getSync(id);
    return app.request(`/api/v1/syncs/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ version, ...body }),
    });
  };

  it('validates a schedule and shows its next run', async () => {
    const stores = { left: `sv-l-${randomUUID()}`, right: `sv-r-${randomUUID()}` };
    const syncId = await createMemoryContactsSync(app, stores, {
      name: 'Scheduled in Paris',
      direction: 'left_to_right',
      schedule: { cron: '*/5 * * * *', timezone: 'Europe/Paris' },
    });
    const sync = await getSync(syncId);
    expect(sync.schedule).toEqual({ cron: '*/5 * * * *', timezone: 'Europe/Paris' });
    const next = new Date(sync.nextRunAt ?? '');
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(5 * 60 * 1000);
    expect(next.getUTCMinutes() % 5).toBe(0);
    expect(next.getUTCSeconds()).toBe(0);

    const cases: Array<[unknown, string]> = [
      [{ cron: '61 * * * *' }, 'schedule.cron'],
      [{ cron: 'every day' }, 'schedule.cron'],
      [{ cron: '* * * * *', timezone: 'Mars/Olympus_Mons' }, 'schedule.timezone'],
      [{ intervalSeconds: 0 }, 'schedule.intervalSeconds'],
      [{ intervalSeconds: 1.5 }, 'schedule.intervalSeconds'],
      [{ cron: '* * * * *', intervalSeconds: 60 }, 'schedule'],
      [{ every: '5m' }, 'schedule'],
    ];
    for (const [schedule, path] of cases) {
      const res = await patchSync(syncId, { schedule });
      expect(res.status).toBe(400);
      const body = await json<ErrorBody>(res);
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.details.map((d) => d.path)).toContain(path);
    }
    const badAlert = await patchSync(syncId, { alerts: { webhookUrl: 'ftp://example.com/x' } });
    expect(badAlert.status).toBe(400);
    expect((await json<ErrorBody>(badAlert)).error.details[0]?.path).toBe('alerts.webhookUrl');

    expect((await patchSync(syncId, { schedule: null })).status).toBe(200);
    expect(await getSync(syncId)).toMatchObject({ schedule: null, nextRunAt: null });
  });

  it('runs a sync on its interval, one run at a time, and stops while disabled', async () => {
    const stores = { left: `si-l-${randomUUID()}`, right: `si-r-${randomUUID()}` };
    memoryBackendNamed(stores.left).seed('contacts', [
      { fields: { email: 'ann@example.com', firstname: 'Ann' } },
    ]);
    const syncId = await createMemoryContactsSync(app, stores, {
      name: 'Every two seconds',
      direction: 'left_to_right',
      schedule: { intervalSeconds: 2 },
    });
    const runs = await until('three scheduled runs', async () => {
      const found = (await runsOf(syncId)).filter((run) => run.finishedAt !== null);
      return found.length >= 3 ? found : undefined;
    });
    for (const run of runs) expect(run).toMatchObject({ trigger: 'schedule', status: 'succeeded' });
    const ordered = [...runs].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    for (let i = 1; i < ordered.length; i++)
      expect(Date.parse(ordered[i]?.startedAt ?? '')).toBeGreaterThanOrEqual(
        Date.parse(ordered[i - 1]?.finishedAt ?? ''),
      );
    expect(
      memoryBackendNamed(stores.right)
        .all('Contact')
        .map((r) => r.fields.Email),
    ).toEqual(['ann@example.com']);
    expect(Date.parse((await getSync(syncId)).nextRunAt ?? '')).toBeGreaterThan(Date.now() - 1500);
    const metrics = await (await app.request('/metrics')).text();
    expect(metrics).toMatch(
      /^syncline_runs_finished_total\{status="succeeded",trigger="schedule"\} ([3-9]|\d{2,})$/m,
    );
    expect(metrics).toMatch(/^syncline_runs_active \d+$/m);

    const { version } = await getSync(syncId);
    const disabled = await app.request(`/api/v1/syncs/${syncId}/disable`, {
      method: 'POST',
      body: JSON.stringify({ version }),
    });
    expect(disabled.status).toBe(200);
    expect((await getSync(syncId)).nextRunAt).toBeNull();
    await sleep(1500); // a run queued just before disabling may still finish
    const before = (await runsOf(syncId)).length;
    await sleep(4000);
    expect((await runsOf(syncId)).length).toBe(before);
  });

  it('retries a failed run with backoff, marks the sync unhealthy, alerts, and recovers', async () => {
    hubspot.store.insert('contacts', { email: 'cy@example.com', firstname: 'Cy' });
    const res = await app.request('/api/v1/connections', {
      method: 'POST',
      body: JSON.stringify({
        name: 'HubSpot with a wrong token',
        kind: 'hubspot',
        sandbox: true,
        settings: { baseUrl: hubspot.url },
        secrets: { accessToken: 'pat-wrong' },
      }),
    });
    expect(res.status).toBe(201);
    const hubspotId = (await json<{ id: string }>(res)).id;
    const rightStore = `sr-r-${randomUUID()}`;
    const syncId = await createSync(app, {
      name: 'Failing then recovering',
      left: { connectionId: hubspotId, object: 'contacts', writeMode: 'upsert' },
      right: {
        connectionId: await memoryConnection(app, 'Recovering R', rightStore),
        object: 'Contact',
        writeMode: 'upsert',
      },
      direction: 'left_to_right',
      match: { left: 'email', right: 'Email', normalizer: 'email' },
      mappings: [
        { left: 'email', right: 'Email', direction: 'left_to_right' },
        { left: 'firstname', right: 'FirstName', direction: 'left_to_right' },
      ],
      alerts: { webhookUrl: receiverUrl },
    });
    expect((await getSync(syncId)).alerts).toEqual({
      webhookUrl: receiverUrl.replace(/\/hook.*$/, '/…'),
    });

    const first = await runSyncNow(app, syncId);
    expect(first.status).toBe('failed');
    const unhealthy = await until('three failed runs', async () => {
      const sync = await getSync(syncId);
      return sync.health.status === 'unhealthy' ? sync : undefined;
    });
    expect(unhealthy.health).toEqual({
      status: 'unhealthy',
      consecutiveFailures: 3,
      retryAt: null,
      reason: null,
    });
    const failedRuns = await runsOf(syncId);
    expect(failedRuns.map((run) => run.trigger).sort()).toEqual(['manual', 'retry', 'retry']);
    for (const run of failedRuns) expect(run.status).toBe('failed');
    // Unhealthy: no more early retries.
    await sleep(3000);
    expect(await runsOf(syncId)).toHaveLength(3);
    const mine = (): Alert[] => alerts.filter((alert) => alert.syncline.syncId === syncId);
    await until('two failure alerts', () => Promise.resolve(mine().length >= 2 ? true : undefined));
    expect(mine().map((alert) => [alert.syncline.event, alert.syncline.health])).toEqual([
      ['run_failed', 'failing'],
      ['run_failed', 'unhealthy'],
    ]);

    const fixed = await app.request(`/api/v1/connections/${hubspotId}`, {
      method: 'PATCH',
      body: JSON.stringify({ secrets: { accessToken: 'pat-emulator' } }),
    });
    expect(fixed.status).toBe(200);
    expect((await runSyncNow(app, syncId)).status).toBe('succeeded');
    expect((await getSync(syncId)).health).toEqual({
      status: 'healthy',
      consecutiveFailures: 0,
      retryAt: null,
      reason: null,
    });
    await until('a recovery alert', () => Promise.resolve(mine().length >= 3 ? true : undefined));
    expect(mine()[2]?.syncline.event).toBe('recovered');
    expect(mine()[2]?.text).toContain('recovered');
    expect(
      memoryBackendNamed(rightStore)
        .all('Contact')
        .map((r) => r.fields.Email),
    ).toContain('cy@example.com');
  });

  it('alerts when failed records pass the threshold, pauses their retries past the budget, and recovers', async () => {
    const stores = { left: `sf-l-${randomUUID()}`, right: `sf-r-${randomUUID()}` };
    memoryBackendNamed(stores.left).seed('contacts', [
      { fields: { email: 'eve@example.com', firstname: 'Eve' } },
      { fields: { email: 'fay@example.com', firstname: 'Fay' } },
    ]);
    const lift = memoryBackendNamed(stores.right).faults.rejectRecords((op) =>
      op.fields['Email'] === 'eve@example.com'
        ? { code: 'invalid_value', message: 'Email: rejected', retryable: true }
        : undefined,
    );
    const syncId = await createMemoryContactsSync(app, stores, {
      name: 'Too many failed records',
      direction: 'left_to_right',
      alerts: { webhookUrl: receiverUrl, failedRecordRate: 0.3 },
    });
    const mine = (): Alert[] => alerts.filter((alert) => alert.syncline.syncId === syncId);
    const first = await runSyncNow(app, syncId);
    expect(first).toMatchObject({ status: 'partial', counters: { read: 2, failed: 1 } });
    await until('a failed-records alert', () =>
      Promise.resolve(mine().length >= 1 ? true : undefined),
    );
    expect(mine()[0]?.syncline.event).toBe('failed_records');
    expect(mine()[0]?.text).toContain('1 of 2 records failed');

    // Past the budget: a retry run goes, but leaves the failed record alone.
    const { right } = await json<{ right: { connectionId: string } }>(
      app.request(`/api/v1/syncs/${syncId}`),
    );
    const setBudget = (dailyCallBudget: number | null): Promise<Response> =>
      app.request(`/api/v1/connections/${right.connectionId}`, {
        method: 'PATCH',
        body: JSON.stringify({ dailyCallBudget, budgetThreshold: 0.01 }),
      });
    expect((await setBudget(1)).status).toBe(200);
    const failedRecords = async (): Promise<Array<{ attempts: number }>> =>
      (
        await json<{ items: Array<{ attempts: number }> }>(
          app.request(`/api/v1/syncs/${syncId}/failed-records`),
        )
      ).items;
    const retry = async (): Promise<string> => {
      const res = await app.request(`/api/v1/syncs/${syncId}/failed-records/retry`, {
        method: 'POST',
        body: JSON.stringify({ run: true }),
      });
      expect(res.status).toBe(200);
      return (await json<{ run: { id: string } }>(res)).run.id;
    };
    lift();
    const paused = await waitForRun(app, await retry());
    expect(paused).toMatchObject({ trigger: 'retry', status: 'succeeded' });
    expect(await failedRecords()).toEqual([expect.objectContaining({ attempts: 1 })]);

    // Under budget again: the retry writes it, and the sync recovers.
    expect((await setBudget(null)).status).toBe(200);
    const retried = await waitForRun(app, await retry());
    expect(retried).toMatchObject({ status: 'succeeded', counters: { failed: 0 } });
    expect(await failedRecords()).toEqual([]);
    expect(
      memoryBackendNamed(stores.right)
        .all('Contact')
        .map((r) => r.fields.Email),
    ).toContain('eve@example.com');
    await until('a recovery alert', () => Promise.resolve(mine().length >= 2 ? true : undefined));
    expect(mine()[1]?.syncline.event).toBe('recovered');
  });

  it('alerts when a run creates far more records than usual, and keeps the history of alerts sent', async () => {
    const stores = { left: `sa-l-${randomUUID()}`, right: `sa-r-${randomUUID()}` };
    const people = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({
        fields: { email: `p${String(from + i)}@example.com`, firstname: `P${String(from + i)}` },
      }));
    memoryBackendNamed(stores.left).seed('contacts', people(0, 2));
    const syncId = await createMemoryContactsSync(app, stores, {
      name: 'Usually quiet',
      direction: 'left_to_right',
      alerts: { webhookUrl: receiverUrl, anomalyFactor: 5 },
    });
    const mine = (): Alert[] => alerts.filter((alert) => alert.syncline.syncId === syncId);
    for (const created of [2, 0, 0])
      expect(await runSyncNow(app, syncId)).toMatchObject({ counters: { created } });
    memoryBackendNamed(stores.left).seed('contacts', people(2, 60));
    const burst = await runSyncNow(app, syncId);
    expect(burst).toMatchObject({ status: 'succeeded', counters: { created: 60 } });
    await until('a record-count alert', () =>
      Promise.resolve(mine().length >= 1 ? true : undefined),
    );
    expect(mine().map((alert) => alert.syncline.event)).toEqual(['record_anomaly']);
    expect(mine()[0]?.text).toBe(':warning: Sync "Usually quiet" created 60 records (usually 0)');

    const history = await json<{ items: Array<Record<string, unknown>> }>(
      app.request(`/api/v1/syncs/${syncId}/alerts`),
    );
    expect(history.items).toEqual([
      {
        at: expect.any(String) as string,
        runId: burst.id,
        kind: 'record_anomaly',
        text: mine()[0]?.text,
        delivered: true,
        detail: `delivered to ${new URL(receiverUrl).host}`,
      },
    ]);
    // The URL is not in the history, nor is the token in its path.
    expect(JSON.stringify(history)).not.toContain('secret-token');

    // A threshold changed without the URL (the API only shows it masked) keeps the URL.
    const kept = await patchSync(syncId, { alerts: { anomalyFactor: 20 } });
    expect(kept.status).toBe(200);
    expect((await json<SyncBody>(kept)).alerts).toEqual({
      webhookUrl: `${new URL(receiverUrl).origin}/…`,
      anomalyFactor: 20,
    });
    const refused = await patchSync(syncId, { alerts: { anomalyFactor: 1 } });
    expect(refused.status).toBe(400);
    expect((await json<ErrorBody>(refused)).error.details).toEqual([
      {
        path: 'alerts.anomalyFactor',
        problem:
          "must be a number from 2 to 1000 (times a run's usual number of creates or deletes)",
      },
    ]);
    const unknown = await json<ErrorBody>(app.request(`/api/v1/syncs/${randomUUID()}/alerts`));
    expect(unknown.error.code).toBe('not_found');
  });

  it('holds scheduled runs past the API budget threshold, while manual runs still go', async () => {
    const stores = { left: `sb-l-${randomUUID()}`, right: `sb-r-${randomUUID()}` };
    memoryBackendNamed(stores.left).seed('contacts', [
      { fields: { email: 'dee@example.com', firstname: 'Dee' } },
    ]);
    const syncId = await createMemoryContactsSync(app, stores, {
      name: 'On a budget',
      direction: 'left_to_right',
    });
    const { left } = await json<{ left: { connectionId: string } }>(
      app.request(`/api/v1/syncs/${syncId}`),
    );
    const budget = await app.request(`/api/v1/connections/${left.connectionId}`, {
      method: 'PATCH',
      body: JSON.stringify({ dailyCallBudget: 2, budgetThreshold: 0.5 }),
    });
    expect(budget.status).toBe(200);
    expect(await json(budget)).toMatchObject({ dailyCallBudget: 2, budgetThreshold: 0.5 });
    expect((await runSyncNow(app, syncId)).status).toBe('succeeded');
    const usage = await json<{ calls: number; pastThreshold: boolean }>(
      app.request(`/api/v1/connections/${left.connectionId}/usage`),
    );
    expect(usage.calls).toBeGreaterThanOrEqual(1);
    expect(usage.pastThreshold).toBe(true);

    expect((await patchSync(syncId, { schedule: { intervalSeconds: 1 } })).status).toBe(200);
    await sleep(4000);
    expect((await runsOf(syncId)).map((run) => run.trigger)).toEqual(['manual']);
    // A manual run still goes.
    expect((await runSyncNow(app, syncId)).status).toBe('succeeded');

    const raised = await app.request(`/api/v1/connections/${left.connectionId}`, {
      method: 'PATCH',
      body: JSON.stringify({ dailyCallBudget: null }),
    });
    expect(raised.status).toBe(200);
    await until('a scheduled run once under budget', async () =>
      (await runsOf(syncId)).some((run) => run.trigger === 'schedule') ? true : undefined,
    );
  });
});
