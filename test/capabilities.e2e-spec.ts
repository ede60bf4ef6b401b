/**
 * Connectors of one capability through the API: the catalogue says what each can do, a
 * destination-only connection can be created and checked, and a sync that would read from it (a
 * records sync reads and writes both sides) is refused with a 400 that says why.
 */
import { testAudiencesConnector } from '../connectors/sdk/testing/destinations/audiences';
import { testEventsConnector } from '../connectors/sdk/testing/destinations/events';
import { type ErrorBody, json, memoryConnection } from './support/api-helpers';
import { startTestApp, type TestApp } from './support/app';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({}, { connectors: [testEventsConnector, testAudiencesConnector] });
});

afterAll(async () => {
  await app.stop();
});

async function connection(name: string, kind: string): Promise<string> {
  const res = await app.request('/api/v1/connections', {
    method: 'POST',
    body: JSON.stringify({ name, kind, settings: { store: name } }),
  });
  expect(res.status).toBe(201);
  return (await json<{ id: string }>(res)).id;
}

function syncBody(left: string, right: string, name: string): Record<string, unknown> {
  return {
    name,
    direction: 'left_to_right',
    left: { connectionId: left, object: 'contacts', writeMode: 'upsert' },
    right: { connectionId: right, object: 'Contact', writeMode: 'upsert' },
    match: { left: 'email', right: 'Email', normalizer: 'email' },
    mappings: [{ left: 'email', right: 'Email', direction: 'left_to_right' }],
    defaultPolicy: 'left_wins',
  };
}

it('lists each connector with its capabilities', async () => {
  const res = await app.request('/api/v1/connectors');
  expect(res.status).toBe(200);
  const { items } = await json<{ items: { kind: string; capabilities: string[] }[] }>(res);
  const capabilities = Object.fromEntries(items.map((item) => [item.kind, item.capabilities]));
  expect(capabilities).toMatchObject({
    memory: ['source', 'records', 'events', 'audiences'],
    hubspot: ['source', 'records', 'webhooks', 'audiences'],
    salesforce: ['source', 'records', 'jobs'],
    marketo: ['source', 'records', 'audiences'],
    mailchimp: ['source', 'records', 'audiences'],
    meta: ['events', 'audiences'],
    linkedin: ['events', 'audiences'],
    'google-ads': ['events', 'audiences'],
    'test-events': ['events'],
    'test-audiences': ['audiences'],
  });
});

it('creates and checks a connection to an event destination', async () => {
  const id = await connection('Conversions', 'test-events');
  const res = await app.request(`/api/v1/connections/${id}/check`, { method: 'POST' });
  expect(res.status).toBe(200);
  expect(await json(res)).toMatchObject({ ok: true });
});

it.each([
  ['an event destination', 'test-events', 'left'],
  ['an event destination', 'test-events', 'right'],
  ['an audience destination', 'test-audiences', 'left'],
] as const)(
  'refuses %s (%s) on the %s of a records sync, saying why',
  async (_what, kind, side) => {
    const destination = await connection(`${kind} ${side}`, kind);
    const crm = await memoryConnection(app, `CRM for ${kind} ${side}`, `crm-${kind}-${side}`);
    const [left, right] = side === 'left' ? [destination, crm] : [crm, destination];
    const res = await app.request('/api/v1/syncs', {
      method: 'POST',
      body: JSON.stringify(syncBody(left, right, `Into ${kind} ${side}`)),
    });
    expect(res.status).toBe(400);
    const body = await json<ErrorBody>(res);
    expect(body.error.code).toBe('validation_failed');
    const capability = kind === 'test-events' ? 'events' : 'audiences';
    const detail = body.error.details.find((each) => each.path === `${side}.connectionId`);
    expect(detail?.problem).toMatch(
      new RegExp(
        `${kind} connections cannot be a side of a records sync.*source and records.*has: ${capability}`,
      ),
    );
    // Nothing was created.
    const list = await json<{ items: { name: string }[] }>(app.request('/api/v1/syncs'));
    expect(list.items.map((sync) => sync.name)).not.toContain(`Into ${kind} ${side}`);
  },
);
