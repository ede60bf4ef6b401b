/**
 * Marketo through the REST API only, against its emulator: a two-way Salesforce Contacts ↔ Marketo
 * leads sync converges over several runs with edits on both sides, without duplicates or echo
 * writes; a HubSpot contacts audience fills a Marketo static list and follows adds and removals;
 * a 20,000-lead backfill under a low 20-second limit and daily quota waits rather than fails, stops
 * as budget_exhausted when the quota is spent, and resumes the next day from its checkpoint.
 */
import { randomUUID } from 'node:crypto';
import { startHubSpotEmulator, type HubSpotEmulator } from '../connectors/hubspot/emulator';
import {
  type MarketoEmulator,
  TEST_SERVICE,
  startMarketoEmulator,
} from '../connectors/marketo/emulator';
import { memoryBackendNamed } from '../connectors/memory';
import {
  startSalesforceEmulator,
  type SalesforceEmulator,
} from '../connectors/salesforce/emulator';
import { systemClock } from '../connectors/sdk/clock';
import { startTestApp, type TestApp } from './support/app';
import {
  createSync,
  hubspotConnectionBody,
  json,
  memoryConnection,
  type RunBody,
  runSyncNow,
  salesforceConnectionBody,
  sandboxConnection,
  until,
} from './support/api-helpers';

let app: TestApp;
let hubspot: HubSpotEmulator;
let salesforce: SalesforceEmulator;
let marketo: MarketoEmulator;

beforeAll(async () => {
  app = await startTestApp({ SYNCLINE_ALLOW_SANDBOX: 'true' });
  hubspot = await startHubSpotEmulator();
  salesforce = await startSalesforceEmulator();
  marketo = await startMarketoEmulator();
});

afterAll(async () => {
  await app.stop();
  await hubspot.close();
  await salesforce.close();
  await marketo.close();
});

/** Past the second: Marketo's and Salesforce's stamps are whole seconds. */
const nextSecond = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1_100));

function marketoConnectionBody(name: string): Record<string, unknown> {
  return {
    name,
    kind: 'marketo',
    settings: { instanceUrl: `${marketo.url}/rest` },
    secrets: { clientId: TEST_SERVICE.clientId, clientSecret: TEST_SERVICE.clientSecret },
  };
}

/** Calls that change leads in Marketo: Sync Leads and Delete Leads. */
function marketoWrites(): number {
  return (
    marketo.counters.calls('POST /rest/v1/leads.json') +
    marketo.counters.calls('POST /rest/v1/leads/delete.json')
  );
}

