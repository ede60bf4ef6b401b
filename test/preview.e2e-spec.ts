/**
 * Preview (dry run) through the API: planned creates, updates with field diffs and conflicts, on a
 * sample or on given records; nothing written to the vendors, nothing committed.
 */
import { randomUUID } from 'node:crypto';
import { memoryBackendNamed } from '../connectors/memory';
import { startTestApp, type TestApp } from './support/app';
import { apiKey, json, type ErrorBody, createMemoryContactsSync } from './support/api-helpers';

interface PreviewBody {
  problems: Array<{ path: string; problem: string }>;
  read: number;
  creates: Array<{ side: string; sourceId: string; fields: Record<string, unknown> }>;
  updates: Array<{
    side: string;
    id: string;
    sourceId: string;
    newLink: boolean;
    changes: Array<{ field: string; from: unknown; to: unknown }>;
  }>;
  conflicts: unknown[];
  skipped: unknown[];
  unchanged: number;
}

describe('preview', () => {
  let app: TestApp;
  let syncId: string;
  let viewerKey: string;
  const stores = { left: `pv-left-${randomUUID()}`, right: `pv-right-${randomUUID()}` };
  const left = memoryBackendNamed(stores.left);
  const right = memoryBackendNamed(stores.right);
  const ids = { ann: '', bob: '', cyd: '', annR: '' };

  beforeAll(async () => {
    app = await startTestApp();
    const [ann, bob, cyd] = left.seed('contacts', [
      { fields: { email: 'ann@example.com', firstname: 'Ann' } },
      { fields: { email: 'bob@example.com', firstname: 'Bob' } },
      { fields: { email: 'cyd@example.com', firstname: 'Cyd' } },
    ]);
    const [annR] = right.seed('Contact', [
      { fields: { Email: 'ANN@example.com', FirstName: 'Anne' } },
    ]);
    Object.assign(ids, { ann: ann.id, bob: bob.id, cyd: cyd.id, annR: annR.id });
    syncId = await createMemoryContactsSync(app, stores, {
      name: 'Preview',
      direction: 'left_to_right',
    });
    viewerKey = await apiKey(app, 'viewer');
  });

  afterAll(async () => {
    await app.stop();
  });

  function preview(body: unknown, key?: string): Promise<Response> {
    return app.request(`/api/v1/syncs/${syncId}/preview`, {
      method: 'POST',
      body: JSON.stringify(body),
      ...(key === undefined ? {} : { key }),
    });
  }

  it('plans creates and updates with field diffs, writing nothing and committing nothing', async () => {
    const writes = { left: left.calls.write, right: right.calls.write };
    const written = { left: left.writtenRecords, right: right.writtenRecords };
    const res = await preview({});
    expect(res.status).toBe(200);
    const body = await json<PreviewBody>(res);
    expect(body.problems).toEqual([]);
    expect(body.read).toBe(3);
    expect(body.creates.map((c) => [c.side, c.sourceId]).sort()).toEqual(
      [
        ['right', ids.bob],
        ['right', ids.cyd],
      ].sort(),
    );
    expect(body.creates.find((c) => c.sourceId === ids.bob)?.fields).toEqual({
      Email: 'bob@example.com',
      FirstName: 'Bob',
    });
    expect(body.updates).toEqual([
      {
        side: 'right',
        id: ids.annR,
        sourceId: ids.ann,
        newLink: true,
        changes: expect.arrayContaining([
          { field: 'FirstName', from: 'Anne', to: 'Ann' },
        ]) as unknown,
      },
    ]);
    expect(body.conflicts).toEqual([]);

    expect({ left: left.calls.write, right: right.calls.write }).toEqual(writes);
    expect({ left: left.writtenRecords, right: right.writtenRecords }).toEqual(written);
    expect(right.all('Contact')).toHaveLength(1);
    expect(right.getRecord('Contact', ids.annR)?.fields['FirstName']).toBe('Anne');
    // Nothing committed: no run, no sync log, and the same plan again.
    const runs = await json<{ items: unknown[] }>(app.request(`/api/v1/runs?syncId=${syncId}`));
    expect(runs.items).toEqual([]);
    const events = await json<{ items: unknown[] }>(app.request(`/api/v1/syncs/${syncId}/events`));
    expect(events.items).toEqual([]);
    expect(await json(preview({}))).toEqual(body);
  });

  it('previews a sample, or given records only', async () => {
    const sample = await json<PreviewBody>(preview({ sample: 1 }));
    expect(sample.read).toBe(1);
    const given = await json<PreviewBody>(preview({ recordIds: { left: [ids.cyd] } }));
    expect(given.read).toBe(1);
    expect(given.creates.map((c) => c.sourceId)).toEqual([ids.cyd]);
    expect(given.updates).toEqual([]);
  });

  it('answers 400 with field details, 401, 403 and 404', async () => {
    const bad = await preview({ sample: 0, recordIds: { left: 'x', middle: [] }, dryRun: false });
    expect(bad.status).toBe(400);
    expect((await json<ErrorBody>(bad)).error.details.map((d) => d.path).sort()).toEqual([
      'dryRun',
      'recordIds.left',
      'recordIds.left',
      'recordIds.middle',
      'sample',
    ]);
    expect((await preview({}, viewerKey)).status).toBe(403);
    expect(
      (await app.request(`/api/v1/syncs/${syncId}/preview`, { method: 'POST', key: null })).status,
    ).toBe(401);
    expect(
      (await app.request(`/api/v1/syncs/${randomUUID()}/preview`, { method: 'POST', body: '{}' }))
        .status,
    ).toBe(404);
  });
});
