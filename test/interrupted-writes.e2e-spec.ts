/**
 * A newer edit is never overwritten by Syncline's own earlier write (issue 26), through the API
 * against the HubSpot and Salesforce emulators: a run's Salesforce update goes through while a later
 * batch of the same page answers 503; HubSpot is edited again; the next run writes the newer value
 * to Salesforce instead of taking its own earlier write for a Salesforce edit, and the sync log
 * shows the write of the interrupted run.
 */
import { startHubSpotEmulator, type HubSpotEmulator } from '../connectors/hubspot/emulator';
import {
  startSalesforceEmulator,
  type SalesforceEmulator,
} from '../connectors/salesforce/emulator';
import { startTestApp, type TestApp } from './support/app';
import {
  hubspotConnectionBody,
  json,
  runSyncNow,
  salesforceConnectionBody,
  sandboxConnection,
} from './support/api-helpers';

interface EventBody {
  action: string;
  side: string;
  leftId: string | null;
  rightId: string | null;
  fields: string[] | null;
  message: string | null;
}

describe('a write from an interrupted run is never taken for an edit', () => {
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

  function salesforcePhone(email: string): unknown {
    return salesforce.store.list('Contact').find((r) => r.values['Email'] === email)?.values[
      'Phone'
    ];
  }

  it('ends with the newest phone on both sides, and the log shows the interrupted run’s write', async () => {
    const ann = hubspot.store.insert('contacts', {
      email: 'ann@example.com',
      firstname: 'Ann',
      lastname: 'Lovelace',
      phone: '+1 555 4962',
    });
    salesforce.store.create('Contact', {
      Email: 'ann@example.com',
      FirstName: 'Ann',
      LastName: 'Lovelace',
      Phone: '+1 555 4962',
    });
    const hubspotId = await sandboxConnection(app, hubspotConnectionBody('HubSpot', hubspot));
    const salesforceId = await sandboxConnection(
      app,
      salesforceConnectionBody('Salesforce', salesforce),
    );
    const created = await app.request('/api/v1/syncs', {
      method: 'POST',
      body: JSON.stringify({
        name: 'Contacts, phone owned by Salesforce',
        left: { connectionId: hubspotId, object: 'contacts', writeMode: 'upsert' },
        right: { connectionId: salesforceId, object: 'Contact', writeMode: 'upsert' },
        direction: 'bidirectional',
        match: { left: 'email', right: 'Email', normalizer: 'email' },
        mappings: [
          { left: 'email', right: 'Email', direction: 'both' },
          { left: 'lastname', right: 'LastName', direction: 'both' },
          { left: 'phone', right: 'Phone', direction: 'both', policy: 'right_wins' },
        ],
        defaultPolicy: 'left_wins',
      }),
    });
    expect(created.status).toBe(201);
    const syncId = (await json<{ id: string }>(created)).id;
    expect((await runSyncNow(app, syncId)).status).toBe('succeeded');

    // HubSpot: Ann's phone changes, and a new contact (a create in Salesforce) arrives.
    hubspot.store.edit('contacts', ann.id, { phone: '+1 555 8895' });
    hubspot.store.insert('contacts', {
      email: 'cy@example.com',
      firstname: 'Cy',
      lastname: 'Young',
      phone: '+1 555 0001',
    });
    // Salesforce applies the update; the create of the same page answers 503 (not retried: a POST).
    salesforce.faults.failNext('server_error', {
      endpoint: /^POST \/composite\/sobjects$/,
      count: 5,
    });
    const interrupted = await runSyncNow(app, syncId);
    expect(interrupted.status).not.toBe('succeeded');
    expect(salesforcePhone('ann@example.com')).toBe('+1 555 8895');
    salesforce.faults.reset();

    // Cy's create failed and waits for its retry; an admin asks for it now.
    const retry = await app.request(`/api/v1/syncs/${syncId}/failed-records/retry`, {
      method: 'POST',
    });
    expect(retry.status).toBeLessThan(300);

    // HubSpot changes Ann's phone again; nobody edits it in Salesforce.
    hubspot.store.edit('contacts', ann.id, { phone: '+1 555 7888' });
    const next = await runSyncNow(app, syncId);
    expect(next.status).toBe('succeeded');
    const quiet = await runSyncNow(app, syncId);
    expect(quiet.status).toBe('succeeded');

    expect(hubspot.store.get('contacts', ann.id)?.properties['phone']).toBe('+1 555 7888');
    expect(salesforcePhone('ann@example.com')).toBe('+1 555 7888');
    // The create went through once, on the run after the failure.
    expect(
      salesforce.store.list('Contact').filter((r) => r.values['Email'] === 'cy@example.com'),
    ).toHaveLength(1);

    // The sync log shows the interrupted run's write of 8895 to Salesforce, and the next run's 7888.
    const logOf = async (runId: string): Promise<EventBody[]> =>
      (await json<{ items: EventBody[] }>(app.request(`/api/v1/runs/${runId}/events`))).items;
    expect(await logOf(interrupted.id)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'updated', side: 'right', leftId: ann.id }),
      ]),
    );
    const nextLog = await logOf(next.id);
    expect(nextLog).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'updated', side: 'right', leftId: ann.id }),
      ]),
    );
    expect(nextLog.filter((e) => e.leftId === ann.id && e.side === 'left')).toEqual([]);
  });
});