it('converges Salesforce Contacts and Marketo leads over runs with edits on both sides, without duplicates or echoes', async () => {
  const salesforceId = await sandboxConnection(
    app,
    salesforceConnectionBody('Salesforce (Marketo test)', salesforce),
  );
  const marketoId = await sandboxConnection(app, marketoConnectionBody('Marketo (emulator)'));
  const check = await app.request(`/api/v1/connections/${marketoId}/check`, { method: 'POST' });
  expect(await check.json()).toMatchObject({ ok: true });

  salesforce.store.create('Contact', {
    Email: 'Ann.Lee@Example.com',
    FirstName: 'Ann',
    LastName: 'Lee',
    Title: 'Engineer',
  });
  salesforce.store.create('Contact', {
    Email: 'bob@example.com',
    FirstName: 'Bob',
    LastName: 'Ray',
  });
  marketo.store.create({ email: 'ann.lee@example.com', firstName: 'Ann', lastName: 'Lee' });
  marketo.store.create({
    email: 'cyd@example.com',
    firstName: 'Cyd',
    lastName: 'Moss',
    title: 'CMO',
  });

  const syncId = await createSync(app, {
    name: 'Salesforce Contacts ↔ Marketo leads',
    left: { connectionId: salesforceId, object: 'Contact', writeMode: 'upsert' },
    right: { connectionId: marketoId, object: 'leads', writeMode: 'upsert' },
    direction: 'bidirectional',
    match: { left: 'Email', right: 'email', normalizer: 'email' },
    defaultPolicy: 'latest_wins',
    mappings: [
      { left: 'Email', right: 'email', direction: 'both' },
      { left: 'FirstName', right: 'firstName', direction: 'both' },
      { left: 'LastName', right: 'lastName', direction: 'both' },
      { left: 'Title', right: 'title', direction: 'both' },
      { left: 'Phone', right: 'phone', direction: 'both', skipNulls: true },
    ],
  });
  const validation = await app.request(`/api/v1/syncs/${syncId}/validate`, { method: 'POST' });
  expect(await validation.json()).toEqual({ valid: true, problems: [] });

  const first = await runSyncNow(app, syncId);
  expect(first).toMatchObject({ status: 'succeeded', counters: { failed: 0, conflicts: 0 } });
  const leads = () =>
    new Map(
      marketo.store.all().map((lead) => [String(lead.fields.email).toLowerCase(), lead.fields]),
    );
  const contacts = () =>
    new Map(
      salesforce.store
        .list('Contact')
        .map((record) => [String(record.values['Email']).toLowerCase(), record.values]),
    );
  // Each person once on each side: Bob created in Marketo, Cyd in Salesforce, Ann linked.
  expect([...leads().keys()].sort()).toEqual([
    'ann.lee@example.com',
    'bob@example.com',
    'cyd@example.com',
  ]);
  expect([...contacts().keys()].sort()).toEqual([
    'ann.lee@example.com',
    'bob@example.com',
    'cyd@example.com',
  ]);
  expect(marketo.store.all()).toHaveLength(3);
  expect(salesforce.store.list('Contact')).toHaveLength(3);
  expect(leads().get('ann.lee@example.com')).toMatchObject({ title: 'Engineer' });
  expect(contacts().get('cyd@example.com')).toMatchObject({ FirstName: 'Cyd', Title: 'CMO' });

  // Edits on both sides, after the run.
  await nextSecond();
  const bob = salesforce.store
    .list('Contact')
    .find((record) => record.values['Email'] === 'bob@example.com');
  expect(salesforce.store.update('Contact', bob?.Id ?? '', { Title: 'VP Sales' })).toMatchObject({
    ok: true,
  });
  const cyd = marketo.store.find('email', ['cyd@example.com'])[0];
  marketo.store.update(cyd.id, { phone: '+1 555 0199', title: 'Chief Marketing Officer' });
  await nextSecond();

  const second = await runSyncNow(app, syncId);
  expect(second).toMatchObject({
    status: 'succeeded',
    counters: { created: 0, failed: 0, conflicts: 0 },
  });
  expect(leads().get('bob@example.com')).toMatchObject({ title: 'VP Sales' });
  expect(contacts().get('cyd@example.com')).toMatchObject({
    Phone: '+1 555 0199',
    Title: 'Chief Marketing Officer',
  });

  // Nothing changed since: the next runs read back their own writes and write nothing.
  await nextSecond();
  const writesBefore = marketoWrites();
  const sfWritesBefore = salesforce.store
    .list('Contact')
    .map((record) => record.values['SystemModstamp']);
  for (let run = 0; run < 2; run++) {
    const quiet = await runSyncNow(app, syncId);
    expect(quiet).toMatchObject({
      status: 'succeeded',
      counters: { created: 0, updated: 0, failed: 0 },
    });
  }
  expect(marketoWrites()).toBe(writesBefore);
  expect(salesforce.store.list('Contact').map((record) => record.values['SystemModstamp'])).toEqual(
    sfWritesBefore,
  );
  expect(marketo.store.all()).toHaveLength(3);
  expect(salesforce.store.list('Contact')).toHaveLength(3);
});

