/**
 * The sync log found by what people know: the lines of a record by its email (a failed create,
 * never linked, included) and by a name among the values written; and the values of a field
 * marked sensitive never kept, in the log nor its export.
 */
import { randomUUID } from 'node:crypto';
import { memoryBackendNamed } from '../connectors/memory';
import { startTestApp, type TestApp } from './support/app';
import { createMemoryContactsSync, json, runSyncNow, type ErrorBody } from './support/api-helpers';

interface LogLine {
  action: string;
  leftId: string | null;
  rightId: string | null;
  errorCode: string | null;
  changes: Array<{ field: string; from: unknown; to: unknown }> | null;
}

describe('sync log filters and sensitive fields', () => {
  let app: TestApp;
  let syncId: string;
  const stores = { left: `slf-left-${randomUUID()}`, right: `slf-right-${randomUUID()}` };
  const left = memoryBackendNamed(stores.left);

  beforeAll(async () => {
    app = await startTestApp();
    left.seed('contacts', [
      {
        id: 'ada',
        fields: { email: 'Ada@Example.com', firstname: 'Ada Lovelace', phone: '+44 20 7946 0001' },
      },
      {
        id: 'bob',
        fields: { email: 'bob@example.com', firstname: 'Bob 100%_sure', phone: '+1 555 0100' },
      },
      { id: 'cy', fields: { email: 'cy@example.com', firstname: 'Cy', phone: '+1 555 0199' } },
    ]);
    // Cy's create is refused: never linked, still found by email.
    memoryBackendNamed(stores.right).faults.rejectRecords((op) =>
      op.fields['Email'] === 'cy@example.com'
        ? { code: 'invalid_value', message: 'Email: on a deny list', retryable: false }
        : undefined,
    );
    syncId = await createMemoryContactsSync(app, stores, {
      name: 'Filtered contacts',
      direction: 'left_to_right',
      mappings: [
        { left: 'email', right: 'Email', direction: 'left_to_right' },
        { left: 'firstname', right: 'FirstName', direction: 'left_to_right' },
        { left: 'phone', right: 'Phone', direction: 'left_to_right', sensitive: true },
      ],
    });
    expect((await runSyncNow(app, syncId)).counters).toMatchObject({ created: 2, failed: 1 });
    left.update('contacts', 'ada', { phone: '+44 20 7946 0002', firstname: 'Ada King' });
    expect((await runSyncNow(app, syncId)).counters).toMatchObject({ updated: 1 });
  });

  afterAll(async () => {
    await app.stop();
  });

  const log = async (query: string): Promise<LogLine[]> =>
    (
      await json<{ items: LogLine[] }>(
        app.request(`/api/v1/syncs/${syncId}/events?order=newest&${query}`),
      )
    ).items;

  it('finds the lines of a record by its email, without case, a failed create included', async () => {
    expect((await log('email=ADA@example.COM')).map((line) => [line.action, line.leftId])).toEqual([
      ['updated', 'ada'],
      ['created', 'ada'],
    ]);
    expect(
      (await log('email=cy@example.com')).map((line) => [line.action, line.errorCode]),
    ).toEqual([['failed', 'invalid_value']]);
    expect(await log('email=nobody@example.com')).toEqual([]);
  });

  it('finds lines by a name among the values written, before or after, wildcards literal', async () => {
    expect((await log('text=lovelace')).map((line) => line.action)).toEqual(['updated', 'created']);
    expect((await log('text=Ada%20King')).map((line) => line.action)).toEqual(['updated']);
    expect((await log('text=100%25_')).map((line) => line.leftId)).toEqual(['bob']);
    expect(await log('text=x%25')).toEqual([]);
    // A masked value is never matched, nor is a field's name.
    expect(await log('text=7946')).toEqual([]);
    expect(await log('text=FirstName')).toEqual([]);
    const res = await app.request(`/api/v1/syncs/${syncId}/events?text=a`);
    expect(res.status).toBe(400);
    expect((await json<ErrorBody>(res)).error.details.map((d) => d.path)).toEqual(['text']);
  });

  it("narrows a sync's log to one run", async () => {
    const runs = await json<{ items: Array<{ id: string }> }>(
      app.request(`/api/v1/runs?syncId=${syncId}&limit=10`),
    );
    const [second, first] = runs.items.map((run) => run.id);
    expect((await log(`runId=${first}`)).map((line) => line.action).sort()).toEqual([
      'created',
      'created',
      'failed',
    ]);
    expect((await log(`runId=${second}`)).map((line) => line.action)).toEqual(['updated']);
    const res = await app.request(`/api/v1/syncs/${syncId}/events?runId=run-1`);
    expect(res.status).toBe(400);
    expect((await json<ErrorBody>(res)).error.details.map((d) => d.path)).toEqual(['runId']);
  });

  it('masks the values of a sensitive field in the log and its export, and says it changed', async () => {
    const updates = await log('email=ada@example.com&action=updated');
    expect(updates.map((line) => line.changes)).toEqual([
      [
        { field: 'FirstName', from: 'Ada Lovelace', to: 'Ada King' },
        { field: 'Phone', from: '••••', to: '••••' },
      ],
    ]);
    const res = await app.request(`/api/v1/syncs/${syncId}/events/export?format=json`);
    const text = await res.text();
    expect(text).toContain('Ada King');
    expect(text).not.toMatch(/7946|555 01/);
    const sync = await json<{ mappings: Array<{ right: string; sensitive?: boolean }> }>(
      app.request(`/api/v1/syncs/${syncId}`),
    );
    expect(sync.mappings.find((mapping) => mapping.right === 'Phone')?.sensitive).toBe(true);
  });
});
