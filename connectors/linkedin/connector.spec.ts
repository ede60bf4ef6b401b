/**
 * What the LinkedIn connector does beyond the contract suites: a conversion's value and user as
 * LinkedIn takes them (the email hashed, names and country in clear), a rule named by its id, and
 * check() reasons a person can act on.
 */
import { sha256Hex } from '../sdk/normalize';
import { connectToLinkedIn } from './harness';

describe('LinkedIn connector', () => {
  const closing: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closing.splice(0)) await close();
  });

  async function connect(settings: Record<string, unknown> = {}) {
    const connected = await connectToLinkedIn({ settings });
    closing.push(() => connected.emulator.close());
    return connected;
  }

  it('sends a conversion with its value, the email hashed and the names in clear', async () => {
    const { connector, emulator, accountId, clock } = await connect();
    const rule = emulator.store.createRule(accountId, 'Closed won');
    const [result] = await connector.append({
      object: rule.id,
      events: [
        {
          key: 'opportunity-7-won',
          occurredAt: new Date(clock.now().getTime() - 86_400_000).toISOString(),
          identifiers: {
            email: ' Ann@Acme.example.com',
            first_name: 'Ann',
            last_name: 'Lee',
            country: 'fr',
          },
          fields: { value: 1500, currency: 'eur' },
        },
      ],
    });
    expect(result).toEqual({ key: 'opportunity-7-won', status: 'sent' });
    expect(rule.events[0]).toMatchObject({
      conversion: `urn:lla:llaPartnerConversion:${rule.id}`,
      eventId: 'opportunity-7-won',
      userIds: [{ idType: 'SHA256_EMAIL', idValue: sha256Hex('ann@acme.example.com') }],
      userInfo: { firstName: 'ann', lastName: 'lee', countryCode: 'FR' },
      value: { currencyCode: 'EUR', amount: '1500' },
    });
    const misnamed = {
      key: 'x',
      occurredAt: clock.now().toISOString(),
      identifiers: { email: 'a@b.example.com' },
      fields: {},
    };
    await expect(connector.append({ object: 'Closed won', events: [misnamed] })).rejects.toThrow(
      /rule's id/,
    );
  });

  it('checks the token and the version, saying what is wrong', async () => {
    const { connector } = await connect();
    expect(await connector.check()).toMatchObject({ ok: true });
    const sunset = await connect({ apiVersion: '202301' });
    expect(await sunset.connector.check()).toMatchObject({
      ok: false,
      reason: expect.stringContaining('426') as unknown,
    });
    const revoked = await connect();
    revoked.emulator.store.tokens.clear();
    expect(await revoked.connector.check()).toMatchObject({ ok: false, code: 'auth_invalid' });
  });
});
