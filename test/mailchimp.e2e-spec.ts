/**
 * Mailchimp through the REST API only, against its emulator: an unsubscribe in Mailchimp reaches
 * Salesforce's HasOptedOutOfEmail in one run and no later Salesforce edit re-subscribes the person;
 * an audience sync to a saved segment or to no audience at all is refused at save, naming it; a
 * HubSpot segment is kept equal to a Mailchimp tag through adds and removals, a HubSpot manual list
 * equal to a Mailchimp tag and a tag equal to a HubSpot list (lists read whole); a 50,000-contact
 * first load into the audience takes ⌈50,000/500⌉ batch subscribe calls.
 */
import {
  DEFAULT_SUBSCRIPTIONS,
  startHubSpotEmulator,
  type HubSpotEmulator,
} from '../connectors/hubspot/emulator';
import {
  type MailchimpEmulator,
  type StoredList,
  TEST_API_KEY,
  startMailchimpEmulator,
} from '../connectors/mailchimp/emulator';
import {
  startSalesforceEmulator,
  type SalesforceEmulator,
} from '../connectors/salesforce/emulator';
import { startTestApp, type TestApp } from './support/app';
import {
  createSync,
  hubspotConnectionBody,
  json,
  runSyncNow,
  salesforceConnectionBody,
  sandboxConnection,
} from './support/api-helpers';
import { optOutMapping, subscriptionMapping } from '../src/engine/testing/opt-out.test-kit';

let app: TestApp;
let hubspot: HubSpotEmulator;
let salesforce: SalesforceEmulator;
let mailchimp: MailchimpEmulator;
let audience: StoredList;
let mailchimpId: string;
const MARKETING = DEFAULT_SUBSCRIPTIONS[0]?.id ?? 0;

beforeAll(async () => {
  app = await startTestApp({ SYNCLINE_ALLOW_SANDBOX: 'true' });
  hubspot = await startHubSpotEmulator();
  salesforce = await startSalesforceEmulator();
  mailchimp = await startMailchimpEmulator();
  audience = mailchimp.store.createList('Newsletter');
  mailchimpId = await sandboxConnection(app, {
    name: 'Mailchimp (emulator)',
    kind: 'mailchimp',
    settings: { audienceId: audience.id, apiUrl: mailchimp.url },
    secrets: { apiKey: TEST_API_KEY },
  });
});

afterAll(async () => {
  await app.stop();
  await hubspot.close();
  await salesforce.close();
  await mailchimp.close();
});

/** Past the second: Mailchimp's and Salesforce's stamps are whole seconds. */
const nextSecond = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1_100));