it('fills a Marketo static list from a HubSpot contacts audience and follows adds and removals', async () => {
  const hubspotId = await sandboxConnection(
    app,
    hubspotConnectionBody('HubSpot (Marketo list)', hubspot),
  );
  const marketoId = await sandboxConnection(app, marketoConnectionBody('Marketo (lists)'));
  const list = marketo.store.createList('HubSpot customers', 'Customer Program');
  const known = marketo.store.create({ email: 'dee@example.com', firstName: 'Dee' });
  const dee = hubspot.store.insert('contacts', {
    email: 'Dee@Example.com',
    lifecyclestage: 'customer',
  });
  const eve = hubspot.store.insert('contacts', {
    email: 'eve@example.com',
    lifecyclestage: 'lead',
  });
  const fay = hubspot.store.insert('contacts', {
    email: 'fay@example.com',
    lifecyclestage: 'customer',
  });

  const syncId = await createSync(app, {
    name: 'HubSpot customers → Marketo list',
    kind: 'audience',
    left: {
      connectionId: hubspotId,
      object: 'contacts',
      filter: {
        combine: 'all',
        conditions: [{ field: 'lifecyclestage', op: 'eq', value: 'customer' }],
      },
    },
    right: { connectionId: marketoId, object: String(list.id) },
    identifiers: { email: 'email' },
    mappings: [],
  });
  const members = (): string[] =>
    [...list.members].map((id) => String(marketo.store.lead(id)?.fields.email)).sort();

  const first = await runSyncNow(app, syncId);
  expect(first).toMatchObject({
    status: 'succeeded',
    counters: { added: 2, removed: 0, failed: 0 },
  });
  // Dee's lead is the one Marketo had; Fay, unknown to Marketo, became a lead to be listed.
  expect(members()).toEqual(['dee@example.com', 'fay@example.com']);
  expect(list.members.has(known.id)).toBe(true);
  expect(marketo.store.find('email', ['dee@example.com'])).toHaveLength(1);

  await nextSecond();
  hubspot.store.edit('contacts', eve.id, { lifecyclestage: 'customer' });
  hubspot.store.edit('contacts', fay.id, { lifecyclestage: 'other' });
  const second = await runSyncNow(app, syncId);
  expect(second).toMatchObject({
    status: 'succeeded',
    counters: { added: 1, removed: 1, failed: 0 },
  });
  expect(members()).toEqual(['dee@example.com', 'eve@example.com']);

  await nextSecond();
  hubspot.store.archive('contacts', dee.id);
  const third = await runSyncNow(app, syncId);
  expect(third).toMatchObject({ status: 'succeeded', counters: { added: 0, removed: 1 } });
  expect(members()).toEqual(['eve@example.com']);

  const quiet = await runSyncNow(app, syncId);
  expect(quiet).toMatchObject({ status: 'succeeded', counters: { added: 0, removed: 0 } });
});

