/**
 * Meta and LinkedIn through the REST API only, against their emulators: Salesforce opportunities
 * moved to Closed Won reach Meta's and LinkedIn's Conversions APIs exactly once each across repeated
 * runs, an injected 5xx and an answer lost after the vendor acted; a HubSpot segment of 20,000
 * contacts fills a Meta custom audience and a LinkedIn DMP segment, 1% churn goes as one add and
 * one remove call to each, and a full refresh through
 * usersreplace leaves the audience equal to the segment; no identifier ever reaches Meta in clear.
 */
import { startHubSpotEmulator, type HubSpotEmulator } from '../connectors/hubspot/emulator';
import {
  type LinkedInEmulator,
  TEST_ACCESS_TOKEN as LINKEDIN_TOKEN,
  startLinkedInEmulator,
} from '../connectors/linkedin/emulator';
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
  opportunityEventsBody,
  runSyncNow,
  salesforceConnectionBody,
  sandboxConnection,
} from './support/api-helpers';

let app: TestApp;
let meta: MetaEmulator;
let salesforce: SalesforceEmulator;
let hubspot: HubSpotEmulator;
let linkedin: LinkedInEmulator;
let metaId: string;
let linkedinId: string;
let accountId: string;
let linkedinAccount: string;
let pixelId: string;

beforeAll(async () => {
  app = await startTestApp({ SYNCLINE_ALLOW_SANDBOX: 'true' });
  meta = await startMetaEmulator();
  salesforce = await startSalesforceEmulator();
  hubspot = await startHubSpotEmulator();
  accountId = meta.store.createAccount('Acme Ads').id;
  pixelId = meta.store.createPixel('Acme CRM').id;
  linkedin = await startLinkedInEmulator();
  linkedinAccount = linkedin.store.createAccount('Acme B2B').id;
  linkedinId = await sandboxConnection(app, {
    name: 'LinkedIn (emulator)',
    kind: 'linkedin',
    settings: { adAccountId: linkedinAccount, baseUrl: linkedin.url },
    secrets: { accessToken: LINKEDIN_TOKEN },
  });
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
  await linkedin.close();
});

const HASH = /^[0-9a-f]{64}$/;

it('sends Closed Won opportunities to Meta and LinkedIn exactly once each, through a 5xx and a lost answer', async () => {
  const salesforceId = await sandboxConnection(
    app,
    salesforceConnectionBody('Salesforce (ads test)', salesforce),
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
  const rule = linkedin.store.createRule(linkedinAccount, 'Closed won');
  const wonTo = (name: string, right: Record<string, unknown>) =>
    createSync(app, opportunityEventsBody({ name, salesforceId, right }));
  const syncs = [
    await wonTo('Closed Won → Meta purchases', { connectionId: metaId, object: 'Purchase' }),
    await wonTo('Closed Won → LinkedIn conversions', { connectionId: linkedinId, object: rule.id }),
  ];
  const held = () => meta.store.pixels.get(pixelId)?.events ?? [];
  const runAll = async () => Promise.all(syncs.map((id) => runSyncNow(app, id)));

  // The first call to each fails with a 5xx; the retry sends both deals.
  meta.faults.next('server_error');
  linkedin.faults.next('server_error');
  for (const run of await runAll())
    expect(run).toMatchObject({ status: 'succeeded', counters: { sent: 2, failed: 0 } });
  expect(held().map((event) => event.eventName)).toEqual(['Purchase', 'Purchase']);
  expect(held()[0]?.userData).toEqual({ em: [sha256Hex('ann@acme.example.com')] });
  expect(held()[0]?.customData).toEqual({ value: 1000 });
  expect(rule.events.map((event) => event.userIds)).toContainEqual([
    { idType: 'SHA256_EMAIL', idValue: sha256Hex('ann@acme.example.com') },
  ]);
  for (const run of await runAll()) expect(run).toMatchObject({ counters: { sent: 0, failed: 0 } });
  expect(held()).toHaveLength(2);
  expect(rule.events).toHaveLength(2);

  // The third deal is won; each vendor takes it, then its answer is lost: the next run sends it
  // again, under the same event id, and each vendor keeps it once.
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  salesforce.store.update('Opportunity', pending, { StageName: 'Closed Won' });
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  meta.faults.next('answer_lost', { times: 3 });
  linkedin.faults.next('answer_lost', { times: 3 });
  await runAll();
  await runAll();
  expect(new Set(held().map((event) => event.eventId)).size).toBe(3);
  expect(held()).toHaveLength(3);
  expect(new Set(rule.events.map((event) => event.eventId)).size).toBe(3);
  expect(rule.events).toHaveLength(3);
  for (const event of held()) expect(event.userData.em).toEqual([expect.stringMatching(HASH)]);
  for (const event of rule.events)
    expect(event.userIds.every((id) => HASH.test(id.idValue))).toBe(true);
});

it('fills a Meta custom audience and a LinkedIn segment from a 20,000-contact HubSpot segment, applies 1% churn as adds and removes, and a Meta full refresh leaves it equal', async () => {
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
  const customersTo = (name: string, right: Record<string, unknown>) =>
    createSync(app, {
      name,
      kind: 'audience',
      left: {
        connectionId: hubspotId,
        object: 'contacts',
        filter: {
          combine: 'all',
          conditions: [{ field: 'lifecyclestage', op: 'eq', value: 'customer' }],
        },
      },
      right,
      identifiers: { email: 'email' },
      mappings: [],
    });
  const syncId = await customersTo('HubSpot customers → Meta Customers', {
    connectionId: metaId,
    object: audience.id,
  });
  const segment = linkedin.store.createSegment(linkedinAccount, 'Customers');
  const segmentSync = await customersTo('HubSpot customers → LinkedIn Customers', {
    connectionId: linkedinId,
    object: segment.id,
  });
  meta.counters.reset();
  expect(await runSyncNow(app, syncId, undefined, 180_000)).toMatchObject({
    status: 'succeeded',
    counters: { added: 20_000, failed: 0 },
  });
  expect(audience.members.size).toBe(20_000);
  expect(await runSyncNow(app, segmentSync, undefined, 180_000)).toMatchObject({
    status: 'succeeded',
    counters: { added: 20_000, failed: 0 },
  });
  expect(segment.users.size).toBe(20_000);
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
  linkedin.counters.reset();
  expect(await runSyncNow(app, segmentSync, undefined, 120_000)).toMatchObject({
    counters: { added: 100, removed: 100, failed: 0 },
  });
  // One batch create of adds and one of removes, and the segment check.
  expect(linkedin.counters.calls('POST /rest/dmpSegments/:id/users (BATCH_CREATE)')).toBe(2);
  expect(linkedin.counters.total).toBeLessThanOrEqual(4);
  expect(segment.users.size).toBe(20_000);

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
}, 400_000);
