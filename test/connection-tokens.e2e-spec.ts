/**
 * A connection's granted access token is kept (sealed) in the database and used by every connector
 * opened for it until it expires: a check, a discovery, a preview and three runs ask HubSpot for
 * one token, not one each; an expired token is renewed once; new credentials forget it.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { type HubSpotEmulator, startHubSpotEmulator } from '../connectors/hubspot/emulator';
import { startTestApp, type TestApp } from './support/app';
import { createSync, json, memoryConnection, runSyncNow } from './support/api-helpers';

const APP = { clientId: 'syncline-app', clientSecret: 'app-secret' };

describe('access tokens per connection', () => {
  let app: TestApp;
  let hubspot: HubSpotEmulator;

  beforeAll(async () => {
    app = await startTestApp({ SYNCLINE_ALLOW_SANDBOX: 'true' });
    hubspot = await startHubSpotEmulator({ oauthApps: [APP] });
  });

  afterAll(async () => {
    await app.stop();
    await hubspot.close();
  });

  const tokenRows = (id: string): Promise<Array<{ token: Buffer }>> =>
    app.running.app
      .get(DataSource)
      .query('SELECT "token" FROM "connection_tokens" WHERE "connection_id" = $1', [id]);

  it('are granted once and shared by every connector of the connection', async () => {
    hubspot.store.insert('contacts', { email: 'ann@example.com', firstname: 'Ann' });
    const { refreshToken } = hubspot.auth.install(APP.clientId);
    const created = await app.request('/api/v1/connections', {
      method: 'POST',
      body: JSON.stringify({
        name: `HubSpot OAuth ${randomUUID().slice(0, 8)}`,
        kind: 'hubspot',
        sandbox: true,
        settings: { baseUrl: hubspot.url },
        secrets: { refreshToken, ...APP },
      }),
    });
    expect(created.status).toBe(201);
    const hubspotId = (await json<{ id: string }>(created)).id;
    const syncId = await createSync(app, {
      name: `Contacts out ${randomUUID().slice(0, 8)}`,
      left: { connectionId: hubspotId, object: 'contacts', writeMode: 'upsert' },
      right: {
        connectionId: await memoryConnection(
          app,
          `Tokens ${randomUUID()}`,
          `tokens-${randomUUID()}`,
        ),
        object: 'Contact',
        writeMode: 'upsert',
      },
      direction: 'left_to_right',
      match: { left: 'email', right: 'Email', normalizer: 'email' },
      mappings: [{ left: 'email', right: 'Email', direction: 'left_to_right' }],
      defaultPolicy: 'left_wins',
    });

    expect(
      (await app.request(`/api/v1/connections/${hubspotId}/check`, { method: 'POST' })).status,
    ).toBe(200);
    expect((await app.request(`/api/v1/connections/${hubspotId}/objects`)).status).toBe(200);
    expect(
      (await app.request(`/api/v1/syncs/${syncId}/preview`, { method: 'POST', body: '{}' })).status,
    ).toBe(200);
    for (let run = 0; run < 3; run++)
      expect((await runSyncNow(app, syncId)).status).toBe('succeeded');

    expect(hubspot.auth.refreshes).toBe(1);
    const row = (await tokenRows(hubspotId)).at(0);
    expect(row?.token.toString('latin1')).not.toMatch(/emulator|oauth|[a-f0-9]{32}/);

    // HubSpot expires the token: the next connector renews it once, and keeps the new one.
    hubspot.auth.expireAccessTokens();
    expect((await runSyncNow(app, syncId)).status).toBe('succeeded');
    expect((await runSyncNow(app, syncId)).status).toBe('succeeded');
    expect(hubspot.auth.refreshes).toBe(2);

    // New credentials: the token granted with the old ones is forgotten.
    const patched = await app.request(`/api/v1/connections/${hubspotId}`, {
      method: 'PATCH',
      body: JSON.stringify({ secrets: { refreshToken } }),
    });
    expect(patched.status).toBe(200);
    expect(await tokenRows(hubspotId)).toEqual([]);
  });
});
