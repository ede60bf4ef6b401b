/**
 * Runs through the API: trigger, 409 while one runs, progress and counters, the sync log with
 * filters, one record's history, cancel.
 */
import { randomUUID } from 'node:crypto';
import { memoryBackendNamed } from '../connectors/memory';
import { startTestApp, type TestApp } from './support/app';
import { waitForRun, type ErrorBody, type RunBody } from './support/api-helpers';

interface EventsBody {
  items: Array<{
    id: string;
    action: string;
    side: string;
    leftId: string | null;
    rightId: string | null;
    errorCode: string | null;
    fields: string[];
  }>;
  nextCursor: string | null;
}

describe('runs and the sync log', () => {
  let app: TestApp;
  let syncId: string;
  let serviceKey: string;
  const stores = { left: `runs-left-${randomUUID()}`, right: `runs-right-${randomUUID()}` };

  beforeAll(async () => {
    app = await startTestApp();
    const left = memoryBackendNamed(stores.left);
    const right = memoryBackendNamed(stores.right);
    left.seed(
      'contacts',
      Array.from({ length: 30 }, (_, i) => ({
        fields: { email: `person${i}@example.com`, firstname: `Person ${i}` },
      })),
    );
    right.seed('Contact', [{ fields: { Email: 'PERSON0@example.com', FirstName: 'Old name' } }]);
    // Salesforce-like refusal of one record, to see a failure in the log.
    right.faults.rejectRecords((op) =>
      op.fields['Email'] === 'person7@example.com'
        ? {
            code: 'invalid_value',
            message: 'Email: invalid email address',
            retryable: false,
            fields: ['Email'],
          }
        : undefined,
    );
    const connection = async (name: string, store: string): Promise<string> =>
      (
        (await (
          await app.request('/api/v1/connections', {
            method: 'POST',
            body: JSON.stringify({ name, kind: 'memory', settings: { store, pageSize: 10 } }),
          })
        ).json()) as { id: string }
      ).id;
    const sync = await app.request('/api/v1/syncs', {
      method: 'POST',
      body: JSON.stringify({
        name: 'Memory contacts',
        left: {
          connectionId: await connection('L', stores.left),
          object: 'contacts',
          writeMode: 'upsert',
        },
        right: {
          connectionId: await connection('R', stores.right),
          object: 'Contact',
          writeMode: 'upsert',
        },
        direction: 'bidirectional',
        match: { left: 'email', right: 'Email', normalizer: 'email' },
        mappings: [
          { left: 'email', right: 'Email', direction: 'left_to_right' },
          { left: 'firstname', right: 'FirstName', direction: 'both' },
        ],
        defaultPolicy: 'left_wins',
      }),
    });
    syncId = ((await sync.json()) as { id: string }).id;
    const key = await app.request('/api/v1/api-keys', {
      method: 'POST',
      body: JSON.stringify({ name: 'airflow', role: 'service' }),
    });
    serviceKey = ((await key.json()) as { key: string }).key;
  });

  afterAll(async () => {
    await app.stop();
  });

  it('runs a sync triggered by a service key, with counters and a sync log', async () => {
    // The left vendor answers the run's first read with a 429 and Retry-After: 1.5 s, which the
    // connector waits out, so the run is certainly still running when the second trigger comes.
    memoryBackendNamed(stores.left).faults.failNextCalls('rate_limited', 1, {
      retryAfterMs: 1500,
      operation: 'read',
    });
    const res = await app.request(`/api/v1/syncs/${syncId}/runs`, {
      method: 'POST',
      key: serviceKey,
    });
    expect(res.status).toBe(202);
    const started = (await res.json()) as RunBody;
    expect(started).toMatchObject({ syncId, trigger: 'manual', status: 'queued' });

    const again = await app.request(`/api/v1/syncs/${syncId}/runs`, {
      method: 'POST',
      key: serviceKey,
    });
    expect(again.status).toBe(409);
    const body = (await again.json()) as {
      error: { code: string; details: Array<{ path: string; problem: string }> };
    };
    expect(body.error.code).toBe('run_in_progress');
    expect(body.error.details).toEqual([{ path: 'runId', problem: started.id }]);

    const run = await waitForRun(app, started.id, serviceKey);
    expect(run.status).toBe('partial');
    // 30 left records, then the right side's 29 (its own, and the 28 just written, read back
    // unchanged); person7 was refused by the right side.
    expect(run.counters).toMatchObject({ read: 59, created: 28, updated: 1, failed: 1 });
    expect(run.counters.apiCalls.right).toBeGreaterThan(0);

    // What a user would check in the target system.
    const right = memoryBackendNamed(stores.right).all('Contact');
    expect(right).toHaveLength(29);
    expect(right.some((r) => r.fields['Email'] === 'person7@example.com')).toBe(false);
    expect(right.find((r) => r.id.endsWith('-00000001'))?.fields).toEqual({
      Email: 'person0@example.com',
      FirstName: 'Person 0',
    });

    const failures = (await (
      await app.request(`/api/v1/runs/${run.id}/events?action=failed`, { key: serviceKey })
    ).json()) as EventsBody;
    expect(failures.items).toHaveLength(1);
    expect(failures.items[0]).toMatchObject({
      side: 'right',
      errorCode: 'invalid_value',
      rightId: null,
    });

    const byCode = (await (
      await app.request(`/api/v1/syncs/${syncId}/events?errorCode=invalid_value`)
    ).json()) as EventsBody;
    expect(byCode.items.map((e) => e.id)).toEqual(failures.items.map((e) => e.id));

    const page1 = (await (
      await app.request(`/api/v1/runs/${run.id}/events?limit=10`)
    ).json()) as EventsBody;
    expect(page1.items).toHaveLength(10);
    const page2 = (await (
      await app.request(`/api/v1/runs/${run.id}/events?limit=10&cursor=${page1.nextCursor ?? ''}`)
    ).json()) as EventsBody;
    expect(Number(page2.items[0]?.id)).toBeGreaterThan(Number(page1.items.at(-1)?.id));

    const failedLeftId = failures.items[0]?.leftId ?? '';
    const history = (await (
      await app.request(`/api/v1/syncs/${syncId}/records/left/${failedLeftId}`)
    ).json()) as EventsBody;
    expect(history.items.map((e) => e.action)).toEqual(['failed']);

    // A record's ids by its email (either side's value, without case); a failed create, never
    // linked, is found by the email it was read with.
    const found = (await (
      await app.request('/api/v1/records?email=Person0@Example.com', { key: serviceKey })
    ).json()) as { items: Array<{ syncId: string; leftId: string; rightId: string }> };
    expect(found.items).toHaveLength(1);
    expect(found.items[0]?.syncId).toBe(syncId);
    expect(found.items[0]?.rightId).toMatch(/-00000001$/);
    const unlinked = (await (
      await app.request('/api/v1/records?email=person7@example.com')
    ).json()) as { items: unknown[] };
    expect(unlinked.items).toEqual([
      { syncId, syncName: 'Memory contacts', leftId: expect.any(String) as unknown, rightId: null },
    ]);
    expect((await app.request('/api/v1/records')).status).toBe(400);

    const runs = (await (
      await app.request(`/api/v1/runs?syncId=${syncId}&status=partial`, { key: serviceKey })
    ).json()) as { items: RunBody[] };
    expect(runs.items.map((r) => r.id)).toContain(run.id);
  });

  it('makes no writes on a second run once converged, and cancels nothing that is over', async () => {
    const before = memoryBackendNamed(stores.right).calls.write;
    const res = await app.request(`/api/v1/syncs/${syncId}/runs`, { method: 'POST' });
    const run = await waitForRun(app, ((await res.json()) as RunBody).id, serviceKey);
    expect(run.counters.created + run.counters.updated).toBe(0);
    expect(memoryBackendNamed(stores.right).calls.write).toBe(before);
    const cancelled = await app.request(`/api/v1/runs/${run.id}/cancel`, { method: 'POST' });
    expect(cancelled.status).toBe(200);
    expect(((await cancelled.json()) as RunBody).status).toBe(run.status);
  });

  it('cancels a running run', async () => {
    // Held in its first read by a long Retry-After, the run is cancelled while it waits.
    const left = memoryBackendNamed(stores.left);
    const readsBefore = left.calls.read;
    left.faults.failNextCalls('rate_limited', 1, { retryAfterMs: 60_000, operation: 'read' });
    const res = await app.request(`/api/v1/syncs/${syncId}/runs`, { method: 'POST' });
    const started = (await res.json()) as RunBody;
    const deadline = Date.now() + 10_000;
    while (left.calls.read === readsBefore && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(left.calls.read).toBeGreaterThan(readsBefore);
    const cancelledAt = Date.now();
    const cancelled = await app.request(`/api/v1/runs/${started.id}/cancel`, {
      method: 'POST',
      key: serviceKey,
    });
    expect(cancelled.status).toBe(200);
    expect(((await cancelled.json()) as RunBody).status).toBe('cancelled');
    // It did not wait out the minute of Retry-After.
    expect(Date.now() - cancelledAt).toBeLessThan(30_000);
    // A new run can start at once.
    const next = await app.request(`/api/v1/syncs/${syncId}/runs`, { method: 'POST' });
    expect(next.status).toBe(202);
    expect((await waitForRun(app, ((await next.json()) as RunBody).id, serviceKey)).status).toBe(
      'succeeded',
    );
  });

  it('answers 403, 404 and 400 where it should', async () => {
    const viewer = await app.request('/api/v1/api-keys', {
      method: 'POST',
      body: JSON.stringify({ name: 'v', role: 'viewer' }),
    });
    const viewerKey = ((await viewer.json()) as { key: string }).key;
    expect(
      (await app.request(`/api/v1/syncs/${syncId}/runs`, { method: 'POST', key: viewerKey }))
        .status,
    ).toBe(403);
    expect(
      (await app.request(`/api/v1/syncs/${randomUUID()}/runs`, { method: 'POST' })).status,
    ).toBe(404);
    expect((await app.request(`/api/v1/runs/${randomUUID()}`)).status).toBe(404);
    expect((await app.request('/api/v1/runs?status=sleeping')).status).toBe(400);
    // Dates Postgres cannot read are refused here, not passed on to the query.
    for (const from of ['2026-W48', '2026-328', 'yesterday']) {
      const res = await app.request(`/api/v1/runs?from=${from}`);
      expect(res.status).toBe(400);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.details[0]?.path).toBe('from');
    }
    expect((await app.request('/api/v1/runs?from=2026-11-24T07:00:00Z')).status).toBe(200);
    expect((await app.request(`/api/v1/syncs/${syncId}/events?cursor=abc`)).status).toBe(400);
    expect((await app.request(`/api/v1/syncs/${syncId}/records/middle/x`)).status).toBe(400);
  });
});
