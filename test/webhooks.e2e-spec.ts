/**
 * Inbound HubSpot webhooks through HTTP: requests signed here exactly as HubSpot signs them (v3),
 * refused when unsigned, mis-signed, stale or malformed, routed by portal and object to the syncs
 * that read them, debounced into `webhook_due_at`, and turned into a run by the scheduler.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { startHubSpotEmulator, type HubSpotEmulator } from '../connectors/hubspot/emulator';
import { memoryBackendNamed } from '../connectors/memory';
import { startTestApp, type TestApp } from './support/app';
import { createSync, json, memoryConnection, type ErrorBody } from './support/api-helpers';

const PORTAL = 62515;
const SECRET = 'hubspot-app-client-secret';
/** The path HubSpot is given for a connection, and the same with the escapes HubSpot signs decoded. */
const pathOf = (connectionId: string): string =>
  `/api/v1/webhooks/${connectionId}?source=hub%3Aspot%2Ce2e`;
const signedPathOf = (connectionId: string): string =>
  `/api/v1/webhooks/${connectionId}?source=hub:spot,e2e`;

interface Delivery {
  /** The connection the webhook URL names. */
  to: string;
  events: unknown;
  /** The client secret to sign with. */
  secret?: string;
  /** The URL to sign (HubSpot's view of it); default the app's own, decoded. */
  signedUri?: string;
  timestamp?: string;
  /** Replaces the computed signature; null: no signature header. */
  signature?: string | null;
  headers?: Record<string, string>;
  /** The body as sent; default JSON of `events`. */
  raw?: string;
}

/** HubSpot's v3 signature, computed here from its documentation alone. */
function hubspotSign(
  secret: string,
  method: string,
  uri: string,
  body: string,
  ts: string,
): string {
  return createHmac('sha256', secret).update(`${method}${uri}${body}${ts}`).digest('base64');
}

function deliver(app: TestApp, delivery: Delivery): Promise<Response> {
  const body = delivery.raw ?? JSON.stringify(delivery.events);
  const timestamp = delivery.timestamp ?? String(Date.now());
  const signature =
    delivery.signature === undefined
      ? hubspotSign(
          delivery.secret ?? SECRET,
          'POST',
          delivery.signedUri ?? `${app.url}${signedPathOf(delivery.to)}`,
          body,
          timestamp,
        )
      : delivery.signature;
  return app.request(pathOf(delivery.to), {
    method: 'POST',
    key: null,
    body,
    headers: {
      'content-type': 'application/json',
      'x-hubspot-request-timestamp': timestamp,
      ...(signature === null ? {} : { 'x-hubspot-signature-v3': signature }),
      ...delivery.headers,
    },
  });
}

function contactEvent(portalId: number, objectId = 1, type = 'contact.propertyChange') {
  return {
    eventId: Math.floor(Math.random() * 1e9),
    subscriptionId: 12345,
    portalId,
    appId: 54321,
    occurredAt: Date.now(),
    subscriptionType: type,
    attemptNumber: 0,
    objectId,
    changeSource: 'CRM',
    propertyName: 'firstname',
    propertyValue: 'Ann',
  };
}

async function dueAt(app: TestApp, syncId: string): Promise<Date | null> {
  const rows: unknown = await app.running.app
    .get(DataSource)
    .query(`SELECT "webhook_due_at" FROM "syncs" WHERE "id" = $1`, [syncId]);
  return (rows as Array<{ webhook_due_at: Date | null }>)[0]?.webhook_due_at ?? null;
}

interface RunItem {
  id: string;
  trigger: string;
  status: string;
  counters: { created: number };
}

async function runsOf(app: TestApp, syncId: string): Promise<RunItem[]> {
  return (await json<{ items: RunItem[] }>(app.request(`/api/v1/runs?syncId=${syncId}`))).items;
}

