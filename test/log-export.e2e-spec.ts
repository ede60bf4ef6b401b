/**
 * The sync log as a file: every page with the filters, CSV (one line per log line, values a
 * spreadsheet would run as formulas defused) or JSON.
 */
import { randomUUID } from 'node:crypto';
import { memoryBackendNamed } from '../connectors/memory';
import { startTestApp, type TestApp } from './support/app';
import { createMemoryContactsSync, json, runSyncNow, type ErrorBody } from './support/api-helpers';

describe('sync log export', () => {
  let app: TestApp;
  let syncId: string;

  beforeAll(async () => {
    app = await startTestApp();
    const stores = { left: `le-left-${randomUUID()}`, right: `le-right-${randomUUID()}` };
    memoryBackendNamed(stores.left).seed('contacts', [
      { id: '=HYPERLINK("x")', fields: { email: 'ann@example.com', firstname: 'Ann' } },
      { id: 'bob', fields: { email: 'bob@example.com', firstname: 'Bob, "the builder"' } },
      ...Array.from({ length: 600 }, (_, index) => ({
        id: `p${String(index)}`,
        fields: { email: `p${String(index)}@example.com`, firstname: 'P' },
      })),
    ]);
    syncId = await createMemoryContactsSync(app, stores, {
      name: 'Exported contacts',
      direction: 'left_to_right',
    });
    expect((await runSyncNow(app, syncId)).counters).toMatchObject({ created: 602 });
  });

  afterAll(async () => {
    await app.stop();
  });

  it('exports every page as CSV, quoting and defusing values', async () => {
    const res = await app.request(`/api/v1/syncs/${syncId}/events/export?format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="sync-${syncId}-log.csv"`,
    );
    expect(res.headers.get('x-syncline-truncated')).toBe('false');
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'id,at,runId,side,leftId,rightId,action,errorCode,message,fields,changes',
    );
    expect(lines).toHaveLength(603);
    // A record id a spreadsheet would run as a formula starts with a quote mark, and is quoted.
    const formula = lines.find((line) => line.includes('HYPERLINK'));
    expect(formula).toContain(`,"'=HYPERLINK(""x"")",`);
    expect(formula).not.toMatch(/,=HYPERLINK/);
    const bob = lines.find((line) => line.includes(',bob,'));
    expect(bob).toContain('""Bob, \\""the builder\\');
  });

  it('exports the filtered lines as JSON', async () => {
    const all = await json<Array<{ leftId: string; action: string }>>(
      app.request(`/api/v1/syncs/${syncId}/events/export?format=json&recordId=bob`),
    );
    expect(all).toEqual([expect.objectContaining({ leftId: 'bob', action: 'created' })]);
  });

  it('refuses an unknown format, naming it', async () => {
    const res = await app.request(`/api/v1/syncs/${syncId}/events/export?format=xml`);
    expect(res.status).toBe(400);
    expect((await json<ErrorBody>(res)).error.details[0]?.path).toBe('format');
  });
});