it('backfills 20,000 leads under a low 20-second limit and daily quota: waits, stops as budget_exhausted, resumes the next day from its checkpoint', async () => {
  // The emulator's day moves on when the test says so; the leads were there before the sync.
  let offsetMs = -2 * 60 * 60 * 1000;
  const clock = {
    now: () => new Date(Date.now() + offsetMs),
    sleep: (ms: number, signal?: AbortSignal) => systemClock.sleep(ms, signal),
  };
  const limited = await startMarketoEmulator({ clock, limits: { windowMax: 60, dailyQuota: 100 } });
  try {
    limited.seed(20_000);
    offsetMs = 0;
    const marketoId = await sandboxConnection(app, {
      ...marketoConnectionBody('Marketo (low limits)'),
      settings: { instanceUrl: `${limited.url}/rest`, callsPer20Seconds: 60, dailyQuota: 100 },
    });
    const store = `backfill-${randomUUID()}`;
    const destination = await memoryConnection(app, 'Warehouse (memory)', store);
    const syncId = await createSync(app, {
      name: 'Marketo leads → warehouse',
      left: { connectionId: marketoId, object: 'leads', writeMode: 'update' },
      right: { connectionId: destination, object: 'people', writeMode: 'upsert' },
      direction: 'left_to_right',
      match: { left: 'email', right: 'email', normalizer: 'email' },
      defaultPolicy: 'left_wins',
      mappings: [
        { left: 'email', right: 'email', direction: 'left_to_right' },
        { left: 'firstName', right: 'first_name', direction: 'left_to_right' },
        { left: 'lastName', right: 'last_name', direction: 'left_to_right' },
      ],
    });
    const people = () => memoryBackendNamed(store).all('people');
    const run = async (): Promise<
      RunBody & {
        errorCode: string | null;
        error: string | null;
        startedAt: string;
        finishedAt: string;
      }
    > => {
      const res = await app.request(`/api/v1/syncs/${syncId}/runs`, { method: 'POST' });
      expect(res.status).toBe(202);
      const { id } = await json<{ id: string }>(res);
      return until(
        'the backfill run to end',
        async () => {
          const body = await json<
            RunBody & {
              errorCode: string | null;
              error: string | null;
              startedAt: string;
              finishedAt: string;
            }
          >(app.request(`/api/v1/runs/${id}`));
          return body.status === 'running' || body.status === 'queued' ? undefined : body;
        },
        150_000,
      );
    };

    const first = await run();
    // The quota ends the run: a clear code, nothing failed, and what it read is kept.
    expect(first).toMatchObject({
      status: 'failed',
      errorCode: 'budget_exhausted',
      counters: { failed: 0 },
    });
    expect(first.error).toContain('607');
    expect(limited.refusals.get('607')).toBe(1);
    // It waited for the 20-second window rather than be refused (no 606), and took that long.
    expect(limited.refusals.get('606')).toBeUndefined();
    expect(Date.parse(first.finishedAt) - Date.parse(first.startedAt)).toBeGreaterThanOrEqual(
      19_000,
    );
    const afterFirst = people().length;
    expect(afterFirst).toBeGreaterThan(10_000);
    expect(afterFirst).toBeLessThan(20_000);

    const { health } = await json<{ health: { status: string; reason: string; retryAt: string } }>(
      app.request(`/api/v1/syncs/${syncId}`),
    );
    expect(health.status).toBe('failing');
    expect(health.reason).toContain('budget');
    // The next run is due when Marketo's quota resets: midnight US Central, 06:00 UTC.
    expect(new Date(health.retryAt).getUTCHours()).toBe(6);
    const usage = await json<{
      since: string;
      calls: number;
      budget: number;
      pastThreshold: boolean;
      spentUntil: string | null;
    }>(app.request(`/api/v1/connections/${marketoId}/usage`));
    expect(usage).toMatchObject({ budget: 100, pastThreshold: true, spentUntil: health.retryAt });
    // Marketo's quota day, not the last 24 h: calls since its last reset, 06:00 UTC.
    expect(new Date(usage.since).toISOString()).toMatch(/T06:00:00\.000Z$/);
    expect(Date.parse(health.retryAt) - Date.parse(usage.since)).toBe(24 * 60 * 60 * 1000);
    expect(usage.calls).toBeGreaterThanOrEqual(100);

    // The next day: the quota is back, and the run goes on from its checkpoint.
    offsetMs = 24 * 60 * 60 * 1000;
    const second = await run();
    expect(second).toMatchObject({ status: 'succeeded', errorCode: null, counters: { failed: 0 } });
    expect(second.counters.read).toBeLessThan(20_000 - afterFirst + 600);
    expect(people()).toHaveLength(20_000);
    expect(new Set(people().map((person) => person.fields.email)).size).toBe(20_000);
    expect(limited.refusals.get('606')).toBeUndefined();
  } finally {
    await limited.close();
  }
}, 240_000);
