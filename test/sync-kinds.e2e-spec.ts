/**
 * The two one-way kinds through the REST API only (the destination is a memory connection, its
 * vendor inspected in-process): a HubSpot contacts audience follows adds, removes and deletes
 * over several runs; a Salesforce "Closed Won" events sync sends each opportunity once, however
 * often its records are read again; a sync whose connections cannot play their part is refused.
 */
import { randomUUID } from 'node:crypto';
import { memoryBackendNamed } from '../connectors/memory';
import { startHubSpotEmulator, type HubSpotEmulator } from '../connectors/hubspot/emulator';
import {
  startSalesforceEmulator,
  type SalesforceEmulator,
} from '../connectors/salesforce/emulator';
import { sha256Hex } from '../connectors/sdk/normalize';
import { startTestApp, type TestApp } from './support/app';
import {
  type ErrorBody,
  json,
  memoryConnection,
  type RunBody,
  hubspotConnectionBody,
  runSyncNow,
  salesforceConnectionBody,
  sandboxConnection,
  waitForRun,
} from './support/api-helpers';

interface PreviewBody {
  problems: unknown[];
  read: number;
  creates: unknown[];
  updates: unknown[];
  events: unknown[];
  adds: unknown[];
  removes: unknown[];
}

interface LogBody {
  items: Array<{ action: string; leftId: string | null; rightId: string | null }>;
}

let app: TestApp;
let hubspot: HubSpotEmulator;
let salesforce: SalesforceEmulator;

beforeAll(async () => {
  app = await startTestApp({ SYNCLINE_ALLOW_SANDBOX: 'true' });
  hubspot = await startHubSpotEmulator();
  salesforce = await startSalesforceEmulator();
});

afterAll(async () => {
  await app.stop();
  await hubspot.close();
  await salesforce.close();
});

const connection = (body: Record<string, unknown>): Promise<string> => sandboxConnection(app, body);

async function createSync(body: Record<string, unknown>): Promise<string> {
  const res = await app.request('/api/v1/syncs', { method: 'POST', body: JSON.stringify(body) });
  expect({ status: res.status, body: await res.clone().text() }).toMatchObject({ status: 201 });
  return (await json<{ id: string }>(res)).id;
}

/** Waits past the second, so the emulators stamp the next edits later than the last read. */
const nextSecond = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1_100));