it('takes an unsubscribe in Mailchimp to Salesforce in one run, and no Salesforce edit undoes it', async () => {
  const salesforceId = await sandboxConnection(
    app,
    salesforceConnectionBody('Salesforce (Mailchimp test)', salesforce),
  );
  const created = salesforce.store.create('Contact', {
    Email: 'ann@acme.example.com',
    FirstName: 'Ann',
    LastName: 'Lee',
    HasOptedOutOfEmail: false,
  });
  const contactId = created.ok ? created.id : '';
  const syncId = await createSync(app, {
    name: 'Salesforce Contacts ↔ Mailchimp newsletter',
    left: { connectionId: salesforceId, object: 'Contact', writeMode: 'upsert' },
    right: { connectionId: mailchimpId, object: 'members', writeMode: 'upsert' },
    direction: 'bidirectional',
    match: { left: 'Email', right: 'email_address', normalizer: 'email' },
    defaultPolicy: 'latest_wins',
    mappings: [
      { left: 'Email', right: 'email_address', direction: 'both' },
      { left: 'FirstName', right: 'FNAME', direction: 'both' },
      { left: 'LastName', right: 'LNAME', direction: 'both' },
      optOutMapping('HasOptedOutOfEmail', 'status'),
    ],
  });
  const validation = await app.request(`/api/v1/syncs/${syncId}/validate`, { method: 'POST' });
  expect(await validation.json()).toEqual({ valid: true, problems: [] });
  expect(await runSyncNow(app, syncId)).toMatchObject({ status: 'succeeded' });
  const member = () => mailchimp.store.member(audience, 'ann@acme.example.com');
  expect(member()).toMatchObject({ status: 'subscribed', merge_fields: { FNAME: 'Ann' } });

  // The person unsubscribes from a Mailchimp email.
  await nextSecond();
  const ann = member();
  if (ann === undefined) throw new Error('Ann is not a member');
  mailchimp.store.changeMember(ann, { status: 'unsubscribed' });
  await nextSecond();
  expect(await runSyncNow(app, syncId)).toMatchObject({ status: 'succeeded' });
  expect(salesforce.store.get(contactId)?.values.HasOptedOutOfEmail).toBe(true);

  // A rep clears the opt-out and renames her; only the name reaches Mailchimp.
  await nextSecond();
  salesforce.store.update('Contact', contactId, { HasOptedOutOfEmail: false, FirstName: 'Annie' });
  await nextSecond();
  const third = await runSyncNow(app, syncId);
  expect(third).toMatchObject({ status: 'succeeded', counters: { failed: 0 } });
  expect(member()).toMatchObject({ status: 'unsubscribed', merge_fields: { FNAME: 'Annie' } });
  const log = await json<{ items: { action: string; side: string; message: string | null }[] }>(
    app.request(`/api/v1/syncs/${syncId}/events?limit=50`),
  );
  expect(
    log.items.find((event) => event.action === 'skipped' && event.side === 'right')?.message,
  ).toContain('kept status opted out ("unsubscribed")');
  // The same again: nothing to write, and still not subscribed.
  await nextSecond();
  expect(await runSyncNow(app, syncId)).toMatchObject({ counters: { updated: 0, failed: 0 } });
  expect(member()?.status).toBe('unsubscribed');
});

it('takes an unsubscribe in Mailchimp to the HubSpot subscription status, and no HubSpot edit undoes it (unsubscribe_wins by default)', async () => {
  const hubspotId = await sandboxConnection(
    app,
    hubspotConnectionBody('HubSpot (Mailchimp statuses)', hubspot),
  );
  const news = mailchimp.store.createList('HubSpot news');
  const newsId = await sandboxConnection(app, {
    name: 'Mailchimp (HubSpot news)',
    kind: 'mailchimp',
    settings: { audienceId: news.id, apiUrl: mailchimp.url },
    secrets: { apiKey: TEST_API_KEY },
  });
  const contact = hubspot.store.insert('contacts', {
    email: 'bea@status.example.com',
    firstname: 'Bea',
    lastname: 'Stone',
  });
  const optOut = `hs_email_optout_${String(MARKETING)}`;
  const syncId = await createSync(app, {
    name: 'HubSpot contacts ↔ Mailchimp news',
    left: { connectionId: hubspotId, object: 'contacts', writeMode: 'upsert' },
    right: { connectionId: newsId, object: 'members', writeMode: 'upsert' },
    direction: 'bidirectional',
    match: { left: 'email', right: 'email_address', normalizer: 'email' },
    defaultPolicy: 'latest_wins',
    mappings: [
      { left: 'email', right: 'email_address', direction: 'both' },
      { left: 'firstname', right: 'FNAME', direction: 'both' },
      // No policy: both fields are subscription statuses, so unsubscribe_wins is the default.
      subscriptionMapping(optOut, 'status'),
    ],
  });
  const validation = await app.request(`/api/v1/syncs/${syncId}/validate`, { method: 'POST' });
  expect(await validation.json()).toEqual({ valid: true, problems: [] });
  expect(await runSyncNow(app, syncId)).toMatchObject({ status: 'succeeded' });
  const member = () => mailchimp.store.member(news, 'bea@status.example.com');
  expect(member()).toMatchObject({ status: 'subscribed', merge_fields: { FNAME: 'Bea' } });

  await nextSecond();
  const bea = member();
  if (bea === undefined) throw new Error('Bea is not a member');
  mailchimp.store.changeMember(bea, { status: 'unsubscribed' });
  await nextSecond();
  expect(await runSyncNow(app, syncId)).toMatchObject({ status: 'succeeded' });
  expect(hubspot.subscriptions.status('bea@status.example.com', MARKETING)?.status).toBe(
    'UNSUBSCRIBED',
  );
  expect(hubspot.store.get('contacts', contact.id)?.properties[optOut]).toBe('true');

  // Someone subscribes her again in HubSpot and renames her: only the name reaches Mailchimp.
  await nextSecond();
  hubspot.subscriptions.set('bea@status.example.com', MARKETING, 'SUBSCRIBED', {
    source: 'A sales rep',
  });
  hubspot.store.edit('contacts', contact.id, { firstname: 'Beatrice' });
  await nextSecond();
  expect(await runSyncNow(app, syncId)).toMatchObject({ counters: { failed: 0 } });
  expect(member()).toMatchObject({ status: 'unsubscribed', merge_fields: { FNAME: 'Beatrice' } });
});

