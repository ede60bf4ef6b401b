/**
 * Meta through the REST API only, against its emulator: Salesforce opportunities moved to Closed
 * Won reach Meta's Conversions API exactly once each across repeated runs, an injected 5xx and an
 * answer lost after Meta acted; a HubSpot segment of 20,000 contacts fills a custom audience, 1%
 * churn goes as one add and one remove call, and a full refresh through
 * usersreplace leaves the audience equal to the segment; no identifier ever reaches Meta in clear.
 */
import { startHubSpotEmulator, type HubSpotEmulator } from '../connectors/hubspot/emulator';
import {
  type MetaEmulator,
  TEST_ACCESS_TOKEN,
  startMetaEmulator,
} from '../connectors/meta/emulator';
import { sha256Hex } from '../connectors/sdk/normalize';
import {
  startSalesforceEmulator,
  type SalesforceEmulator,
} from '../connectors/salesforce/emulator';
import { startTestApp, type TestApp } from './support/app';
import {
  createSync,
  hubspotConnectionBody,
  runSyncNow,
  salesforceConnectionBody,
  sandboxConnection,
} from './support/api-helpers';

let app: TestApp;
let meta: MetaEmulator;
let salesforce: SalesforceEmulator;
let hubspot: HubSpotEmulator;
let metaId: string;
let accountId: string;
let pixelId: string;

beforeAll(async () => {
  app = await startTestApp({ SYNCLINE_ALLOW_SANDBOX: 'true' });
  meta = await startMetaEmulator();
  salesforce = await startSalesforceEmulator();
  hubspot = await startHubSpotEmulator();
  accountId = meta.store.createAccount('Acme Ads').id;
  pixelId = meta.store.createPixel('Acme CRM').id;
  metaId = await sandboxConnection(app, {
    name: 'Meta (emulator)',
    kind: 'meta',
    settings: { adAccountId: `act_${accountId}`, pixelId, baseUrl: meta.url },
    secrets: { accessToken: TEST_ACCESS_TOKEN },
  });
});

afterAll(async () => {
  await app.stop();
  await meta.close();
  await salesforce.close();
  await hubspot.close();
});

const HASH = /^[0-9a-f]{64}$/;

it('sends Closed Won opportunities to the Conversions API exactly once each, through a 5xx and a lost answer', async () => {
  const salesforceId = await sandboxConnection(
    app,
    salesforceConnectionBody('Salesforce (Meta test)', salesforce),
  );
  const today = new Date().toISOString().slice(0, 10);
  const opportunity = (name: string, stage: string, email: string) => {
    const created = salesforce.store.create('Opportunity', {
      Name: name,
      StageName: stage,
      CloseDate: today,
      Amount: 1000,
      Contact_Email__c: email,
    });
    if (!created.ok) throw new Error('seed');
    return created.id;
  };
  opportunity('Acme renewal', 'Closed Won', 'Ann@Acme.example.com');
  opportunity('Globex expansion', 'Closed Won', 'bo@globex.example.com');
  const pending = opportunity('Initech pilot', 'Proposal', 'cy@initech.example.com');
  const syncId = await createSync(app, {
    name: 'Closed Won → Meta purchases',
    kind: 'events',
    left: {
      connectionId: salesforceId,
      object: 'Opportunity',
      filter: {
        combine: 'all',
        conditions: [{ field: 'StageName', op: 'eq', value: 'Closed Won' }],
      },
    },
    right: { connectionId: metaId, object: 'Purchase' },
    identifiers: { email: 'Contact_Email__c' },
    events: { key: 'opportunity-{Id}-won', occurredAt: 'CloseDate' },
    mappings: [{ left: 'Amount', right: 'value', direction: 'left_to_right' }],
  });
  const held = () => meta.store.pixels.get(pixelId)?.events ?? [];

  // The first call fails with a 503; the retry sends both.
  meta.faults.next('server_error');
  expect(await runSyncNow(app, syncId)).toMatchObject({
    status: 'succeeded',
    counters: { sent: 2, failed: 0 },
  });
  expect(held().map((event) => event.eventName)).toEqual(['Purchase', 'Purchase']);
  expect(held()[0]?.userData).toEqual({ em: [sha256Hex('ann@acme.example.com')] });
  expect(held()[0]?.customData).toEqual({ value: 1000 });
  expect(await runSyncNow(app, syncId)).toMatchObject({ counters: { sent: 0, failed: 0 } });
  expect(held()).toHaveLength(2);

  // The third deal is won; Meta takes it, then its answer is lost: the next run sends it again,
  // under the same event_id, and Meta keeps it once.
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  salesforce.store.update('Opportunity', pending, { StageName: 'Closed Won' });
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  meta.faults.next('answer_lost', { times: 3 });
  await runSyncNow(app, syncId);
  await runSyncNow(app, syncId);
  expect(
    held()
      .map((event) => event.eventId)
      .sort(),
  ).toEqual([...new Set(held().map((event) => event.eventId))].sort());
  expect(held()).toHaveLength(3);
  for (const event of held()) expect(event.userData.em).toEqual([expect.stringMatching(HASH)]);
});