it('keeps a memory audience equal to the HubSpot customers over adds, removes and deletes', async () => {
  const store = `audience-${randomUUID()}`;
  const vendor = memoryBackendNamed(store);
  vendor.createAudience('customers', { name: 'Customers' });
  const hubspotId = await connection(hubspotConnectionBody('HubSpot (audience source)', hubspot));
  const destination = await memoryConnection(app, 'Ad platform (memory)', store);
  const ann = hubspot.store.insert('contacts', {
    email: 'Ann@Example.com',
    lifecyclestage: 'customer',
  });
  const bob = hubspot.store.insert('contacts', {
    email: 'bob@example.com',
    lifecyclestage: 'lead',
  });
  const cyd = hubspot.store.insert('contacts', {
    email: 'cyd@example.com',
    lifecyclestage: 'customer',
  });
  const syncId = await createSync({
    name: 'HubSpot customers → audience',
    kind: 'audience',
    left: {
      connectionId: hubspotId,
      object: 'contacts',
      filter: {
        combine: 'all',
        conditions: [{ field: 'lifecyclestage', op: 'eq', value: 'customer' }],
      },
    },
    right: { connectionId: destination, object: 'customers' },
    identifiers: { email: 'email' },
    mappings: [],
  });
  const validation = await json<{ valid: boolean; problems: unknown[] }>(
    app.request(`/api/v1/syncs/${syncId}/validate`, { method: 'POST' }),
  );
  expect(validation).toEqual({ valid: true, problems: [] });
  const members = (): string[] =>
    [...(vendor.audiences.get('customers')?.members.keys() ?? [])].sort();

  const first = await runSyncNow(app, syncId);
  expect(first.status).toBe('succeeded');
  expect(first.counters).toMatchObject({ added: 2, removed: 0, failed: 0 });
  expect(members()).toEqual([ann.id, cyd.id].sort());
  expect(vendor.audiences.get('customers')?.members.get(ann.id)).toEqual({
    email: sha256Hex('ann@example.com'),
  });

  await nextSecond();
  hubspot.store.edit('contacts', bob.id, { lifecyclestage: 'customer' });
  hubspot.store.edit('contacts', cyd.id, { lifecyclestage: 'other' });
  // The preview plans as a run would, and changes nothing.
  const preview = await json<PreviewBody>(
    app.request(`/api/v1/syncs/${syncId}/preview`, { method: 'POST', body: '{}' }),
  );
  expect(preview).toMatchObject({
    problems: [],
    read: 3,
    adds: [{ key: bob.id, identifiers: ['email'] }],
    removes: [{ key: cyd.id, identifiers: ['email'] }],
    creates: [],
    updates: [],
  });
  expect(members()).toEqual([ann.id, cyd.id].sort());
  const second = await runSyncNow(app, syncId);
  expect(second.counters).toMatchObject({ added: 1, removed: 1 });
  expect(members()).toEqual([ann.id, bob.id].sort());

  await nextSecond();
  hubspot.store.archive('contacts', ann.id);
  const third = await runSyncNow(app, syncId);
  expect(third.counters).toMatchObject({ added: 0, removed: 1 });
  expect(members()).toEqual([bob.id]);

  const quiet = await runSyncNow(app, syncId);
  expect(quiet.counters).toMatchObject({ added: 0, removed: 0 });

  const log = await json<LogBody>(app.request(`/api/v1/syncs/${syncId}/events?limit=50`));
  expect(log.items.map((line) => `${line.action} ${line.leftId ?? ''}`).sort()).toEqual(
    [
      `added ${ann.id}`,
      `added ${cyd.id}`,
      `added ${bob.id}`,
      `removed ${cyd.id}`,
      `removed ${ann.id}`,
    ].sort(),
  );

  // Bob is removed in the vendor's UI: a full refresh puts him back.
  vendor.audiences.get('customers')?.members.delete(bob.id);
  const refresh = await app.request(`/api/v1/syncs/${syncId}/runs`, {
    method: 'POST',
    body: JSON.stringify({ fullRefresh: true }),
  });
  expect(refresh.status).toBe(202);
  const refreshed = await waitForRun(app, (await json<RunBody>(refresh)).id);
  expect(refreshed).toMatchObject({
    status: 'succeeded',
    fullRefresh: true,
    counters: { added: 1, removed: 0 },
  });
  expect(members()).toEqual([bob.id]);
});

