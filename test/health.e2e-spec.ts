/**
 * Health that counts records: a sync whose runs end while the same records fail run after run is
 * degraded, with the reason in words and one alert; once the records sync, it is healthy again and
 * one recovery alert follows. A sync whose vendor lost deletes it had not read is degraded until a
 * full refresh finds the records that are gone.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { memoryBackendNamed } from '../connectors/memory';
import { startTestApp, type TestApp } from './support/app';
import { createMemoryContactsSync, json, runSyncNow, until } from './support/api-helpers';

interface SyncHealthBody {
  health: { status: string; reason: string | null; consecutiveFailures: number };
}

describe('sync health', () => {
  let app: TestApp;
  let server: Server;
  const received: Array<{ syncline: { event: string; reason?: string; after?: string } }> = [];
  const stores = { left: `hl-left-${randomUUID()}`, right: `hl-right-${randomUUID()}` };
  /** Alerts are sent after the health they tell of is saved: waits for the first `count`. */
  const alertsAtLeast = (count: number): Promise<true> =>
    until(`${String(count)} alert(s)`, () =>
      Promise.resolve(received.length >= count ? true : undefined),
    );

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as (typeof received)[0]);
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    app = await startTestApp({ SYNCLINE_ALERT_WEBHOOK_ALLOW_PRIVATE: 'true' });
  });

  afterAll(async () => {
    await app.stop();
    server.closeAllConnections();
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  });

  it('is degraded while the same records fail run after run, and healthy once they sync', async () => {
    memoryBackendNamed(stores.left).seed('contacts', [
      { id: 'ann', fields: { email: 'ann@example.com', firstname: 'Ann' } },
      { id: 'bob', fields: { email: 'bob@example.com', firstname: 'Bob' } },
    ]);
    const lift = memoryBackendNamed(stores.right).faults.rejectRecords((operation) =>
      operation.fields['Email'] === 'bob@example.com'
        ? { code: 'locked', message: 'row locked', retryable: true }
        : undefined,
    );
    const port = (server.address() as AddressInfo).port;
    const syncId = await createMemoryContactsSync(app, stores, {
      name: `Health ${randomUUID().slice(0, 8)}`,
      direction: 'left_to_right',
      alerts: { webhookUrl: `http://127.0.0.1:${String(port)}/hook` },
    });
    const health = async (): Promise<SyncHealthBody['health']> =>
      (await json<SyncHealthBody>(app.request(`/api/v1/syncs/${syncId}`))).health;
    // A run's outcome reaches its sync's health just after the run shows its end.
    const healthOnce = (status: string): Promise<SyncHealthBody['health']> =>
      until(`the sync to be ${status}`, async () => {
        const now = await health();
        return now.status === status ? now : undefined;
      });

    expect((await runSyncNow(app, syncId)).status).toBe('partial');
    // One partial run is a bad record once, not yet a pattern.
    expect(await health()).toMatchObject({ status: 'healthy', reason: null });

    // Bob fails again on the retry of the next run (made due at once).
    await app.request(`/api/v1/syncs/${syncId}/failed-records/retry`, {
      method: 'POST',
      body: '{}',
    });
    const second = await runSyncNow(app, syncId);
    expect(second.status).toBe('partial');
    expect(await healthOnce('degraded')).toEqual({
      status: 'degraded',
      consecutiveFailures: 0,
      retryAt: null,
      reason:
        '1 record failed in the last run and 1 record in the one before; 1 waiting for a retry, 0 given up',
    });
    await alertsAtLeast(1);
    expect(received.map((alert) => alert.syncline.event)).toEqual(['degraded']);

    lift();
    await app.request(`/api/v1/syncs/${syncId}/failed-records/retry`, {
      method: 'POST',
      body: '{}',
    });
    expect((await runSyncNow(app, syncId)).status).toBe('succeeded');
    expect(await healthOnce('healthy')).toMatchObject({ status: 'healthy', reason: null });
    await alertsAtLeast(2);
    expect(received.map((alert) => [alert.syncline.event, alert.syncline.after])).toEqual([
      ['degraded', undefined],
      ['recovered', 'degraded'],
    ]);
  });

  it('is degraded while deletes the vendor lost are not reconciled, and healthy after a full refresh', async () => {
    received.length = 0;
    const lost = { left: `hl-left-${randomUUID()}`, right: `hl-right-${randomUUID()}` };
    const left = memoryBackendNamed(lost.left);
    left.seed('contacts', [
      { id: 'ann', fields: { email: 'ann@example.com', firstname: 'Ann' } },
      { id: 'bob', fields: { email: 'bob@example.com', firstname: 'Bob' } },
    ]);
    const port = (server.address() as AddressInfo).port;
    const syncId = await createMemoryContactsSync(app, lost, {
      name: `Lost deletes ${randomUUID().slice(0, 8)}`,
      direction: 'left_to_right',
      deletePolicy: 'propagate',
      alerts: { webhookUrl: `http://127.0.0.1:${String(port)}/hook` },
    });
    const health = async (): Promise<SyncHealthBody['health']> =>
      (await json<SyncHealthBody>(app.request(`/api/v1/syncs/${syncId}`))).health;
    const healthOnce = (status: string): Promise<SyncHealthBody['health']> =>
      until(`the sync to be ${status}`, async () => {
        const now = await health();
        return now.status === status ? now : undefined;
      });
    const emails = (): unknown[] =>
      memoryBackendNamed(lost.right)
        .all('Contact')
        .map((record) => record.fields['Email']);
    expect((await runSyncNow(app, syncId)).status).toBe('succeeded');
    expect(emails()).toEqual(['ann@example.com', 'bob@example.com']);

    // Ann is deleted and the recycle bin emptied before the sync reads again.
    left.remove('contacts', 'ann');
    left.emptyRecycleBin('contacts');
    expect((await runSyncNow(app, syncId)).status).toBe('succeeded');
    const degraded = await healthOnce('degraded');
    expect(degraded.status).toBe('degraded');
    expect(degraded.reason).toMatch(
      new RegExp(
        `^Deletes on left \\(contacts\\) between .+ may be lost: the recycle bin was emptied\\. A full refresh \\(POST /api/v1/syncs/${syncId}/runs with \\{"fullRefresh": true\\}\\) finds the records that are gone\\.$`,
      ),
    );
    expect(emails()).toEqual(['ann@example.com', 'bob@example.com']);
    await alertsAtLeast(1);
    expect(received.map((alert) => [alert.syncline.event, alert.syncline.reason])).toEqual([
      ['degraded', degraded.reason],
    ]);

    const full = await runSyncNow(app, syncId, { fullRefresh: true });
    expect(full).toMatchObject({ status: 'succeeded', fullRefresh: true });
    expect(emails()).toEqual(['bob@example.com']);
    expect(await healthOnce('healthy')).toMatchObject({ status: 'healthy', reason: null });
    await alertsAtLeast(2);
    expect(received.map((alert) => [alert.syncline.event, alert.syncline.after])).toEqual([
      ['degraded', undefined],
      ['recovered', 'degraded'],
    ]);
  });
});
