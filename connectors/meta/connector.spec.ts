/**
 * What the Meta connector does beyond the contract suites: every identifier leaves normalised and
 * hashed by Meta's rules (never in clear), a throttled call waits the minutes Meta names, a full
 * refresh replaces the audience over one usersreplace session, and check() says what is wrong.
 */
import { sha256Hex } from '../sdk/normalize';
import { connectToMeta } from './harness';

describe('Meta connector', () => {
  const closing: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closing.splice(0)) await close();
  });

  async function connect(settings: Record<string, unknown> = {}) {
    const connected = await connectToMeta({ settings });
    closing.push(() => connected.emulator.close());
    return connected;
  }

  const person = {
    email: ' Ann.Lee@Example.COM ',
    phone: '+1 (555) 123-4567',
    first_name: "Ann-Marie O'Neil",
    last_name: 'Lee',
    zip: '94107-1234',
    country: 'US',
  };

  it('sends every identifier of an event hashed by Meta’s rules, never in clear', async () => {
    const { connector, emulator, pixelId, clock } = await connect();
    const [result] = await connector.append({
      object: 'Lead',
      events: [
        {
          key: 'opportunity-1-won',
          occurredAt: new Date(clock.now().getTime() - 3_600_000).toISOString(),
          identifiers: person,
          fields: { value: 5000, currency: 'EUR' },
        },
      ],
    });
    expect(result).toEqual({ key: 'opportunity-1-won', status: 'sent' });
    const [held] = emulator.store.pixels.get(pixelId)?.events ?? [];
    expect(held).toMatchObject({
      eventName: 'Lead',
      eventId: 'opportunity-1-won',
      actionSource: 'system_generated',
      customData: { value: 5000, currency: 'EUR' },
      userData: {
        em: [sha256Hex('ann.lee@example.com')],
        ph: [sha256Hex('15551234567')],
        fn: [sha256Hex('annmarie oneil')],
        ln: [sha256Hex('lee')],
        zp: [sha256Hex('941071234')],
        country: [sha256Hex('us')],
      },
    });
    expect(JSON.stringify(held)).not.toMatch(/ann|example|5551234567/i);
  });

  it('gives a phone written without its country the connection’s default country', async () => {
    const { connector, emulator, accountId } = await connect({ defaultCountry: 'us' });
    const audience = emulator.store.createAudience(accountId, 'Callers');
    await connector.changeMembers({
      audience: audience.id,
      add: [{ key: 'bo', identifiers: { phone: '(555) 123-4567' } }],
      remove: [],
    });
    expect(audience.members.all()).toEqual([{ PHONE: sha256Hex('15551234567') }]);
  });

  it('waits the minutes Meta names when it throttles, then changes the audience once', async () => {
    const { connector, emulator, accountId, clock } = await connect();
    const audience = emulator.store.createAudience(accountId, 'Customers');
    emulator.faults.next('rate_limited', { minutes: 2 });
    const before = clock.now().getTime();
    const results = await connector.changeMembers({
      audience: audience.id,
      add: [{ key: 'ann', identifiers: { email: person.email } }],
      remove: [],
    });
    expect(results).toEqual([{ key: 'ann', status: 'added' }]);
    expect(clock.now().getTime() - before).toBeGreaterThanOrEqual(120_000);
    expect(audience.members.all()).toEqual([{ EMAIL: sha256Hex('ann.lee@example.com') }]);
  });

  it('replaces an audience over one usersreplace session of 10,000-row batches', async () => {
    const { connector, emulator, accountId } = await connect();
    const audience = emulator.store.createAudience(accountId, 'Customers');
    audience.members.add({ EMAIL: sha256Hex('gone@example.com') });
    const members = Array.from({ length: 25_000 }, (_, n) => ({
      key: `p${String(n)}`,
      identifiers: { email: `p${String(n)}@example.com` },
    }));
    emulator.counters.reset();
    const results = await connector.replaceMembers({ audience: audience.id, members });
    expect(results.filter((result) => result.status === 'added')).toHaveLength(25_000);
    expect(emulator.counters.calls('POST /:version/:id/usersreplace')).toBe(3);
    expect(audience.members.size).toBe(25_000);
    await expect(connector.replaceMembers({ audience: audience.id, members: [] })).rejects.toThrow(
      /with no one/,
    );
  });

  it('checks the token and the pixel, saying what is wrong', async () => {
    const { connector } = await connect();
    expect(await connector.check()).toEqual({ ok: true, account: 'Acme Ads' });
    const badToken = await connectToMeta();
    closing.push(() => badToken.emulator.close());
    badToken.emulator.store.tokens.clear();
    expect(await badToken.connector.check()).toMatchObject({ ok: false, code: 'auth_invalid' });
    const noPixel = await connect({ pixelId: '999' });
    expect(await noPixel.connector.check()).toMatchObject({ ok: false });
    expect(await (await connect({ adAccountId: 'acme' })).connector.check()).toMatchObject({
      ok: false,
      reason: expect.stringContaining('act_ followed by its number') as unknown,
    });
  });
});
