/**
 * Preview (dry run) through the API: planned creates, updates with field diffs and conflicts, on a
 * sample or on given records; nothing written to the vendors, nothing committed.
 */
import { randomUUID } from 'node:crypto';
import { memoryBackendNamed } from '../connectors/memory';
import { startTestApp, type TestApp } from './support/app';
import {
  apiKey,
  json,
  type ErrorBody,
  createMemoryContactsSync,
  field,
  rediscover,
} from './support/api-helpers';

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

  describe('a definition not saved yet (POST /syncs/preview)', () => {
    const connections = { left: '', right: '' };
    const definition = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
      left: { connectionId: connections.left, object: 'contacts', writeMode: 'upsert' },
      right: { connectionId: connections.right, object: 'Contact', writeMode: 'upsert' },
      direction: 'left_to_right',
      match: { left: 'email', right: 'Email', normalizer: 'email' },
      mappings: [
        { left: 'email', right: 'Email', direction: 'left_to_right' },
        { left: 'firstname', right: 'FirstName', direction: 'left_to_right' },
      ],
      defaultPolicy: 'left_wins',
      ...overrides,
    });
    const previewDefinition = (body: unknown, key?: string): Promise<Response> =>
      app.request('/api/v1/syncs/preview', {
        method: 'POST',
        body: JSON.stringify(body),
        ...(key === undefined ? {} : { key }),
      });

    beforeAll(async () => {
      // Declared fields, as a vendor's: a definition is checked against them (inferred ones are not).
      right.setFieldDescriptors('Contact', [
        field('Email', 'email', { unique: true }),
        field('FirstName', 'string'),
      ]);
      await rediscover(app, syncId);
      const saved = await json<{ left: { connectionId: string }; right: { connectionId: string } }>(
        app.request(`/api/v1/syncs/${syncId}`),
      );
      connections.left = saved.left.connectionId;
      connections.right = saved.right.connectionId;
    });

    it('plans a new sync with its match-rate estimate and API calls, saving and writing nothing', async () => {
      const syncsBefore = await json<{ items: unknown[] }>(app.request('/api/v1/syncs'));
      const writes = { left: left.calls.write, right: right.calls.write };
      const res = await previewDefinition({ definition: definition() });
      expect(res.status).toBe(200);
      const body = await json<
        PreviewBody & {
          matching: Record<string, Record<string, number>>;
          apiCalls: { left: number; right: number };
        }
      >(res);
      expect(body.read).toBe(3);
      expect(body.creates.map((c) => c.sourceId).sort()).toEqual([ids.bob, ids.cyd].sort());
      expect(body.updates.map((u) => [u.id, u.newLink])).toEqual([[ids.annR, true]]);
      expect(body.matching.left).toEqual({
        considered: 3,
        linked: 0,
        matched: 1,
        created: 2,
        ambiguous: 0,
      });
      expect(body.matching.right.considered).toBe(0);
      // One read on the left, one lookup on the right.
      expect(body.apiCalls.left).toBeGreaterThanOrEqual(1);
      expect(body.apiCalls.right).toBeGreaterThanOrEqual(1);
      expect({ left: left.calls.write, right: right.calls.write }).toEqual(writes);
      expect(await json(app.request('/api/v1/syncs'))).toEqual(syncsBefore);
    });

    it("previews an edit of a saved sync on its links, with the new mapping's values", async () => {
      const res = await previewDefinition({
        syncId,
        definition: definition({
          mappings: [
            { left: 'email', right: 'Email', direction: 'left_to_right' },
            {
              left: 'firstname',
              right: 'FirstName',
              direction: 'left_to_right',
              transforms: { leftToRight: [{ kind: 'format', fn: 'uppercase' }] },
            },
          ],
        }),
      });
      expect(res.status).toBe(200);
      const body = await json<PreviewBody>(res);
      const ann = body.updates.find((u) => u.id === ids.annR);
      expect(ann?.changes).toEqual(
        expect.arrayContaining([{ field: 'FirstName', from: 'Anne', to: 'ANN' }]),
      );
      expect(body.creates.find((c) => c.sourceId === ids.bob)?.fields).toEqual({
        Email: 'bob@example.com',
        FirstName: 'BOB',
      });
    });

    it('refuses what a save would refuse, naming each field under definition', async () => {
      const res = await previewDefinition({
        definition: definition({
          mappings: [
            { left: 'email', right: 'Email', direction: 'left_to_right' },
            { left: 'firstname', right: 'FirstNmae', direction: 'left_to_right', policy: 'loud' },
          ],
        }),
      });
      expect(res.status).toBe(400);
      const details = (await json<ErrorBody>(res)).error.details;
      expect(details.map((d) => d.path).sort()).toEqual([
        'definition.mappings[1].policy',
        'definition.mappings[1].right',
      ]);
      expect(details.find((d) => d.path === 'definition.mappings[1].right')?.problem).toBe(
        'right object Contact has no field "FirstNmae"',
      );
      const badSample = await previewDefinition({ definition: definition(), sample: 0 });
      expect(badSample.status).toBe(400);
      expect((await json<ErrorBody>(badSample)).error.details.map((d) => d.path)).toEqual([
        'sample',
      ]);
      const unknownSync = await previewDefinition({
        syncId: randomUUID(),
        definition: definition(),
      });
      expect(unknownSync.status).toBe(404);
      expect((await previewDefinition({ definition: definition() }, viewerKey)).status).toBe(403);
      expect(
        (await app.request('/api/v1/syncs/preview', { method: 'POST', body: '{}', key: null }))
          .status,
      ).toBe(401);
    });
  });
});