it('refuses at save an audience sync to a saved segment, a HubSpot dynamic list or no audience, naming it', async () => {
  const hubspotId = await sandboxConnection(
    app,
    hubspotConnectionBody('HubSpot (Mailchimp refusals)', hubspot),
  );
  const saved = mailchimp.store.createSegment(audience, 'Opened last 30 days', 'saved');
  const body = (object: string) => ({
    name: `HubSpot → Mailchimp ${object}`,
    kind: 'audience',
    left: { connectionId: hubspotId, object: 'contacts' },
    right: { connectionId: mailchimpId, object },
    identifiers: { email: 'email' },
    mappings: [],
  });
  const refused = await app.request('/api/v1/syncs', {
    method: 'POST',
    body: JSON.stringify(body(String(saved.id))),
  });
  expect(refused.status).toBe(400);
  const problem = (await json<{ error: { details: { path: string; problem: string }[] } }>(refused))
    .error.details;
  expect(problem.map((each) => each.path)).toEqual(['right.object']);
  expect(problem[0]?.problem).toContain(
    `"Opened last 30 days" (${String(saved.id)}) cannot be changed by a sync`,
  );
  // A HubSpot DYNAMIC list: its filters decide its members.
  const dynamic = hubspot.lists.create('Engaged customers', 'DYNAMIC', { filterBranchType: 'OR' });
  const toDynamic = await app.request('/api/v1/syncs', {
    method: 'POST',
    body: JSON.stringify({
      name: 'Mailchimp newsletter → HubSpot engaged',
      kind: 'audience',
      left: { connectionId: mailchimpId, object: 'members' },
      right: { connectionId: hubspotId, object: dynamic.listId },
      identifiers: { email: 'email_address' },
      mappings: [],
    }),
  });
  expect(toDynamic.status).toBe(400);
  expect(JSON.stringify(await toDynamic.json())).toContain(
    `\\"Engaged customers\\" (${dynamic.listId}) cannot be changed by a sync: \\"Engaged customers\\" is a DYNAMIC list`,
  );
  const unknown = await app.request('/api/v1/syncs', {
    method: 'POST',
    body: JSON.stringify(body('999999')),
  });
  expect(unknown.status).toBe(400);
  expect(JSON.stringify(await unknown.json())).toContain(
    'no audience \\"999999\\" on this connection',
  );
});

it('keeps a Mailchimp tag equal to a HubSpot segment through adds and removals', async () => {
  const hubspotId = await sandboxConnection(
    app,
    hubspotConnectionBody('HubSpot (Mailchimp tag)', hubspot),
  );
  const tag = mailchimp.store.createSegment(audience, 'Customers', 'static');
  const people = ['cy', 'dee', 'eve'].map((name) => {
    mailchimp.store.addMember(audience, `${name}@tag.example.com`);
    return hubspot.store.insert('contacts', {
      email: `${name}@tag.example.com`,
      lifecyclestage: 'customer',
    });
  });
  const syncId = await createSync(app, {
    name: 'HubSpot customers → Mailchimp Customers',
    kind: 'audience',
    left: {
      connectionId: hubspotId,
      object: 'contacts',
      filter: {
        combine: 'all',
        conditions: [{ field: 'lifecyclestage', op: 'eq', value: 'customer' }],
      },
    },
    right: { connectionId: mailchimpId, object: String(tag.id) },
    identifiers: { email: 'email' },
    mappings: [],
  });
  const tagged = () =>
    [...tag.members].map((hash) => audience.members.get(hash)?.email_address).sort();
  expect(await runSyncNow(app, syncId)).toMatchObject({ counters: { added: 3, failed: 0 } });
  expect(tagged()).toEqual(['cy@tag.example.com', 'dee@tag.example.com', 'eve@tag.example.com']);

  const [cy, dee] = people.map((person) => person.id);
  hubspot.store.edit('contacts', cy, { lifecyclestage: 'evangelist' });
  hubspot.store.edit('contacts', dee, { lifecyclestage: 'customer', firstname: 'Dee' });
  mailchimp.store.addMember(audience, 'fay@tag.example.com');
  hubspot.store.insert('contacts', { email: 'fay@tag.example.com', lifecyclestage: 'customer' });
  await nextSecond();
  expect(await runSyncNow(app, syncId)).toMatchObject({
    counters: { added: 1, removed: 1, failed: 0 },
  });
  expect(tagged()).toEqual(['dee@tag.example.com', 'eve@tag.example.com', 'fay@tag.example.com']);
  // Tag changes went 500 to a call: one call each way at the most per run.
  expect(mailchimp.counters.calls('POST /3.0/lists/:list/segments/:id')).toBeLessThanOrEqual(3);
});

