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
          loginUrl: emulator.url,
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
});
