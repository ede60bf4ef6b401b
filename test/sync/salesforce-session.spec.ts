import { contactsIntoSalesforce } from './definitions';
import { startSalesforcePair } from '../../connectors/salesforce/harness';
import { withMemoryLeft } from './memory-side';

const definition = contactsIntoSalesforce('contacts-to-salesforce', [
  ['firstName', 'FirstName'],
  ['lastName', 'LastName'],
]);

describe('Salesforce sessions', () => {
  it('refreshes an expired session transparently: the run succeeds with no failed record', async () => {
    const { emulator, connector, clock } = await startSalesforcePair({
      // Sessions last 10 minutes of the emulator's (fake) time.
      emulator: { auth: { sessionTtlMs: 10 * 60 * 1000 } },
    });
    try {
      const { left, store, run } = withMemoryLeft(definition, connector, clock);
      left.seed(
        'contacts',
        Array.from({ length: 450 }, (_, i) => ({
          fields: { email: `person${i}@example.com`, firstName: `P${i}`, lastName: `Person ${i}` },
        })),
      );
      // The session the connector started with has timed out, and the second write call finds
      // its fresh session revoked as well.
      await clock.advance(11 * 60 * 1000);
      emulator.faults.failNext('session_expired', { endpoint: /^POST \/composite\/sobjects$/ });

      const result = await run();

      expect(result.status).toBe('succeeded');
      expect(result.counters.failed).toBe(0);
      expect(result.counters.created).toBe(450);
      expect(store.events.filter((event) => event.errorCode !== null)).toEqual([]);
      expect(emulator.store.list('Contact')).toHaveLength(450);
      expect(emulator.sessions.grants.refresh_token).toBeGreaterThanOrEqual(2);
      expect(connector.refreshCount()).toBe(emulator.sessions.grants.refresh_token);
    } finally {
      await emulator.close();
    }
  });

  it('reports auth_invalid, without looping, when the refresh token is revoked', async () => {
    const { emulator, connector } = await startSalesforcePair({
      connector: { secrets: { refreshToken: 'revoked-token' } },
    });
    try {
      emulator.sessions.expireAll();
      await expect(connector.check()).resolves.toMatchObject({ ok: false, code: 'auth_invalid' });
      expect(emulator.counters.calls('POST /oauth2/token')).toBe(1);
    } finally {
      await emulator.close();
    }
  });

  it('gets a first token by client_credentials when it has no token at all', async () => {
    const { emulator, connector } = await startSalesforcePair({
      connector: { secrets: { accessToken: undefined, refreshToken: undefined } },
    });
    try {
      await expect(connector.check()).resolves.toEqual({ ok: true, account: emulator.url });
      expect(emulator.sessions.grants.client_credentials).toBe(1);
    } finally {
      await emulator.close();
    }
  });
});