it('keeps a HubSpot manual list equal to a Mailchimp tag, and a Mailchimp tag equal to a HubSpot list, through adds and removals', async () => {
  const hubspotId = await sandboxConnection(
    app,
    hubspotConnectionBody('HubSpot (lists and tags)', hubspot),
  );
  const names = ['gus', 'hal', 'ivy', 'jo'];
  const contactIds = new Map<string, string>();
  for (const name of names) {
    mailchimp.store.addMember(audience, `${name}@list.example.com`);
    contactIds.set(
      name,
      hubspot.store.insert('contacts', { email: `${name}@list.example.com` }).id,
    );
  }
  const vip = mailchimp.store.createSegment(audience, 'VIP', 'static');
  const tagWith = (...tagged: string[]): void => {
    vip.members.clear();
    for (const name of tagged)
      vip.members.add(mailchimp.store.member(audience, `${name}@list.example.com`)?.id ?? '');
  };
  const manual = hubspot.lists.create('Mailchimp VIPs', 'MANUAL');
  const emailsIn = (list: typeof manual): (string | undefined)[] =>
    [...list.members.keys()]
      .map((id) => hubspot.store.get('contacts', id)?.properties.email)
      .sort();

  // Both connections list what a sync can read and change.
  const tags = await json<{ items: unknown[] }>(
    app.request(`/api/v1/connections/${mailchimpId}/audiences`),
  );
  expect(tags.items).toContainEqual({
    id: String(vip.id),
    name: 'VIP',
    writable: true,
    readable: true,
  });
  const lists = await json<{ items: unknown[] }>(
    app.request(`/api/v1/connections/${hubspotId}/audiences`),
  );
  expect(lists.items).toContainEqual({
    id: manual.listId,
    name: 'Mailchimp VIPs',
    writable: true,
    readable: true,
  });
  const body = (tag: string) => ({
    name: `Mailchimp tag ${tag} → HubSpot list`,
    kind: 'audience',
    left: { connectionId: mailchimpId, object: 'members', audience: tag },
    right: { connectionId: hubspotId, object: manual.listId },
    identifiers: { email: 'email_address' },
    mappings: [],
  });
  const unknown = await app.request('/api/v1/syncs', {
    method: 'POST',
    body: JSON.stringify(body('424242')),
  });
  expect(unknown.status).toBe(400);
  const details = (await json<{ error: { details: { path: string; problem: string }[] } }>(unknown))
    .error.details;
  expect(details).toEqual([
    { path: 'left.audience', problem: expect.stringContaining('no audience "424242"') as unknown },
  ]);

  const toList = await createSync(app, body(String(vip.id)));
  tagWith('gus', 'hal', 'ivy');
  expect(await runSyncNow(app, toList)).toMatchObject({ counters: { added: 3, failed: 0 } });
  expect(emailsIn(manual)).toEqual([
    'gus@list.example.com',
    'hal@list.example.com',
    'ivy@list.example.com',
  ]);
  // Tagging and untagging in Mailchimp leave last_changed alone: the whole tag is read each run.
  tagWith('hal', 'ivy', 'jo');
  expect(await runSyncNow(app, toList)).toMatchObject({
    counters: { read: 3, added: 1, removed: 1, failed: 0 },
  });
  expect(emailsIn(manual)).toEqual([
    'hal@list.example.com',
    'ivy@list.example.com',
    'jo@list.example.com',
  ]);
  expect(await runSyncNow(app, toList)).toMatchObject({ counters: { added: 0, removed: 0 } });

  // The other way: a HubSpot list is the set, a Mailchimp tag follows it.
  const webinar = hubspot.lists.create('Webinar attendees', 'MANUAL');
  const attended = mailchimp.store.createSegment(audience, 'Webinar', 'static');
  const attend = (...who: string[]): void => {
    webinar.members.clear();
    for (const name of who)
      webinar.members.set(contactIds.get(name) ?? '', new Date().toISOString());
  };
  const toTag = await createSync(app, {
    name: 'HubSpot webinar list → Mailchimp tag',
    kind: 'audience',
    left: { connectionId: hubspotId, object: 'contacts', audience: webinar.listId },
    right: { connectionId: mailchimpId, object: String(attended.id) },
    identifiers: { email: 'email' },
    mappings: [],
  });
  const taggedWebinar = () =>
    [...attended.members].map((hash) => audience.members.get(hash)?.email_address).sort();
  attend('gus', 'jo');
  expect(await runSyncNow(app, toTag)).toMatchObject({ counters: { added: 2, failed: 0 } });
  expect(taggedWebinar()).toEqual(['gus@list.example.com', 'jo@list.example.com']);
  attend('jo', 'ivy');
  expect(await runSyncNow(app, toTag)).toMatchObject({
    counters: { added: 1, removed: 1, failed: 0 },
  });
  expect(taggedWebinar()).toEqual(['ivy@list.example.com', 'jo@list.example.com']);
});