it('fills a custom audience from a 20,000-contact HubSpot segment, applies 1% churn as adds and removes, and a full refresh leaves it equal', async () => {
  const hubspotId = await sandboxConnection(
    app,
    hubspotConnectionBody('HubSpot (Meta audience)', hubspot),
  );
  const audience = meta.store.createAudience(accountId, 'Customers');
  const ids: string[] = [];
  for (let n = 0; n < 20_000; n++)
    ids.push(
      hubspot.store.insert('contacts', {
        email: `c${String(n)}@customers.example.com`,
        lifecyclestage: 'customer',
      }).id,
    );
  const syncId = await createSync(app, {
    name: 'HubSpot customers → Meta Customers',
    kind: 'audience',
    left: {
      connectionId: hubspotId,
      object: 'contacts',
      filter: {
        combine: 'all',
        conditions: [{ field: 'lifecyclestage', op: 'eq', value: 'customer' }],
      },
    },
    right: { connectionId: metaId, object: audience.id },
    identifiers: { email: 'email' },
    mappings: [],
  });
  meta.counters.reset();
  expect(await runSyncNow(app, syncId, undefined, 180_000)).toMatchObject({
    status: 'succeeded',
    counters: { added: 20_000, failed: 0 },
  });
  expect(audience.members.size).toBe(20_000);
  // A commit covers at most 20 source pages (what a crash reads again), 2,000 HubSpot contacts:
  // the first fill asks Meta once per commit, well under its 10,000-row batches.
  expect(meta.counters.calls('POST /:version/:id/users')).toBeLessThanOrEqual(10);

  // 1%: 100 customers churn, 100 new ones arrive.
  for (const id of ids.slice(0, 100))
    hubspot.store.edit('contacts', id, { lifecyclestage: 'other' });
  for (let n = 0; n < 100; n++)
    hubspot.store.insert('contacts', {
      email: `new${String(n)}@customers.example.com`,
      lifecyclestage: 'customer',
    });
  await new Promise((resolve) => setTimeout(resolve, 50));
  meta.counters.reset();
  expect(await runSyncNow(app, syncId, undefined, 120_000)).toMatchObject({
    counters: { added: 100, removed: 100, failed: 0 },
  });
  const writes =
    meta.counters.calls('POST /:version/:id/users') +
    meta.counters.calls('DELETE /:version/:id/users');
  expect(writes).toBe(2);
  expect(meta.counters.total).toBeLessThanOrEqual(writes + 2);
  expect(audience.members.size).toBe(20_000);

  // Someone edits the audience in Ads Manager; a full refresh puts it back through usersreplace.
  audience.members.add({ EMAIL: sha256Hex('stranger@example.com') });
  audience.members.remove({ EMAIL: sha256Hex('c500@customers.example.com') });
  meta.counters.reset();
  expect(await runSyncNow(app, syncId, { fullRefresh: true }, 180_000)).toMatchObject({
    status: 'succeeded',
    fullRefresh: true,
  });
  expect(meta.counters.calls('POST /:version/:id/usersreplace')).toBe(2);
  const expected = new Set([
    ...Array.from({ length: 19_900 }, (_, n) =>
      sha256Hex(`c${String(n + 100)}@customers.example.com`),
    ),
    ...Array.from({ length: 100 }, (_, n) => sha256Hex(`new${String(n)}@customers.example.com`)),
  ]);
  const held = audience.members.all().map((row) => row.EMAIL);
  expect(held).toHaveLength(20_000);
  expect(held.filter((hash) => hash === undefined || !expected.has(hash))).toEqual([]);
});