it('sends each Salesforce opportunity that reached Closed Won once, however often it is read', async () => {
  const store = `events-${randomUUID()}`;
  const vendor = memoryBackendNamed(store);
  const salesforceId = await connection(
    salesforceConnectionBody('Salesforce (events)', salesforce),
  );
  const destination = await memoryConnection(app, 'Conversions (memory)', store);
  const won = salesforce.store.create('Opportunity', {
    Name: 'Big deal',
    StageName: 'Closed Won',
    CloseDate: '2026-11-20',
    Amount: 5000,
  });
  salesforce.store.create('Opportunity', {
    Name: 'Maybe',
    StageName: 'Prospecting',
    CloseDate: '2026-12-20',
    Amount: 100,
  });
  if (!won.ok) throw new Error('seed');
  const syncId = await createSync({
    name: 'Closed Won → conversions',
    kind: 'events',
    left: {
      connectionId: salesforceId,
      object: 'Opportunity',
      filter: {
        combine: 'all',
        conditions: [{ field: 'StageName', op: 'eq', value: 'Closed Won' }],
      },
    },
    right: { connectionId: destination, object: 'purchase' },
    identifiers: { vendor_id: 'Name' },
    events: { key: 'opportunity-{id}-{StageName}', occurredAt: 'CloseDate' },
    mappings: [{ left: 'Amount', right: 'value', direction: 'left_to_right' }],
  });
  const held = vendor.eventsOf('purchase');
  const key = `opportunity-${won.id}-Closed Won`;

  const preview = await json<PreviewBody>(
    app.request(`/api/v1/syncs/${syncId}/preview`, { method: 'POST', body: '{}' }),
  );
  expect(preview.problems).toEqual([]);
  expect(preview.events).toEqual([
    {
      sourceId: won.id,
      key,
      occurredAt: '2026-11-20T00:00:00.000Z',
      fields: { value: 5000 },
      identifiers: ['vendor_id'],
    },
  ]);
  expect(held.size).toBe(0);

  const first = await runSyncNow(app, syncId);
  expect(first.status).toBe('succeeded');
  expect(first.counters).toMatchObject({ sent: 1, failed: 0 });
  expect([...held.keys()]).toEqual([key]);
  expect(held.get(key)).toMatchObject({
    occurredAt: '2026-11-20T00:00:00.000Z',
    fields: { value: 5000 },
  });

  // Read again (the overlap window), then edited without a new key: nothing sent twice.
  const again = await runSyncNow(app, syncId);
  expect(again.counters).toMatchObject({ sent: 0, duplicates: 0 });
  await nextSecond();
  salesforce.store.update('Opportunity', won.id, { Amount: 6000 });
  const edited = await runSyncNow(app, syncId);
  expect(edited.counters.read).toBeGreaterThan(0);
  expect(edited.counters).toMatchObject({ sent: 0 });
  expect(held.size).toBe(1);

  const log = await json<LogBody>(app.request(`/api/v1/syncs/${syncId}/events?limit=50`));
  expect(log.items.filter((line) => line.action === 'sent')).toEqual([
    expect.objectContaining({ leftId: won.id, rightId: key }),
  ]);

  const refresh = await app.request(`/api/v1/syncs/${syncId}/runs`, {
    method: 'POST',
    body: JSON.stringify({ fullRefresh: true }),
  });
  expect(refresh.status).toBe(400);
  expect((await json<ErrorBody>(refresh)).error.details).toEqual([
    {
      path: 'fullRefresh',
      problem: 'an events sync sends each event once and has nothing to refresh',
    },
  ]);
});

it('refuses, naming the field, an events sync whose destination takes no events', async () => {
  const hubspotId = await connection(
    hubspotConnectionBody('HubSpot (not a conversions API)', hubspot),
  );
  const source = await memoryConnection(app, 'Deals (memory)', `deals-${randomUUID()}`);
  const res = await app.request('/api/v1/syncs', {
    method: 'POST',
    body: JSON.stringify({
      name: 'Deals → HubSpot events',
      kind: 'events',
      left: { connectionId: source, object: 'deals' },
      right: { connectionId: hubspotId, object: 'contacts' },
      direction: 'bidirectional',
      match: { left: 'email', right: 'email', normalizer: 'email' },
      identifiers: { email: 'email' },
      mappings: [],
    }),
  });
  expect(res.status).toBe(400);
  const body = await json<ErrorBody>(res);
  expect(body.error.code).toBe('validation_failed');
  expect(body.error.details.slice(0, 3)).toMatchObject([
    {
      path: 'direction',
      problem:
        'an events sync is left_to_right: it flows from the left side (the source) to the right (the destination)',
    },
    { path: 'match', problem: 'an events sync does not use it: it links no records' },
    { path: 'events', problem: 'an events sync needs it' },
  ]);
  expect(body.error.details.slice(3)).toEqual([
    {
      path: 'right.connectionId',
      problem:
        'hubspot connections cannot be the destination (right side) of an events sync, which sends it events: they lack the events capability (hubspot has: source, records, webhooks, audiences)',
    },
  ]);
});