it('loads 50,000 HubSpot contacts into the audience in ⌈50,000/500⌉ batch subscribe calls', async () => {
  const hubspotId = await sandboxConnection(app, hubspotConnectionBody('HubSpot (load)', hubspot));
  const load = mailchimp.store.createList('Load');
  const loadId = await sandboxConnection(app, {
    name: 'Mailchimp (load)',
    kind: 'mailchimp',
    settings: { audienceId: load.id, apiUrl: mailchimp.url },
    secrets: { apiKey: TEST_API_KEY },
  });
  for (let n = 0; n < 50_000; n++)
    hubspot.store.insert('contacts', {
      email: `p${String(n)}@load.example.com`,
      firstname: `P${String(n)}`,
      lifecyclestage: 'lead',
    });
  const syncId = await createSync(app, {
    name: 'HubSpot load → Mailchimp',
    left: {
      connectionId: hubspotId,
      object: 'contacts',
      writeMode: 'update',
      filter: {
        combine: 'all',
        conditions: [{ field: 'lifecyclestage', op: 'eq', value: 'lead' }],
      },
    },
    right: { connectionId: loadId, object: 'members', writeMode: 'upsert' },
    direction: 'left_to_right',
    match: { left: 'email', right: 'email_address', normalizer: 'email' },
    defaultPolicy: 'left_wins',
    mappings: [
      { left: 'email', right: 'email_address', direction: 'left_to_right' },
      { left: 'firstname', right: 'FNAME', direction: 'left_to_right' },
    ],
  });
  mailchimp.counters.reset();
  const started = Date.now();
  const run = await runSyncNow(app, syncId, undefined, 240_000);
  expect(run).toMatchObject({ status: 'succeeded', counters: { created: 50_000, failed: 0 } });
  expect(load.members.size).toBe(50_000);
  const writes =
    mailchimp.counters.matching(/^(POST|PUT|PATCH|DELETE) /) -
    mailchimp.counters.matching(/^POST .*\/segments/);
  expect(writes).toBeLessThanOrEqual(Math.ceil(50_000 / 500) + 5);
  console.info(
    `50,000-contact first load: ${String(writes)} write calls, ${String(mailchimp.counters.total)} calls in all, ${String(Date.now() - started)} ms`,
  );
}, 300_000);
