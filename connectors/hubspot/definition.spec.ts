import { asRecordConnector } from '../sdk/contract';
import { findConnector } from '../index';
import { FakeClock } from '../sdk/clock';
import { DEFAULT_PRIVATE_APP_TOKEN, type HubSpotEmulator, startHubSpotEmulator } from './emulator';

const logger = { debug: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() };

describe('hubspot connector definition', () => {
  const clock = new FakeClock({ autoAdvance: true });
  let emulator: HubSpotEmulator;

  beforeAll(async () => {
    emulator = await startHubSpotEmulator({ clock });
  });

  afterAll(async () => {
    await emulator.close();
  });

  const create = (secrets: Record<string, string>) => {
    const definition = findConnector('hubspot');
    if (definition === undefined) throw new Error('hubspot is not registered');
    return definition.create({ baseUrl: emulator.url }, secrets, { logger, clock });
  };

  it('is registered with its settings and secrets', () => {
    const definition = findConnector('hubspot');
    expect(definition?.settings.find((setting) => setting.name === 'baseUrl')?.default).toBe(
      'https://api.hubapi.com',
    );
    expect(definition?.secrets).toEqual([
      'accessToken',
      'refreshToken',
      'clientId',
      'clientSecret',
    ]);
  });

  it('connects with a private-app token', async () => {
    const connector = asRecordConnector(create({ accessToken: DEFAULT_PRIVATE_APP_TOKEN }));
    await expect(connector.check()).resolves.toEqual({ ok: true });
    emulator.store.insert('contacts', { email: 'registry@example.com' });
    const found = await connector.lookup({
      object: 'contacts',
      field: 'email',
      values: ['registry@example.com'],
      fields: ['email'],
    });
    expect(found.map((record) => record.fields['email'])).toEqual(['registry@example.com']);
  });

  it('reports a wrong token as auth_invalid without retrying', async () => {
    const connector = create({ accessToken: 'pat-wrong' });
    const before = emulator.counters.total;
    await expect(connector.check()).resolves.toMatchObject({ ok: false, code: 'auth_invalid' });
    expect(emulator.counters.total - before).toBe(1);
  });

  it('connects with OAuth credentials only, fetching its first access token', async () => {
    const app = { clientId: 'registry-app', clientSecret: 'registry-secret' };
    emulator.auth.addApp(app);
    const { refreshToken } = emulator.auth.install(app.clientId);
    const refreshes = emulator.auth.refreshes;
    const connector = create({ ...app, refreshToken });
    await expect(connector.check()).resolves.toEqual({ ok: true });
    expect(emulator.auth.refreshes).toBe(refreshes + 1);
  });

  it('reports a refused refresh token as auth_invalid, asking once', async () => {
    const app = { clientId: 'revoked-app', clientSecret: 'revoked-secret' };
    emulator.auth.addApp(app);
    const before = emulator.counters.total;
    const connector = create({ ...app, refreshToken: 'not-a-refresh-token' });
    const result = await connector.check();
    expect(result).toMatchObject({ ok: false, code: 'auth_invalid' });
    expect(result.ok ? '' : result.reason).toMatch(/refused to grant a new access token \(400\)/);
    expect(emulator.counters.total - before).toBe(1);
  });

  it('refuses a connection without credentials', () => {
    expect(() => create({})).toThrow(
      /needs its secrets accessToken, or refreshToken with clientId and clientSecret/,
    );
  });
});
