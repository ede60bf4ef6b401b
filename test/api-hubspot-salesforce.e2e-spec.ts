/**
 * Through the API only: sandbox connections to the HubSpot and Salesforce emulators, a contacts
 * sync between them, validation of a broken mapping and its fix, a preview that writes nothing, a
 * run, its sync log and one record's history.
 */
import { startHubSpotEmulator, type HubSpotEmulator } from '../connectors/hubspot/emulator';
import {
  startSalesforceEmulator,
  type SalesforceEmulator,
} from '../connectors/salesforce/emulator';
import { startTestApp, type TestApp } from './support/app';
import { json, salesforceConnectionBody, waitForRun, type RunBody } from './support/api-helpers';

interface Problem {
  path: string;
  problem: string;
}
interface PreviewBody {
  problems: Problem[];
  read: number;
  creates: Array<{ side: string; sourceId: string; fields: Record<string, unknown> }>;
  updates: Array<{
    side: string;
    id: string;
    changes: Array<{ field: string; from: unknown; to: unknown }>;
  }>;
}
interface EventsBody {
  items: Array<{ action: string; side: string; leftId: string | null; rightId: string | null }>;
}

describe('HubSpot ↔ Salesforce through the API', () => {
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

  /** What the emulators hold, to show a preview changed nothing. */
  function vendorState(): string {
    return JSON.stringify({
      hubspot: hubspot.store.all('contacts'),
      salesforce: salesforce.store.list('Contact'),
    });
  }

  it('connects, is refused a broken mapping naming each field, previews, runs and reads the sync log', async () => {
    hubspot.store.insert('contacts', {
      email: 'ann@example.com',
      firstname: 'Ann',
      lastname: 'Lovelace',
      jobtitle: 'Engineer',
    });
    hubspot.store.insert('contacts', {
      email: 'bob@example.com',
      firstname: 'Bob',
      lastname: 'Builder',
      jobtitle: 'Builder',
    });
    salesforce.store.create('Contact', {
      Email: 'ANN@example.com',
      FirstName: 'Ann',
      LastName: 'Lovelace',
      Title: 'Eng',
    });

    const connection = async (body: Record<string, unknown>): Promise<string> => {
      const res = await app.request('/api/v1/connections', {
        method: 'POST',
        body: JSON.stringify({ sandbox: true, ...body }),
      });
      expect(res.status).toBe(201);
      return (await json<{ id: string }>(res)).id;
    };
    const hubspotId = await connection({
      name: 'HubSpot (emulator)',
      kind: 'hubspot',
      settings: { baseUrl: hubspot.url },
      secrets: { accessToken: 'pat-emulator' },
    });
    const salesforceId = await connection(
      salesforceConnectionBody('Salesforce (emulator)', salesforce),
    );
    for (const id of [hubspotId, salesforceId]) {
      expect(
        await json(app.request(`/api/v1/connections/${id}/check`, { method: 'POST' })),
      ).toMatchObject({ ok: true });
    }

    const body = (mappings: unknown[]): string =>
      JSON.stringify({
        name: 'HubSpot contacts ↔ Salesforce Contacts',
        left: { connectionId: hubspotId, object: 'contacts', writeMode: 'upsert' },
        // Email is no external id on Contact: the connector upserts by looking the emails up.
        right: { connectionId: salesforceId, object: 'Contact', writeMode: 'upsert' },
        direction: 'bidirectional',
        match: { left: 'email', right: 'Email', normalizer: 'email' },
        mappings,
        defaultPolicy: 'left_wins',
      });
    const refused = await app.request('/api/v1/syncs', {
      method: 'POST',
      body: body([
        { left: 'email', right: 'Email', direction: 'both' },
        { left: 'firstname', right: 'FirstNme', direction: 'both' },
        { left: 'jobtitle', right: 'CreatedDate', direction: 'both' },
      ]),
    });
    expect(refused.status).toBe(400);
    // Each problem, by path, checked against the vendors' discover(): the misspelt field, the
    // read-only and mistyped target, and Salesforce's required LastName left unmapped.
    expect((await json<{ error: { details: Problem[] } }>(refused)).error.details).toEqual([
      { path: 'mappings[1].right', problem: 'right object Contact has no field "FirstNme"' },
      { path: 'mappings[2].right', problem: 'right field "CreatedDate" is read-only' },
      {
        path: 'mappings[2].right',
        problem: 'cannot write string "jobtitle" into datetime "CreatedDate" without a transform',
      },
      {
        path: 'right.object',
        problem: 'required right field "LastName" is not mapped, so creates would fail',
      },
    ]);

    const created = await app.request('/api/v1/syncs', {
      method: 'POST',
      body: body([
        { left: 'email', right: 'Email', direction: 'both' },
        { left: 'firstname', right: 'FirstName', direction: 'both' },
        { left: 'lastname', right: 'LastName', direction: 'both' },
        { left: 'jobtitle', right: 'Title', direction: 'both' },
      ]),
    });
    expect(created.status).toBe(201);
    const sync = await json<{ id: string; version: number }>(created);
    expect(
      await json(app.request(`/api/v1/syncs/${sync.id}/validate`, { method: 'POST' })),
    ).toEqual({ valid: true, problems: [] });

    const before = vendorState();
    const hubspotWrites = hubspot.counters.writeCalls();
    const preview = await json<PreviewBody>(
      app.request(`/api/v1/syncs/${sync.id}/preview`, { method: 'POST', body: '{}' }),
    );
    expect(preview.problems).toEqual([]);
    expect(preview.creates).toEqual([
      expect.objectContaining({
        side: 'right',
        fields: expect.objectContaining({
          Email: 'bob@example.com',
          LastName: 'Builder',
        }) as unknown,
      }),
    ]);
    expect(preview.updates).toEqual([
      expect.objectContaining({
        side: 'right',
        changes: expect.arrayContaining([
          { field: 'Title', from: 'Eng', to: 'Engineer' },
        ]) as unknown,
      }),
    ]);
    expect(vendorState()).toBe(before);
    expect(hubspot.counters.writeCalls()).toBe(hubspotWrites);

    const triggered = await app.request(`/api/v1/syncs/${sync.id}/runs`, { method: 'POST' });
    expect(triggered.status).toBe(202);
    const run: RunBody = await waitForRun(app, (await json<RunBody>(triggered)).id);
    expect(run.status).toBe('succeeded');
    expect(run.counters).toMatchObject({ created: 1, updated: 1, failed: 0 });

    // The budget Salesforce reported in its Sforce-Limit-Info header during the run, kept before
    // the run is marked ended: there as soon as the run reads ended.
    const reported = async (connectionId: string): Promise<Array<Record<string, unknown>>> => {
      const { vendorBudgets } = await json<{ vendorBudgets: Array<Record<string, unknown>> }>(
        app.request(`/api/v1/connections/${connectionId}/usage`),
      );
      return vendorBudgets;
    };
    expect(await reported(salesforceId)).toEqual([
      expect.objectContaining({
        name: 'salesforce-daily',
        limit: expect.any(Number) as number,
        remaining: expect.any(Number) as number,
        windowMs: 86_400_000,
      }),
    ]);
    // And HubSpot's, from its X-HubSpot-RateLimit-* headers.
    expect((await reported(hubspotId)).map((budget) => budget['name'])).toEqual(
      expect.arrayContaining(['hubspot-daily', 'hubspot-interval']),
    );

    const contacts = salesforce.store.list('Contact').map((r) => ({
      Email: r.values['Email'],
      Title: r.values['Title'],
    }));
    expect(contacts).toEqual(
      expect.arrayContaining([
        { Email: 'ann@example.com', Title: 'Engineer' },
        { Email: 'bob@example.com', Title: 'Builder' },
      ]),
    );
    expect(contacts).toHaveLength(2);

    const events = await json<EventsBody>(app.request(`/api/v1/runs/${run.id}/events`));
    expect(events.items.map((e) => e.action).sort()).toEqual(
      expect.arrayContaining(['created', 'updated']),
    );
    const bobEvent = events.items.find((e) => e.action === 'created');
    const history = await json<EventsBody>(
      app.request(`/api/v1/syncs/${sync.id}/records/left/${bobEvent?.leftId ?? ''}`),
    );
    expect(history.items).toEqual([
      expect.objectContaining({ action: 'created', side: 'right', leftId: bobEvent?.leftId }),
    ]);

    // A second run describes nothing again: the connection's described objects are kept.
    const describes = (): number =>
      salesforce.counters.matching(/describe/) +
      Object.entries(hubspot.counters.byEndpoint())
        .filter(([endpoint]) => endpoint.includes('/properties/'))
        .reduce((sum, [, count]) => sum + count, 0);
    const describedBefore = describes();
    const second = await app.request(`/api/v1/syncs/${sync.id}/runs`, { method: 'POST' });
    expect((await waitForRun(app, (await json<RunBody>(second)).id)).status).toBe('succeeded');
    expect(describes()).toBe(describedBefore);
  });
});
