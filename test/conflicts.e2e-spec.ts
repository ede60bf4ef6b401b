/**
 * Conflicts through the API: a `manual` field changed on both sides becomes a conflict, a person
 * resolves it (one side's value, or a value of their own), the next run writes it to both sides.
 */
import { randomUUID } from 'node:crypto';
import { memoryBackendNamed } from '../connectors/memory';
import { startTestApp, type TestApp } from './support/app';
import {
  apiKey,
  field,
  json,
  runSyncNow,
  type ErrorBody,
  createTwoConflicts,
  refuseWritesOf,
  rediscover,
} from './support/api-helpers';

interface ConflictBody {
  id: string;
  syncId: string;
  leftId: string;
  rightId: string;
  leftField: string;
  rightField: string;
  leftValue: unknown;
  rightValue: unknown;
  status: string;
  resolution: unknown;
  resolvedAt: string | null;
  note: string | null;
}
interface ConflictList {
  items: ConflictBody[];
  nextCursor: string | null;
}

describe('conflicts', () => {
  let app: TestApp;
  let syncId: string;
  let viewerKey: string;
  const stores = { left: `cf-left-${randomUUID()}`, right: `cf-right-${randomUUID()}` };
  const left = memoryBackendNamed(stores.left);
  const right = memoryBackendNamed(stores.right);
  let ids = { annL: '', annR: '', bobL: '', bobR: '' };

  beforeAll(async () => {
    app = await startTestApp();
    ({ syncId, ids } = await createTwoConflicts(app, stores, 'Manual conflicts'));
    viewerKey = await apiKey(app, 'viewer');
  });

  afterAll(async () => {
    await app.stop();
  });

  async function conflictOf(leftId: string): Promise<ConflictBody> {
    const list = await json<ConflictList>(app.request(`/api/v1/syncs/${syncId}/conflicts`));
    const found = list.items.find((c) => c.leftId === leftId);
    if (found === undefined) throw new Error(`no conflict for ${leftId}`);
    return found;
  }

  it('lists the open conflicts of a sync and across syncs, and gets one', async () => {
    const open = await json<ConflictList>(
      app.request(`/api/v1/syncs/${syncId}/conflicts?status=open`, { key: viewerKey }),
    );
    expect(open.items).toHaveLength(2);
    const ann = await conflictOf(ids.annL);
    expect(ann).toMatchObject({
      syncId,
      rightId: ids.annR,
      leftField: 'firstname',
      rightField: 'FirstName',
      leftValue: 'Ann (HubSpot)',
      rightValue: 'Ann (Salesforce)',
      status: 'open',
      resolution: null,
    });
    expect(await json(app.request(`/api/v1/conflicts/${ann.id}`, { key: viewerKey }))).toEqual(ann);

    const page1 = await json<ConflictList>(
      app.request(`/api/v1/conflicts?syncId=${syncId}&limit=1`),
    );
    expect(page1.items).toHaveLength(1);
    const page2 = await json<ConflictList>(
      app.request(`/api/v1/conflicts?syncId=${syncId}&limit=1&cursor=${page1.nextCursor ?? ''}`),
    );
    expect(page2.items).toHaveLength(1);
    expect(page2.items[0]?.id).not.toBe(page1.items[0]?.id);
    const resolved = await json<ConflictList>(app.request('/api/v1/conflicts?status=resolved'));
    expect(resolved.items).toEqual([]);
  });

  it('stores resolutions, refuses a second one, and the next run writes them to both sides', async () => {
    const ann = await conflictOf(ids.annL);
    const bob = await conflictOf(ids.bobL);
    const res = await app.request(`/api/v1/conflicts/${ann.id}/resolve`, {
      method: 'POST',
      body: JSON.stringify({ side: 'right' }),
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ status: 'resolved', resolution: { side: 'right' } });
    const byValue = await app.request(`/api/v1/conflicts/${bob.id}/resolve`, {
      method: 'POST',
      body: JSON.stringify({ value: 'Robert' }),
    });
    expect(await json(byValue)).toMatchObject({
      status: 'resolved',
      resolution: { value: 'Robert' },
    });

    const again = await app.request(`/api/v1/conflicts/${ann.id}/resolve`, {
      method: 'POST',
      body: JSON.stringify({ side: 'left' }),
    });
    expect(again.status).toBe(409);
    expect((await json<ErrorBody>(again)).error.code).toBe('conflict_not_open');

    const run = await runSyncNow(app, syncId);
    expect(run.status).toBe('succeeded');
    expect(left.getRecord('contacts', ids.annL)?.fields['firstname']).toBe('Ann (Salesforce)');
    expect(right.getRecord('Contact', ids.annR)?.fields['FirstName']).toBe('Ann (Salesforce)');
    expect(left.getRecord('contacts', ids.bobL)?.fields['firstname']).toBe('Robert');
    expect(right.getRecord('Contact', ids.bobR)?.fields['FirstName']).toBe('Robert');
    const applied = await json<ConflictList>(
      app.request(`/api/v1/syncs/${syncId}/conflicts?status=applied`),
    );
    expect(applied.items.map((c) => c.id).sort()).toEqual([ann.id, bob.id].sort());
    // Converged: nothing new to resolve.
    const open = await json<ConflictList>(app.request(`/api/v1/conflicts?status=open`));
    expect(open.items).toEqual([]);
  });

  it('refuses a custom value outside the target picklist, listing the allowed values', async () => {
    const picklist = { left: `cf-pl-left-${randomUUID()}`, right: `cf-pl-right-${randomUUID()}` };
    const created = await createTwoConflicts(app, picklist, 'Picklist conflicts');
    // Salesforce's FirstName here is a picklist (a restricted one refuses other values).
    memoryBackendNamed(picklist.right).setFieldDescriptors('Contact', [
      field('Email', 'email', { unique: true }),
      field('FirstName', 'enum', {
        options: [
          { value: 'Ann (Salesforce)', label: 'Ann (Salesforce)' },
          { value: 'Robert', label: 'Robert' },
        ],
      }),
    ]);
    await rediscover(app, created.syncId);
    const conflicts = await json<ConflictList>(
      app.request(`/api/v1/syncs/${created.syncId}/conflicts?status=open`),
    );
    const id = conflicts.items.find((item) => item.leftId === created.ids.annL)?.id ?? '';
    const resolve = (value: unknown): Promise<Response> =>
      app.request(`/api/v1/conflicts/${id}/resolve`, {
        method: 'POST',
        body: JSON.stringify({ value }),
      });
    const refused = await resolve('NotAName');
    expect(refused.status).toBe(400);
    expect((await json<ErrorBody>(refused)).error.details).toEqual([
      {
        path: 'value',
        problem:
          "Contact.FirstName: 'NotAName' is not one of the allowed values: Ann (Salesforce), Robert",
      },
    ]);
    expect((await json<ConflictBody>(app.request(`/api/v1/conflicts/${id}`))).status).toBe('open');
    const kept = await resolve('Robert');
    expect(kept.status).toBe(200);
    expect((await json<ConflictBody>(kept)).resolution).toEqual({ value: 'Robert' });
  });

  it('answers 400 with field details, 401, 403 and 404', async () => {
    const id = (await conflictOf(ids.annL)).id;
    const resolve = (body: unknown, key?: string): Promise<Response> =>
      app.request(`/api/v1/conflicts/${id}/resolve`, {
        method: 'POST',
        body: JSON.stringify(body),
        ...(key === undefined ? {} : { key }),
      });
    const both = await resolve({ side: 'left', value: 'x' });
    expect(both.status).toBe(400);
    expect((await json<ErrorBody>(both)).error.details).toEqual([
      { path: 'value', problem: 'give either side or value, not both' },
    ]);
    const neither = await resolve({});
    expect(neither.status).toBe(400);
    expect((await json<ErrorBody>(neither)).error.details[0]?.path).toBe('side');
    const wrong = await resolve({ side: 'middle', value: { nested: true }, extra: 1 });
    expect(wrong.status).toBe(400);
    expect((await json<ErrorBody>(wrong)).error.details.map((d) => d.path).sort()).toEqual([
      'extra',
      'side',
      'value',
    ]);
    expect((await app.request('/api/v1/conflicts?status=closed')).status).toBe(400);
    expect((await app.request('/api/v1/conflicts/not-a-uuid')).status).toBe(400);

    expect((await app.request('/api/v1/conflicts', { key: null })).status).toBe(401);
    expect((await resolve({ side: 'left' }, viewerKey)).status).toBe(403);

    expect((await app.request(`/api/v1/conflicts/${randomUUID()}`)).status).toBe(404);
    expect(
      (
        await app.request(`/api/v1/conflicts/${randomUUID()}/resolve`, {
          method: 'POST',
          body: JSON.stringify({ side: 'left' }),
        })
      ).status,
    ).toBe(404);
    expect((await app.request(`/api/v1/syncs/${randomUUID()}/conflicts`)).status).toBe(404);
  });

  it('resolves several conflicts with one side at once, and says which it left alone', async () => {
    const bulk = { left: `cfb-left-${randomUUID()}`, right: `cfb-right-${randomUUID()}` };
    const created = await createTwoConflicts(app, bulk, 'Bulk conflicts');
    const list = await json<ConflictList>(
      app.request(`/api/v1/syncs/${created.syncId}/conflicts?status=open`),
    );
    const conflictIds = list.items.map((c) => c.id);
    expect(conflictIds).toHaveLength(2);
    const unknown = randomUUID();
    const resolve = (body: unknown, key?: string): Promise<Response> =>
      app.request('/api/v1/conflicts/resolve', { method: 'POST', body: JSON.stringify(body), key });

    expect((await resolve({ ids: conflictIds, side: 'right' }, viewerKey)).status).toBe(403);
    for (const [body, path] of [
      [{ ids: [], side: 'right' }, 'ids'],
      [{ ids: ['not-a-uuid'], side: 'right' }, 'ids'],
      [{ ids: conflictIds, side: 'middle' }, 'side'],
      [{ ids: conflictIds }, 'side'],
      [{ ids: Array.from({ length: 201 }, () => randomUUID()), side: 'left' }, 'ids'],
    ] as const) {
      const res = await resolve(body);
      expect(res.status).toBe(400);
      expect((await json<ErrorBody>(res)).error.details.map((d) => d.path)).toContain(path);
    }

    // The right side refuses the first write: the resolution stays resolved and says why.
    const bulkRight = memoryBackendNamed(bulk.right);
    const lift = refuseWritesOf(
      bulk.right,
      created.ids.annR,
      'FirstName: locked by a validation rule',
    );
    const res = await resolve({ ids: [...conflictIds, unknown], side: 'left' });
    expect(res.status).toBe(200);
    const result = await json<{ resolved: ConflictBody[]; skipped: unknown[] }>(res);
    expect(result.resolved.map((c) => [c.id, c.status, c.resolution])).toEqual(
      conflictIds.map((id) => [id, 'resolved', { side: 'left' }]),
    );
    expect(result.skipped).toEqual([{ id: unknown, status: 'not_found' }]);
    const again = await json<{ resolved: unknown[]; skipped: unknown[] }>(
      resolve({ ids: conflictIds, side: 'right' }),
    );
    expect(again).toEqual({
      resolved: [],
      skipped: conflictIds.map((id) => ({ id, status: 'resolved' })),
    });

    const run = await runSyncNow(app, created.syncId);
    expect(run.counters.failed).toBe(1);
    const ann = list.items.find((c) => c.leftId === created.ids.annL)?.id ?? '';
    const bob = list.items.find((c) => c.leftId === created.ids.bobL)?.id ?? '';
    const failedAnn = await json<ConflictBody & { writeFailure: unknown }>(
      app.request(`/api/v1/conflicts/${ann}`),
    );
    expect(failedAnn).toMatchObject({
      status: 'resolved',
      writeFailure: {
        code: 'invalid_value',
        message: 'FirstName: locked by a validation rule',
        at: expect.any(String) as string,
      },
    });
    const appliedBob = await json<ConflictBody & { writeFailure: unknown }>(
      app.request(`/api/v1/conflicts/${bob}`),
    );
    expect(appliedBob).toMatchObject({ status: 'applied', writeFailure: null });
    expect(bulkRight.getRecord('Contact', created.ids.bobR)?.fields['FirstName']).toBe(
      'Bob (HubSpot)',
    );

    // Once the vendor takes it, the next run applies it and the failure is gone.
    lift();
    await runSyncNow(app, created.syncId);
    expect(
      await json<ConflictBody & { writeFailure: unknown }>(app.request(`/api/v1/conflicts/${ann}`)),
    ).toMatchObject({ status: 'applied', writeFailure: null });
    expect(bulkRight.getRecord('Contact', created.ids.annR)?.fields['FirstName']).toBe(
      'Ann (HubSpot)',
    );
  });

  describe('a field that changed after its conflict was raised', () => {
    const later = { left: `cf2-left-${randomUUID()}`, right: `cf2-right-${randomUUID()}` };
    const laterLeft = memoryBackendNamed(later.left);
    const laterRight = memoryBackendNamed(later.right);
    let laterSyncId: string;
    let laterIds = { annL: '', annR: '', bobL: '', bobR: '' };

    beforeAll(async () => {
      ({ syncId: laterSyncId, ids: laterIds } = await createTwoConflicts(
        app,
        later,
        'Conflicts edited again',
      ));
    });

    async function laterConflict(leftId: string): Promise<ConflictBody> {
      const list = await json<ConflictList>(app.request(`/api/v1/syncs/${laterSyncId}/conflicts`));
      const found = list.items.find((c) => c.leftId === leftId);
      if (found === undefined) throw new Error(`no conflict for ${leftId}`);
      return found;
    }

    it('raises the conflict again instead of writing the older resolution, and says why', async () => {
      const ann = await laterConflict(laterIds.annL);
      const bob = await laterConflict(laterIds.bobL);
      expect(ann.note).toBeNull();
      for (const [conflict, body] of [
        [ann, { value: 'Annie' }],
        [bob, { side: 'left' }],
      ] as const) {
        const res = await app.request(`/api/v1/conflicts/${conflict.id}/resolve`, {
          method: 'POST',
          body: JSON.stringify(body),
        });
        expect(res.status).toBe(200);
      }
      // After the resolutions, Ann is edited in HubSpot and Bob in Salesforce.
      laterLeft.update('contacts', laterIds.annL, { firstname: 'Ann (HubSpot, later)' });
      laterRight.update('Contact', laterIds.bobR, { FirstName: 'Bob (Salesforce, later)' });

      const run = await runSyncNow(app, laterSyncId);
      expect(run.status).toBe('succeeded');
      // Neither resolution was written over the newer edits.
      expect(laterLeft.getRecord('contacts', laterIds.annL)?.fields['firstname']).toBe(
        'Ann (HubSpot, later)',
      );
      expect(laterRight.getRecord('Contact', laterIds.annR)?.fields['FirstName']).toBe(
        'Ann (Salesforce)',
      );
      expect(laterLeft.getRecord('contacts', laterIds.bobL)?.fields['firstname']).toBe(
        'Bob (HubSpot)',
      );
      expect(laterRight.getRecord('Contact', laterIds.bobR)?.fields['FirstName']).toBe(
        'Bob (Salesforce, later)',
      );

      const annAgain = await laterConflict(laterIds.annL);
      expect(annAgain).toMatchObject({
        id: ann.id,
        status: 'open',
        resolution: null,
        resolvedAt: null,
        leftValue: 'Ann (HubSpot, later)',
        rightValue: 'Ann (Salesforce)',
      });
      expect(annAgain.note).toContain('the left side changed since the conflict was raised');
      const bobAgain = await laterConflict(laterIds.bobL);
      expect(bobAgain).toMatchObject({
        status: 'open',
        leftValue: 'Bob (HubSpot)',
        rightValue: 'Bob (Salesforce, later)',
      });
      expect(bobAgain.note).toContain('the right side changed since the conflict was raised');

      const events = await json<{
        items: Array<{ action: string; leftId: string; message: string | null }>;
      }>(app.request(`/api/v1/runs/${run.id}/events?action=conflict`));
      expect(events.items.map((e) => [e.leftId, e.message]).sort()).toEqual(
        [
          [laterIds.annL, annAgain.note],
          [laterIds.bobL, bobAgain.note],
        ].sort(),
      );

      // Decided again on the new values, the next run applies it.
      const res = await app.request(`/api/v1/conflicts/${ann.id}/resolve`, {
        method: 'POST',
        body: JSON.stringify({ side: 'left' }),
      });
      expect(res.status).toBe(200);
      expect((await runSyncNow(app, laterSyncId)).status).toBe('succeeded');
      expect(laterRight.getRecord('Contact', laterIds.annR)?.fields['FirstName']).toBe(
        'Ann (HubSpot, later)',
      );
      expect((await laterConflict(laterIds.annL)).status).toBe('applied');
    });
  });
});