async function hubspotConnection(
  app: TestApp,
  name: string,
  settings: Record<string, unknown>,
  secrets: Record<string, string>,
  sandbox: boolean,
): Promise<string> {
  const res = await app.request('/api/v1/connections', {
    method: 'POST',
    body: JSON.stringify({ name, kind: 'hubspot', sandbox, settings, secrets }),
  });
  if (res.status !== 201) throw new Error(`connection ${name}: ${res.status} ${await res.text()}`);
  return (await json<{ id: string }>(res)).id;
}

function contactsSync(
  name: string,
  left: { connectionId: string; object: string },
  right: { connectionId: string; object: string },
  direction = 'left_to_right',
  fields: Array<[string, string]> = [
    ['email', 'Email'],
    ['firstname', 'FirstName'],
  ],
): Record<string, unknown> {
  const way = direction === 'bidirectional' ? 'both' : direction;
  return {
    name,
    left: { ...left, writeMode: 'upsert' },
    right: { ...right, writeMode: 'upsert' },
    direction,
    match: { left: fields[0]?.[0], right: fields[0]?.[1], normalizer: 'email' },
    mappings: fields.map(([l, r]) => ({ left: l, right: r, direction: way })),
    defaultPolicy: 'left_wins',
  };
}

describe('HubSpot webhooks', () => {
  let app: TestApp;
  let hubspot: HubSpotEmulator;
  let syncId: string;
  let hubspotId: string;
  const store = `webhooks-${randomUUID()}`;

  beforeAll(async () => {
    app = await startTestApp({
      SYNCLINE_ALLOW_SANDBOX: 'true',
      SYNCLINE_WEBHOOK_DEBOUNCE_SECONDS: '0',
      SYNCLINE_TICK_SECONDS: '1',
    });
    hubspot = await startHubSpotEmulator();
    hubspot.store.insert('contacts', { email: 'ann@example.com', firstname: 'Ann' });
    hubspotId = await hubspotConnection(
      app,
      'HubSpot (emulator)',
      { baseUrl: hubspot.url, portalId: PORTAL },
      { accessToken: 'pat-emulator', clientSecret: SECRET },
      true,
    );
    const memoryId = await memoryConnection(app, 'Webhook target', store);
    syncId = await createSync(
      app,
      contactsSync(
        'HubSpot contacts → memory',
        { connectionId: hubspotId, object: 'contacts' },
        { connectionId: memoryId, object: 'Contact' },
      ),
    );
  });

  afterAll(async () => {
    await app.stop();
    await hubspot.close();
  });

  /** Nothing was marked and no run followed. */
  async function expectNothingMarked(): Promise<void> {
    expect(await dueAt(app, syncId)).toBeNull();
    expect(await runsOf(app, syncId)).toEqual([]);
  }

  it('refuses a body that is no array of events with 400, once the signature holds', async () => {
    const notArray = await deliver(app, {
      to: hubspotId,
      events: { portalId: PORTAL },
    });
    expect(notArray.status).toBe(400);
    expect((await json<ErrorBody>(notArray)).error).toMatchObject({
      code: 'validation_failed',
      details: [{ path: 'body', problem: 'must be a JSON array of HubSpot events' }],
    });

    const badEvent = await deliver(app, {
      to: hubspotId,
      events: [{ portalId: 'x', subscriptionType: 'contact.creation' }],
    });
    expect(badEvent.status).toBe(400);
    expect((await json<ErrorBody>(badEvent)).error).toMatchObject({
      code: 'validation_failed',
      details: [{ path: '[0].portalId', problem: 'must be a whole number' }],
    });

    // Not JSON at all: the JSON parser refuses it before anything else.
    const garbled = await deliver(app, {
      to: hubspotId,
      events: null,
      raw: '[{"portalId": 62515,',
    });
    expect(garbled.status).toBe(400);
    expect(typeof (await json<ErrorBody>(garbled)).error.code).toBe('string');
    await expectNothingMarked();
  });

  it('refuses a request without a signature or timestamp with 401', async () => {
    const unsigned = await deliver(app, {
      to: hubspotId,
      events: [contactEvent(PORTAL)],
      signature: null,
    });
    expect(unsigned.status).toBe(401);
    expect((await json<ErrorBody>(unsigned)).error.code).toBe('invalid_signature');

    const res = await app.request(pathOf(hubspotId), {
      method: 'POST',
      key: null,
      body: JSON.stringify([contactEvent(PORTAL)]),
      headers: { 'x-hubspot-signature-v3': hubspotSign(SECRET, 'POST', 'x', '[]', '') },
    });
    expect(res.status).toBe(401);
    expect((await json<ErrorBody>(res)).error.code).toBe('invalid_signature');
    await expectNothingMarked();
  });

  it('refuses a wrong signature with 401, and an API key is no substitute', async () => {
    const events = [contactEvent(PORTAL)];
    for (const delivery of [
      { events, secret: 'not-the-secret' },
      { events, signature: 'bm90IGEgc2lnbmF0dXJl' },
      // Signed for another URL, or another body than the one sent.
      { events, signedUri: `${app.url}/api/v1/webhooks/${hubspotId}` },
      { events, signedUri: `https://elsewhere.example.com${signedPathOf(hubspotId)}` },
      {
        events,
        raw: JSON.stringify([contactEvent(PORTAL, 2)]),
        signature: hubspotSign(
          SECRET,
          'POST',
          `${app.url}${signedPathOf(hubspotId)}`,
          JSON.stringify(events),
          String(Date.now()),
        ),
      },
    ]) {
      const res = await deliver(app, { to: hubspotId, ...delivery });
      expect(res.status).toBe(401);
      expect((await json<ErrorBody>(res)).error.code).toBe('invalid_signature');
    }
    const withKey = await app.request(pathOf(hubspotId), {
      method: 'POST',
      body: JSON.stringify(events),
    });
    expect(withKey.status).toBe(401);
    await expectNothingMarked();
  });

  it('refuses a correctly signed request more than 5 minutes old (or ahead) with 401', async () => {
    for (const offset of [-6 * 60_000, 6 * 60_000]) {
      const res = await deliver(app, {
        to: hubspotId,
        events: [contactEvent(PORTAL)],
        timestamp: String(Date.now() + offset),
      });
      expect(res.status).toBe(401);
      expect((await json<ErrorBody>(res)).error.code).toBe('stale_signature');
    }
    await expectNothingMarked();
  });

  it('accepts events of another portal, or of objects no sync reads, and marks nothing', async () => {
    const otherPortal = await deliver(app, {
      to: hubspotId,
      events: [contactEvent(99999)],
    });
    expect(otherPortal.status).toBe(200);
    // Public, yet rate-limited like the API (keyed by the caller's address).
    expect(otherPortal.headers.get('x-ratelimit-limit')).toBe('600');
    expect(await json(otherPortal)).toEqual({ accepted: 1, syncs: 0 });

    const deals = await deliver(app, {
      to: hubspotId,
      events: [
        contactEvent(PORTAL, 5, 'deal.creation'),
        contactEvent(PORTAL, 6, 'product.creation'),
      ],
    });
    expect(await json(deals)).toEqual({ accepted: 2, syncs: 0 });

    // Behind a reverse proxy: the URL HubSpot called is in X-Forwarded-Proto/-Host.
    const proxied = await deliver(app, {
      to: hubspotId,
      events: [contactEvent(99999)],
      signedUri: `https://hooks.example.com${signedPathOf(hubspotId)}`,
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'hooks.example.com' },
    });
    expect(proxied.status).toBe(200);

    expect(
      await json(
        await deliver(app, {
          to: hubspotId,
          events: [],
        }),
      ),
    ).toEqual({ accepted: 0, syncs: 0 });
    await expectNothingMarked();
  });

  it('marks the sync due for a webhook run, which the scheduler starts and finishes', async () => {
    const res = await deliver(app, {
      to: hubspotId,
      events: [contactEvent(PORTAL, 1, 'contact.creation'), contactEvent(PORTAL, 1)],
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ accepted: 2, syncs: 1 });
    // Marked due (or, the debounce being 0, already picked up by the scheduler's tick).
    const due = await dueAt(app, syncId);
    const runs = await runsOf(app, syncId);
    expect(due !== null || runs.some((run) => run.trigger === 'webhook')).toBe(true);
    if (due !== null) expect(due.getTime()).toBeLessThanOrEqual(Date.now() + 1000);

    const deadline = Date.now() + 30_000;
    let run: RunItem | undefined;
    for (;;) {
      run = (await runsOf(app, syncId)).find(
        (r) => r.trigger === 'webhook' && r.status !== 'queued' && r.status !== 'running',
      );
      if (run !== undefined || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(run).toMatchObject({
      trigger: 'webhook',
      status: 'succeeded',
      counters: { created: 1 },
    });
    expect(
      memoryBackendNamed(store)
        .all('Contact')
        .map((r) => r.fields['Email']),
    ).toEqual(['ann@example.com']);
    expect(await dueAt(app, syncId)).toBeNull();
  });
});

describe('HubSpot webhook routing and debounce', () => {
  const PUBLIC_URL = 'https://syncline.example.com';
  const OTHER_SECRET = 'second-app-client-secret';
  let app: TestApp;
  const ids: Record<string, string> = {};
  const connections = { portalA: '', anyPortal: '', noSecret: '', memory: '' };

  beforeAll(async () => {
    app = await startTestApp({
      SYNCLINE_WEBHOOK_DEBOUNCE_SECONDS: '3600',
      SYNCLINE_PUBLIC_URL: PUBLIC_URL,
    });
    // No vendor is called: the runs are an hour away.
    connections.portalA = await hubspotConnection(
      app,
      'Portal A',
      { portalId: PORTAL },
      { accessToken: 'pat-a', clientSecret: SECRET },
      false,
    );
    connections.anyPortal = await hubspotConnection(
      app,
      'Any portal',
      {},
      { accessToken: 'pat-b', clientSecret: OTHER_SECRET },
      false,
    );
    connections.noSecret = await hubspotConnection(
      app,
      'No secret',
      { portalId: PORTAL },
      { accessToken: 'pat-c' },
      false,
    );
    const memory = await memoryConnection(app, 'Memory', `routing-${randomUUID()}`);
    connections.memory = memory;
    const a = { connectionId: connections.portalA, object: 'contacts' };
    const m = { connectionId: memory, object: 'Contact' };
    ids['readsA'] = await createSync(app, contactsSync('reads A', a, m));
    ids['writesA'] = await createSync(
      app,
      contactsSync('writes A', m, a, 'left_to_right', [['Email', 'email']]),
    );
    ids['readsARight'] = await createSync(
      app,
      contactsSync('reads A (right)', m, a, 'right_to_left', [['Email', 'email']]),
    );
    ids['companies'] = await createSync(
      app,
      contactsSync(
        'companies both ways',
        { connectionId: memory, object: 'Account' },
        { connectionId: connections.portalA, object: 'companies' },
        'bidirectional',
        [['Name', 'name']],
      ),
    );
    ids['disabled'] = await createSync(app, contactsSync('disabled', a, m));
    const disabled = await json<{ version: number }>(
      app.request(`/api/v1/syncs/${ids['disabled']}`),
    );
    const off = await app.request(`/api/v1/syncs/${ids['disabled']}/disable`, {
      method: 'POST',
      body: JSON.stringify({ version: disabled.version }),
    });
    expect(off.status).toBe(200);
    ids['anyPortal'] = await createSync(
      app,
      contactsSync('any portal', { connectionId: connections.anyPortal, object: 'contacts' }, m),
    );
  });

  afterAll(async () => {
    await app.stop();
  });

  async function marked(): Promise<string[]> {
    const names: string[] = [];
    for (const [name, id] of Object.entries(ids)) {
      if ((await dueAt(app, id)) !== null) names.push(name);
    }
    return names.sort();
  }

  it('verifies against SYNCLINE_PUBLIC_URL, not the address the request arrived at', async () => {
    const own = await deliver(app, {
      to: connections.portalA,
      events: [contactEvent(PORTAL)],
    });
    expect(own.status).toBe(401);
    expect(await marked()).toEqual([]);
  });

  it('marks the enabled syncs reading the object from the connection that signed', async () => {
    const before = Date.now();
    const res = await deliver(app, {
      to: connections.portalA,
      events: [contactEvent(PORTAL)],
      signedUri: `${PUBLIC_URL}${signedPathOf(connections.portalA)}`,
    });
    expect(await json(res)).toEqual({ accepted: 1, syncs: 2 });
    expect(await marked()).toEqual(['readsA', 'readsARight']);
    const due = (await dueAt(app, ids['readsA'] ?? ''))?.getTime() ?? 0;
    // The debounce is an hour (give or take the clocks of the app and its database).
    expect(due).toBeGreaterThan(before + 3590_000);
    expect(due).toBeLessThan(Date.now() + 3610_000);
  });

  it('keeps the first due time: later events join the pending run', async () => {
    const first = await dueAt(app, ids['readsA'] ?? '');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const res = await deliver(app, {
      to: connections.portalA,
      events: [contactEvent(PORTAL, 7)],
      signedUri: `${PUBLIC_URL}${signedPathOf(connections.portalA)}`,
    });
    expect(await json(res)).toEqual({ accepted: 1, syncs: 2 });
    expect(await dueAt(app, ids['readsA'] ?? '')).toEqual(first);
  });

  it('routes company events to the syncs reading companies', async () => {
    const res = await deliver(app, {
      to: connections.portalA,
      events: [contactEvent(PORTAL, 9, 'company.propertyChange')],
      signedUri: `${PUBLIC_URL}${signedPathOf(connections.portalA)}`,
    });
    expect(await json(res)).toEqual({ accepted: 1, syncs: 1 });
    expect(await marked()).toEqual(['companies', 'readsA', 'readsARight']);
  });

  it("refuses events for one connection signed with another connection's secret", async () => {
    const res = await deliver(app, {
      to: connections.portalA,
      events: [contactEvent(PORTAL)],
      secret: OTHER_SECRET,
      signedUri: `${PUBLIC_URL}${signedPathOf(connections.portalA)}`,
    });
    expect(res.status).toBe(401);
    expect((await json<ErrorBody>(res)).error.code).toBe('invalid_signature');
  });

  it('takes events of any portal for a connection without portalId, under its own secret', async () => {
    const res = await deliver(app, {
      to: connections.anyPortal,
      events: [contactEvent(4242)],
      secret: OTHER_SECRET,
      signedUri: `${PUBLIC_URL}${signedPathOf(connections.anyPortal)}`,
    });
    expect(await json(res)).toEqual({ accepted: 1, syncs: 1 });
    expect(await marked()).toEqual(['anyPortal', 'companies', 'readsA', 'readsARight']);
  });

  it('refuses, without saying why, a connection with no client secret, an unknown one, or one that takes no webhooks', async () => {
    for (const to of [
      connections.noSecret,
      '00000000-0000-4000-8000-000000000000',
      connections.memory,
    ]) {
      const res = await deliver(app, {
        to,
        events: [contactEvent(PORTAL)],
        signedUri: `${PUBLIC_URL}${signedPathOf(to)}`,
      });
      expect(res.status).toBe(401);
      expect((await json<ErrorBody>(res)).error.code).toBe('invalid_signature');
    }
  });

  it('answers the old per-vendor route with 410 and where webhooks arrive now', async () => {
    const res = await app.request('/api/v1/webhooks/hubspot', {
      method: 'POST',
      key: null,
      body: JSON.stringify([contactEvent(PORTAL)]),
    });
    expect(res.status).toBe(410);
    const body = await json<ErrorBody>(res);
    expect(body.error.code).toBe('route_moved');
    expect(body.error.message).toContain('/api/v1/webhooks/<connection id>');
  });
});
