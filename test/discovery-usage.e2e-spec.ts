/**
 * Discovery (a connection's objects and fields, cached) and API usage per connection through the
 * API.
 */
import { randomUUID } from 'node:crypto';
import { memoryBackendNamed } from '../connectors/memory';
import type { FieldDescriptor } from '../connectors/sdk/contract';
import { startTestApp, type TestApp } from './support/app';
import {
  apiKey,
  createSync,
  json,
  memoryConnection,
  runSyncNow,
  type ErrorBody,
  field,
} from './support/api-helpers';

interface UsageBody {
  connectionId: string;
  since: string;
  calls: number;
  budget: number | null;
  remaining: number | null;
  used: number | null;
}

describe('discovery and API usage', () => {
  let app: TestApp;
  let leftId: string;
  let rightId: string;
  let serviceKey: string;
  const stores = { left: `du-left-${randomUUID()}`, right: `du-right-${randomUUID()}` };
  const left = memoryBackendNamed(stores.left);

  beforeAll(async () => {
    app = await startTestApp({ SYNCLINE_ALLOW_SANDBOX: 'true' });
    left.setFieldDescriptors('contacts', [
      field('email', 'email', { unique: true, externalId: true }),
      field('status', 'enum', {
        options: [
          { value: 'lead', label: 'Lead' },
          { value: 'customer', label: 'Customer' },
        ],
      }),
    ]);
    left.seed('contacts', [{ fields: { email: 'ann@example.com', status: 'lead' } }]);
    leftId = await memoryConnection(app, 'L', stores.left);
    rightId = await memoryConnection(app, 'R', stores.right);
    serviceKey = await apiKey(app, 'service');
  });

  afterAll(async () => {
    await app.stop();
  });

  it("lists a connection's objects and an object's fields, cached until refreshed", async () => {
    const before = left.calls.discover;
    const objects = await json<{ items: Array<Record<string, unknown>>; discoveredAt: string }>(
      app.request(`/api/v1/connections/${leftId}/objects`),
    );
    expect(objects.items).toEqual([
      expect.objectContaining({ name: 'contacts', fieldCount: 2, deletes: true }),
    ]);
    const fields = await json<{ object: string; items: FieldDescriptor[] }>(
      app.request(`/api/v1/connections/${leftId}/objects/contacts/fields`),
    );
    expect(fields.object).toBe('contacts');
    expect(fields.items.find((f) => f.name === 'status')).toMatchObject({
      type: 'enum',
      options: [
        { value: 'lead', label: 'Lead' },
        { value: 'customer', label: 'Customer' },
      ],
    });
    expect(fields.items.find((f) => f.name === 'email')).toMatchObject({ externalId: true });
    // One discover() for both answers: the second came from the cache.
    expect(left.calls.discover).toBe(before + 1);

    left.setFieldDescriptors('leads', [field('email', 'email')]);
    const cached = await json<{ items: Array<{ name: string }> }>(
      app.request(`/api/v1/connections/${leftId}/objects`),
    );
    expect(cached.items.map((o) => o.name)).toEqual(['contacts']);
    const refreshed = await json<{ items: Array<{ name: string }> }>(
      app.request(`/api/v1/connections/${leftId}/objects?refresh=true`),
    );
    expect(refreshed.items.map((o) => o.name)).toEqual(['contacts', 'leads']);
    expect(left.calls.discover).toBe(before + 2);
  });

  it('answers 404 for an unknown object or connection, 400, 401 and 403', async () => {
    const unknown = await app.request(`/api/v1/connections/${leftId}/objects/Opportunity/fields`);
    expect(unknown.status).toBe(404);
    expect((await json<ErrorBody>(unknown)).error.details[0]?.path).toBe('object');
    expect((await app.request(`/api/v1/connections/${randomUUID()}/objects`)).status).toBe(404);
    expect((await app.request(`/api/v1/connections/${randomUUID()}/usage`)).status).toBe(404);
    const bad = await app.request(`/api/v1/connections/${leftId}/objects?refresh=sometimes`);
    expect(bad.status).toBe(400);
    expect((await json<ErrorBody>(bad)).error.details[0]?.path).toBe('refresh');
    expect((await app.request('/api/v1/connections/nope/usage')).status).toBe(400);
    expect((await app.request(`/api/v1/connections/${leftId}/objects`, { key: null })).status).toBe(
      401,
    );
    // A service key runs syncs; it does not read configuration.
    expect(
      (await app.request(`/api/v1/connections/${leftId}/objects`, { key: serviceKey })).status,
    ).toBe(403);
    expect(
      (await app.request(`/api/v1/connections/${leftId}/usage`, { key: serviceKey })).status,
    ).toBe(403);
  });

  it("sums the API calls of the last 24 h's runs per connection, against its budget", async () => {
    const unused = await json<UsageBody>(app.request(`/api/v1/connections/${leftId}/usage`));
    expect(unused).toMatchObject({ connectionId: leftId, calls: 0, budget: null, remaining: null });

    const syncId = await createSync(app, {
      name: 'Usage',
      left: { connectionId: leftId, object: 'contacts', writeMode: 'upsert' },
      right: { connectionId: rightId, object: 'Contact', writeMode: 'upsert' },
      direction: 'left_to_right',
      match: { left: 'email', right: 'Email', normalizer: 'email' },
      mappings: [{ left: 'email', right: 'Email', direction: 'left_to_right' }],
      defaultPolicy: 'left_wins',
    });
    const first = await runSyncNow(app, syncId);
    const second = await runSyncNow(app, syncId);
    const leftUsage = await json<UsageBody>(app.request(`/api/v1/connections/${leftId}/usage`));
    const rightUsage = await json<UsageBody>(app.request(`/api/v1/connections/${rightId}/usage`));
    expect(leftUsage.calls).toBe(first.counters.apiCalls.left + second.counters.apiCalls.left);
    expect(rightUsage.calls).toBe(first.counters.apiCalls.right + second.counters.apiCalls.right);
    expect(rightUsage.calls).toBeGreaterThan(0);
    expect(Date.now() - Date.parse(leftUsage.since)).toBeGreaterThanOrEqual(
      24 * 3600 * 1000 - 60_000,
    );

    // A HubSpot connection's budget is its daily limit setting (nothing is called to know it).
    const hubspot = await app.request('/api/v1/connections', {
      method: 'POST',
      body: JSON.stringify({
        name: 'HubSpot sandbox',
        kind: 'hubspot',
        sandbox: true,
        settings: { baseUrl: 'http://127.0.0.1:9', dailyLimit: 1000 },
        secrets: { accessToken: 'pat-test' },
      }),
    });
    expect(hubspot.status).toBe(201);
    const hubspotId = (await json<{ id: string }>(hubspot)).id;
    expect(await json(app.request(`/api/v1/connections/${hubspotId}/usage`))).toMatchObject({
      calls: 0,
      budget: 1000,
      remaining: 1000,
      used: 0,
    });
  });
});
