import { findConnector } from '../index';
import { FakeClock } from '../sdk/clock';
import { startSalesforceEmulator } from './emulator';

const logger = { debug: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() };

describe('salesforce connector definition', () => {
  it('is registered, declares its settings and secrets, and connects with them', async () => {
    const definition = findConnector('salesforce');
    expect(definition?.settings.map((setting) => setting.name)).toEqual([
      'instanceUrl',
      'loginUrl',
      'apiVersion',
      'bulkThreshold',
      'bulkPollMs',
    ]);
    expect(definition?.secrets).toEqual([
      'accessToken',
      'refreshToken',
      'clientId',
      'clientSecret',
    ]);
    const clock = new FakeClock({ autoAdvance: true });
    const emulator = await startSalesforceEmulator({ clock, version: '60.0' });
    try {
      const connector = definition?.create(
        {
          instanceUrl: emulator.url,
          loginUrl: emulator.loginUrl,
          apiVersion: '60.0',
          bulkThreshold: 500,
        },
        {
          refreshToken: emulator.auth.refreshToken,
          clientId: emulator.auth.clientId,
          clientSecret: emulator.auth.clientSecret,
        },
        { logger, clock },
      );
      await expect(connector?.check()).resolves.toEqual({ ok: true, account: emulator.url });
      expect(emulator.sessions.grants.refresh_token).toBe(1);
      expect(emulator.counters.calls('GET /')).toBe(1);
      expect(() => definition?.create({}, {}, { logger, clock })).toThrow(/instanceUrl/);
      // A client id alone authenticates nothing: refused before any call, naming what would.
      const calls = emulator.counters.calls('GET /');
      expect(() =>
        definition?.create({ instanceUrl: emulator.url }, { clientId: 'x' }, { logger, clock }),
      ).toThrow(
        'Salesforce needs its secrets accessToken, or refreshToken with clientId, or clientId with clientSecret',
      );
      expect(emulator.counters.calls('GET /')).toBe(calls);
    } finally {
      await emulator.close();
    }
  });

  it("signs in with client credentials on the org's My Domain, which Salesforce serves it on alone", async () => {
    const clock = new FakeClock({ autoAdvance: true });
    const emulator = await startSalesforceEmulator({ clock, version: '60.0' });
    try {
      const form = new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: emulator.auth.clientId,
        client_secret: emulator.auth.clientSecret,
      });
      // As Salesforce answers the grant on login.salesforce.com.
      const refused = await fetch(`${emulator.loginUrl}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toEqual({
        error: 'invalid_grant',
        error_description: 'request not supported on this domain',
      });
      // The connection's login URL is the generic one; the grant still goes to the My Domain.
      const connector = findConnector('salesforce')?.create(
        { instanceUrl: emulator.url, loginUrl: emulator.loginUrl, apiVersion: '60.0' },
        { clientId: emulator.auth.clientId, clientSecret: emulator.auth.clientSecret },
        { logger, clock },
      );
      await expect(connector?.check()).resolves.toEqual({ ok: true, account: emulator.url });
      expect(emulator.sessions.grants).toEqual({
        refresh_token: 0,
        client_credentials: 1,
        authorization_code: 0,
      });
    } finally {
      await emulator.close();
    }
  });

  it('checks a connection whose user may not view Setup (no Limits resource): reads and writes work', async () => {
    const clock = new FakeClock({ autoAdvance: true });
    const emulator = await startSalesforceEmulator({ clock, viewSetup: false });
    try {
      const connector = findConnector('salesforce')?.create(
        { instanceUrl: emulator.url, apiVersion: emulator.version },
        { accessToken: emulator.accessToken },
        { logger, clock },
      );
      await expect(connector?.check()).resolves.toEqual({ ok: true, account: emulator.url });
      expect(emulator.counters.calls('GET /limits')).toBe(0);
    } finally {
      await emulator.close();
    }
  });
});
