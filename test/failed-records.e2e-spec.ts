/**
 * Failed records through the API: list with filters and pages, retry one or a set (with a run),
 * discard one or a set; the records end up (or not) in the target backend.
 */
import { randomUUID } from 'node:crypto';
import { memoryBackendNamed } from '../connectors/memory';
import { startTestApp, type TestApp } from './support/app';
import {
  apiKey,
  json,
  waitForRun,
  runSyncNow,
  type ErrorBody,
  type RunBody,
  createMemoryContactsSync,
} from './support/api-helpers';

interface FailedBody {
  syncId: string;
  side: string;
  recordId: string;
  attempts: number;
  errorCode: string;
  dead: boolean;
  nextAttemptAt: string;
}
interface FailedList {
  items: FailedBody[];
  nextCursor: string | null;
}

describe('failed records', () => {
  let app: TestApp;
  let syncId: string;
  let viewerKey: string;
  let ids: Record<'ann' | 'bob' | 'cyd' | 'dan', string>;
  let lift: () => void;
  const stores = { left: `fr-left-${randomUUID()}`, right: `fr-right-${randomUUID()}` };

  beforeAll(async () => {
    app = await startTestApp();
    const left = memoryBackendNamed(stores.left);
    const seeded = left.seed('contacts', [
      { fields: { email: 'ann@example.com', firstname: 'Ann' } },
      { fields: { email: 'bob@example.com', firstname: 'Bob' } },
      { fields: { email: 'cyd@example.com', firstname: 'Cyd' } },
      { fields: { email: 'dan@example.com', firstname: 'Dan' } },
    ]);
    ids = {
      ann: seeded[0]?.id ?? '',
      bob: seeded[1]?.id ?? '',
      cyd: seeded[2]?.id ?? '',
      dan: seeded[3]?.id ?? '',
    };
    // The right side refuses Ann, Bob and Cyd (Dan goes through).
    lift = memoryBackendNamed(stores.right).faults.rejectRecords((op) => {
      const email = op.fields['Email'];
      if (email === 'ann@example.com' || email === 'bob@example.com')
        return { code: 'invalid_value', message: 'Email: rejected', retryable: false };
      if (email === 'cyd@example.com')
        return { code: 'duplicate', message: 'Duplicate record', retryable: false };
      return undefined;
    });
    syncId = await createMemoryContactsSync(app, stores, {
      name: 'Failed records',
      direction: 'left_to_right',
      // Dead after the first failure: what the dead filter and a manual retry are for.
      maxAttempts: 1,
      // No re-read window: a discarded record is not read again until it changes.
      overlapMs: 0,
    });
    viewerKey = await apiKey(app, 'viewer');
    const run = await runSyncNow(app, syncId);
    expect(run).toMatchObject({ status: 'partial', counters: { failed: 3, created: 1 } });
  });

  afterAll(async () => {
    await app.stop();
  });

  it('lists the failed records of a sync and across syncs, with filters and pages', async () => {
    const all = await json<FailedList>(
      app.request(`/api/v1/syncs/${syncId}/failed-records`, { key: viewerKey }),
    );
    expect(all.items.map((f) => f.recordId).sort()).toEqual([ids.ann, ids.bob, ids.cyd].sort());
    expect(all.items[0]).toMatchObject({ syncId, side: 'left', attempts: 1, dead: true });
    expect(all.nextCursor).toBeNull();

    const invalid = await json<FailedList>(
      app.request(`/api/v1/syncs/${syncId}/failed-records?errorCode=invalid_value&side=left`),
    );
    expect(invalid.items.map((f) => f.recordId).sort()).toEqual([ids.ann, ids.bob].sort());
    const none = await json<FailedList>(
      app.request(`/api/v1/syncs/${syncId}/failed-records?side=right`),
    );
    expect(none.items).toEqual([]);
    const alive = await json<FailedList>(
      app.request(`/api/v1/syncs/${syncId}/failed-records?dead=false`),
    );
    expect(alive.items).toEqual([]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: FailedList = await json<FailedList>(
        app.request(
          `/api/v1/failed-records?syncId=${syncId}&limit=2${cursor === null ? '' : `&cursor=${cursor}`}`,
        ),
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((f) => f.recordId));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen.sort()).toEqual([ids.ann, ids.bob, ids.cyd].sort());
  });

  it('discards one failed record, then retries one, then discards the dead rest', async () => {
    const discard = await app.request(`/api/v1/failed-records/${syncId}/left/${ids.cyd}`, {
      method: 'DELETE',
    });
    expect(discard.status).toBe(204);
    const again = await app.request(`/api/v1/failed-records/${syncId}/left/${ids.cyd}`, {
      method: 'DELETE',
    });
    expect(again.status).toBe(404);
    expect((await json<ErrorBody>(again)).error.code).toBe('not_found');

    const before = Date.now();
    const retried = await app.request(`/api/v1/failed-records/${syncId}/left/${ids.ann}/retry`, {
      method: 'POST',
    });
    expect(retried.status).toBe(200);
    const ann = await json<FailedBody>(retried);
    expect(ann).toMatchObject({ recordId: ids.ann, dead: false });
    expect(Date.parse(ann.nextAttemptAt)).toBeLessThanOrEqual(Date.now() + 1000);
    expect(Date.parse(ann.nextAttemptAt)).toBeGreaterThanOrEqual(before - 60_000);

    const bulk = await app.request(`/api/v1/syncs/${syncId}/failed-records?dead=true`, {
      method: 'DELETE',
    });
    expect(bulk.status).toBe(200);
    expect(await json(bulk)).toEqual({ discarded: 1 });
    const left = await json<FailedList>(app.request(`/api/v1/syncs/${syncId}/failed-records`));
    expect(left.items.map((f) => f.recordId)).toEqual([ids.ann]);
  });

  it('retries the rest with a run: the record reaches the target, the discarded ones do not', async () => {
    lift();
    const res = await app.request(`/api/v1/syncs/${syncId}/failed-records/retry`, {
      method: 'POST',
      body: JSON.stringify({ errorCode: 'invalid_value', run: true }),
    });
    expect(res.status).toBe(200);
    const body = await json<{ retried: number; run: RunBody | null }>(res);
    expect(body.retried).toBe(1);
    expect(body.run).toMatchObject({ syncId, trigger: 'retry', retryOnly: true });
    const run = await waitForRun(app, body.run?.id ?? '');
    expect(run.status).toBe('succeeded');
    // That record only, by id: the sync's other records are not read again.
    expect(run.counters).toMatchObject({ read: 1, created: 1 });

    const emails = memoryBackendNamed(stores.right)
      .all('Contact')
      .map((r) => r.fields['Email'])
      .sort();
    expect(emails).toEqual(['ann@example.com', 'dan@example.com']);
    const rest = await json<FailedList>(app.request(`/api/v1/syncs/${syncId}/failed-records`));
    expect(rest.items).toEqual([]);

    const nothing = await app.request(`/api/v1/syncs/${syncId}/failed-records/retry`, {
      method: 'POST',
      body: JSON.stringify({}),
    });
    expect(await json(nothing)).toEqual({ retried: 0, run: null });
  });

  it('answers 400 with field details, 401, 403 and 404', async () => {
    const bad = await app.request(
      `/api/v1/syncs/${syncId}/failed-records?dead=maybe&side=middle&errorCode=oops`,
    );
    expect(bad.status).toBe(400);
    expect((await json<ErrorBody>(bad)).error.details.map((d) => d.path).sort()).toEqual([
      'dead',
      'errorCode',
      'side',
    ]);
    const badBody = await app.request(`/api/v1/syncs/${syncId}/failed-records/retry`, {
      method: 'POST',
      body: JSON.stringify({ run: 'yes', everything: true }),
    });
    expect(badBody.status).toBe(400);
    expect((await json<ErrorBody>(badBody)).error.details.map((d) => d.path).sort()).toEqual([
      'everything',
      'run',
    ]);
    expect((await app.request(`/api/v1/failed-records?cursor=not-a-cursor`)).status).toBe(400);
    expect(
      (await app.request(`/api/v1/failed-records/${syncId}/middle/x/retry`, { method: 'POST' }))
        .status,
    ).toBe(400);
    expect(
      (await app.request(`/api/v1/failed-records/not-a-uuid/left/x`, { method: 'DELETE' })).status,
    ).toBe(400);

    expect((await app.request('/api/v1/failed-records', { key: null })).status).toBe(401);

    for (const [method, path] of [
      ['POST', `/api/v1/failed-records/${syncId}/left/${ids.ann}/retry`],
      ['DELETE', `/api/v1/failed-records/${syncId}/left/${ids.ann}`],
      ['POST', `/api/v1/syncs/${syncId}/failed-records/retry`],
      ['DELETE', `/api/v1/syncs/${syncId}/failed-records`],
    ] as const) {
      const res = await app.request(path, {
        method,
        key: viewerKey,
        ...(method === 'POST' ? { body: '{}' } : {}),
      });
      expect(res.status).toBe(403);
      expect((await json<ErrorBody>(res)).error.code).toBe('forbidden');
    }

    expect((await app.request(`/api/v1/syncs/${randomUUID()}/failed-records`)).status).toBe(404);
    expect(
      (
        await app.request(`/api/v1/syncs/${randomUUID()}/failed-records/retry`, {
          method: 'POST',
          body: '{}',
        })
      ).status,
    ).toBe(404);
    expect(
      (await app.request(`/api/v1/failed-records/${syncId}/left/nobody/retry`, { method: 'POST' }))
        .status,
    ).toBe(404);
  });
});
