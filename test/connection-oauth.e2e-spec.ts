/**
 * Connecting through the vendor's OAuth page, over the API: the HubSpot emulator's authorize page
 * walked as a browser would (follow the page, press Allow), the code handed back, and the
 * connection created with the refresh token as its secret (never shown), checked ok. And each way
 * it can go wrong answers a 4xx naming the field: no client secret, a kind without OAuth, a state
 * used twice or of another key, a denied consent, a code the vendor refuses.
 */
import { randomUUID } from 'node:crypto';
import { type HubSpotEmulator, startHubSpotEmulator } from '../connectors/hubspot/emulator';
import {
  type SalesforceEmulator,
  startSalesforceEmulator,
} from '../connectors/salesforce/emulator';
import { startTestApp, type TestApp } from './support/app';
import { json } from './support/api-helpers';

const APP = { clientId: 'syncline-oauth-app', clientSecret: 'oauth-app-secret' };
const REDIRECT = 'http://127.0.0.1:9/console/oauth/callback';

interface ApiErrorBody {
  error: { code: string; details: Array<{ path: string; problem: string }> };
}

describe('connecting through OAuth', () => {
  let app: TestApp;
  let hubspot: HubSpotEmulator;
  let salesforce: SalesforceEmulator;

  beforeAll(async () => {
    app = await startTestApp({ SYNCLINE_ALLOW_SANDBOX: 'true' });
    hubspot = await startHubSpotEmulator({ oauthApps: [APP] });
    salesforce = await startSalesforceEmulator();
  });

  afterAll(async () => {
    await app.stop();
    await hubspot.close();
    await salesforce.close();
  });

  const start = (overrides: Record<string, unknown> = {}, key?: string): Promise<Response> =>
    app.request('/api/v1/connections/oauth', {
      method: 'POST',
      ...(key === undefined ? {} : { key }),
      body: JSON.stringify({
        name: `HubSpot via OAuth ${randomUUID().slice(0, 8)}`,
        kind: 'hubspot',
        sandbox: true,
        settings: { baseUrl: hubspot.url },
        secrets: { ...APP },
        redirectUri: REDIRECT,
        ...overrides,
      }),
    });

  /** The browser's part: the authorize page, then its Allow (or Deny) button's address. */
  async function consent(
    authorizeUrl: string,
    decision: 'allow' | 'deny',
    scope = 'crm.objects.companies.write',
  ): Promise<URL> {
    const page = await fetch(authorizeUrl);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(scope);
    const form = /<form method="get" action="([^"]+)">(.*?)<\/form>/s.exec(html);
    const fields = [...(form?.[2] ?? '').matchAll(/name="([^"]+)" value="([^"]*)"/g)];
    const decide = new URL(form?.[1] ?? '', authorizeUrl);
    for (const [, name, value] of fields)
      decide.searchParams.set(name, value.replaceAll('&amp;', '&').replaceAll('&quot;', '"'));
    decide.searchParams.set('decision', decision);
    const back = await fetch(decide, { redirect: 'manual' });
    expect(back.status).toBe(302);
    return new URL(back.headers.get('location') ?? '');
  }

  const complete = (body: Record<string, unknown>): Promise<Response> =>
    app.request('/api/v1/connections/oauth/complete', {
      method: 'POST',
      body: JSON.stringify(body),
    });

  it('creates the connection from the code, keeping the refresh token secret', async () => {
    const started = await start({ name: 'HubSpot through OAuth' });
    expect(started.status).toBe(200);
    const { authorizeUrl, state } = await json<{ authorizeUrl: string; state: string }>(started);
    const authorize = new URL(authorizeUrl);
    expect(authorize.origin).toBe(hubspot.url);
    expect(authorize.pathname).toBe('/oauth/authorize');
    expect(authorize.searchParams.get('client_id')).toBe(APP.clientId);
    expect(authorize.searchParams.get('redirect_uri')).toBe(REDIRECT);
    // Nothing exists until the code comes back.
    const before = await json<{ items: Array<{ name: string }> }>(
      await app.request('/api/v1/connections'),
    );
    expect(before.items.map((c) => c.name)).not.toContain('HubSpot through OAuth');

    const back = await consent(authorizeUrl, 'allow');
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe(state);
    const created = await complete({ state, code: back.searchParams.get('code') });
    expect(created.status).toBe(201);
    const connection = await json<{ id: string; name: string; secretsSet: string[] }>(created);
    expect(connection.name).toBe('HubSpot through OAuth');
    expect(connection.secretsSet).toEqual(['clientId', 'clientSecret', 'refreshToken']);
    expect(JSON.stringify(connection)).not.toContain(APP.clientSecret);
    expect(JSON.stringify(connection)).not.toContain('oauth-refresh');

    const check = await app.request(`/api/v1/connections/${connection.id}/check`, {
      method: 'POST',
    });
    expect(await json<{ ok: boolean }>(check)).toMatchObject({ ok: true });

    // The state was used: a second completion is refused.
    const again = await complete({ state, code: back.searchParams.get('code') });
    expect(again.status).toBe(400);
    expect((await json<ApiErrorBody>(again)).error).toMatchObject({
      code: 'oauth_attempt_unknown',
      details: [{ path: 'state' }],
    });
  });

  it('refuses a start without the client secret, and a kind without OAuth', async () => {
    const noSecret = await start({ secrets: { clientId: APP.clientId } });
    expect(noSecret.status).toBe(400);
    expect((await json<ApiErrorBody>(noSecret)).error.details).toEqual([
      expect.objectContaining({ path: 'secrets.clientSecret' }),
    ]);
    const memory = await start({ kind: 'memory', settings: {}, secrets: {} });
    expect(memory.status).toBe(400);
    expect((await json<ApiErrorBody>(memory)).error.details).toEqual([
      expect.objectContaining({ path: 'kind' }),
    ]);
    const noRedirect = await start({ redirectUri: 'not a url' });
    expect(noRedirect.status).toBe(400);
    expect(JSON.stringify(await noRedirect.json())).toContain('redirectUri');
  });

  it('creates nothing when consent is denied or the vendor refuses the code', async () => {
    const denied = await json<{ authorizeUrl: string; state: string }>(
      await start({ name: 'Denied' }),
    );
    const back = await consent(denied.authorizeUrl, 'deny');
    expect(back.searchParams.get('error')).toBe('access_denied');
    const answer = await complete({ state: denied.state, error: 'access_denied' });
    expect(answer.status).toBe(400);
    expect((await json<ApiErrorBody>(answer)).error.code).toBe('oauth_denied');

    const refused = await json<{ state: string }>(await start({ name: 'Refused' }));
    const bad = await complete({ state: refused.state, code: 'not-a-code' });
    expect(bad.status).toBe(400);
    const body = await json<ApiErrorBody & { error: { message: string } }>(bad);
    expect(body.error.code).toBe('oauth_refused');
    expect(body.error.message).toContain('missing or unknown auth code');
    expect(body.error.details).toEqual([expect.objectContaining({ path: 'code' })]);

    const names = (
      await json<{ items: Array<{ name: string }> }>(await app.request('/api/v1/connections'))
    ).items.map((c) => c.name);
    expect(names).not.toContain('Denied');
    expect(names).not.toContain('Refused');
  });

  it('holds an attempt for the key that started it only', async () => {
    const editor = await app.request('/api/v1/api-keys', {
      method: 'POST',
      body: JSON.stringify({ name: `editor ${randomUUID().slice(0, 8)}`, role: 'admin' }),
    });
    expect(editor.status).toBe(201);
    const otherKey = (await json<{ key: string }>(editor)).key;
    const started = await json<{ authorizeUrl: string; state: string }>(await start({}, otherKey));
    const back = await consent(started.authorizeUrl, 'allow');
    const stolen = await complete({ state: started.state, code: back.searchParams.get('code') });
    expect(stolen.status).toBe(400);
    expect((await json<ApiErrorBody>(stolen)).error.code).toBe('oauth_attempt_unknown');
  });

  it('connects Salesforce through its web server flow, the Instance URL from the answer', async () => {
    const started = await start({
      name: 'Salesforce through OAuth',
      kind: 'salesforce',
      settings: { instanceUrl: salesforce.url, loginUrl: salesforce.loginUrl },
      secrets: { clientId: salesforce.auth.clientId, clientSecret: salesforce.auth.clientSecret },
    });
    expect(started.status).toBe(200);
    const { authorizeUrl, state } = await json<{ authorizeUrl: string; state: string }>(started);
    expect(authorizeUrl.startsWith(`${salesforce.loginUrl}/services/oauth2/authorize?`)).toBe(true);
    const back = await consent(authorizeUrl, 'allow', 'refresh_token');
    const created = await complete({ state, code: back.searchParams.get('code') });
    expect(created.status).toBe(201);
    const connection = await json<{
      id: string;
      settings: Record<string, unknown>;
      secretsSet: string[];
    }>(created);
    expect(connection.secretsSet).toEqual(['clientId', 'clientSecret', 'refreshToken']);
    expect(connection.settings['instanceUrl']).toBe(salesforce.url);
    expect(salesforce.sessions.grants.authorization_code).toBe(1);
    const check = await app.request(`/api/v1/connections/${connection.id}/check`, {
      method: 'POST',
    });
    expect(await json<{ ok: boolean }>(check)).toMatchObject({ ok: true });
    expect(salesforce.sessions.grants.refresh_token).toBeGreaterThan(0);
  });
});
