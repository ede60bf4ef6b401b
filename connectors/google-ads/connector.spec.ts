/**
 * What the Google Ads connector does beyond the contract suites: a click id goes as the gclid and
 * an email as an enhanced conversion for leads, hashed by Google's rules; conversions Google holds
 * already are duplicates; a young conversion action is retried later; a spent daily quota stops
 * the run as budget_exhausted with Google's retry delay; an expired token is granted again; a
 * manager's id goes as login-customer-id; a Customer Match change runs one job and says its
 * match rate; check() names the account.
 */
import { sha256Hex } from '../sdk/normalize';
import { ConnectorError } from '../sdk/errors';
import { connectToGoogleAds } from './harness';

describe('Google Ads connector', () => {
  const closing: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closing.splice(0)) await close();
  });

  async function connect(settings: Record<string, unknown> = {}) {
    const connected = await connectToGoogleAds({ settings });
    closing.push(() => connected.emulator.close());
    return connected;
  }

  const event = (
    key: string,
    identifiers: Record<string, string>,
    at = '2026-10-30T09:15:00Z',
  ) => ({
    key,
    occurredAt: at,
    identifiers,
    fields: { value: 5000, currency: 'eur' },
  });

  it('sends a click id as the gclid and an email-only outcome as an enhanced conversion for leads', async () => {
    const { connector, emulator, actionId, customerId } = await connect();
    const results = await connector.append({
      object: 'Closed won (CRM)',
      events: [
        event('opportunity-1-won', { vendor_id: 'Cj0KCQiA-click-000001' }),
        event('opportunity-2-won', { email: ' Ann.Lee@GMail.com ' }),
      ],
    });
    expect(results).toEqual([
      { key: 'opportunity-1-won', status: 'sent' },
      { key: 'opportunity-2-won', status: 'sent' },
    ]);
    expect(emulator.store.conversions).toEqual([
      expect.objectContaining({
        customerId,
        conversionAction: actionId,
        gclid: 'Cj0KCQiA-click-000001',
        conversionDateTime: '2026-10-30 09:15:00+00:00',
        conversionValue: 5000,
        currencyCode: 'EUR',
        orderId: 'opportunity-1-won',
        userIdentifiers: [],
      }),
      expect.objectContaining({
        orderId: 'opportunity-2-won',
        // Google's rule: lower case, and no dots before @gmail.com.
        userIdentifiers: [{ hashedEmail: sha256Hex('annlee@gmail.com') }],
      }),
    ]);
    expect(JSON.stringify(emulator.store.conversions)).not.toMatch(/ann/i);
  });

  it('counts conversions Google holds already as duplicates, and retries a too recent conversion action later', async () => {
    const { connector, emulator, customerId, clock } = await connect();
    const first = [event('o-1', { vendor_id: 'Cj0KCQiA-click-000002' })];
    await connector.append({
      object: emulator.store.conversionActions.keys().next().value ?? '',
      events: first,
    });
    const fresh = emulator.store.createConversionAction(customerId, 'New action', {
      createdAt: clock.now().getTime(),
    });
    const again = await connector.append({
      object: emulator.store.conversionActions.keys().next().value ?? '',
      events: [...first, event('o-1-again', { vendor_id: 'Cj0KCQiA-click-000002' })],
    });
    expect(again.map((result) => result.status)).toEqual(['duplicate', 'duplicate']);
    const [young] = await connector.append({
      object: fresh.id,
      events: [event('o-2', { vendor_id: 'Cj0KCQiA-click-000003' })],
    });
    expect(young).toMatchObject({
      status: 'failed',
      error: {
        code: 'invalid_value',
        retryable: true,
        message: expect.stringContaining('TOO_RECENT_CONVERSION_ACTION') as unknown,
      },
    });
    expect(emulator.store.conversions).toHaveLength(1);
  });

  it('stops as budget_exhausted with Google’s retry delay once the daily operations are spent', async () => {
    const { connector, emulator, actionId } = await connect();
    emulator.store.spend('test-developer-token', 15_000);
    const failure = await connector
      .append({ object: actionId, events: [event('o-3', { vendor_id: 'Cj0KCQiA-click-000004' })] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConnectorError);
    expect((failure as ConnectorError).code).toBe('budget_exhausted');
    expect((failure as ConnectorError).details.retryAfterMs).toBeGreaterThan(23 * 3600 * 1000);
    expect(emulator.store.conversions).toHaveLength(0);
  });

  it('grants a new access token when Google says it expired, and sends the manager as login-customer-id', async () => {
    const { connector, emulator, customerId, actionId } = await connect({
      loginCustomerId: '999-999-9999',
    });
    const customer = emulator.store.customers.get(customerId);
    if (customer === undefined) throw new Error('no customer');
    customer.throughManagerOnly = true;
    customer.managers.add('9999999999');
    expect(await connector.check()).toEqual({ ok: true, account: 'Acme Ads' });
    emulator.faults.next('token_expired');
    const [result] = await connector.append({
      object: actionId,
      events: [event('o-4', { vendor_id: 'Cj0KCQiA-click-000005' })],
    });
    expect(result).toEqual({ key: 'o-4', status: 'sent' });
    expect(emulator.counters.calls('POST /token')).toBe(2);
  });

  it('says why check() fails: a client account reached without its manager', async () => {
    const { connector, emulator, customerId } = await connect();
    const customer = emulator.store.customers.get(customerId);
    if (customer !== undefined) customer.throughManagerOnly = true;
    expect(await connector.check()).toMatchObject({
      ok: false,
      code: 'permission_denied',
      reason: expect.stringContaining('login-customer-id') as unknown,
    });
  });

  it('changes a Customer Match list through one offline user data job, waiting for it and reporting its match rate', async () => {
    const { connector, emulator, customerId } = await connect();
    const list = emulator.store.createUserList(customerId, 'Customers');
    const people = Array.from({ length: 50 }, (_, n) => ({
      key: `p${String(n)}`,
      identifiers: { email: `person.${String(n)}@example.com` },
    }));
    const results = await connector.changeMembers({ audience: list.id, add: people, remove: [] });
    expect(results.every((result) => result.status === 'added')).toBe(true);
    expect(list.members.size).toBe(50);
    expect(emulator.store.jobs.size).toBe(1);
    expect(
      emulator.counters.calls('POST /:version/customers/:id/offlineUserDataJobs/:id:run'),
    ).toBe(1);
    expect(connector.finishedJobs()).toEqual([
      expect.objectContaining({
        status: 'SUCCESS',
        operations: 50,
        matchRateRange: expect.stringMatching(/^MATCH_RANGE_/) as unknown,
      }),
    ]);
  });

  it('fills one job over several calls when the members carry more than 100,000 identifiers', async () => {
    const { connector, emulator, customerId } = await connect({ defaultCountry: 'FR' });
    const list = emulator.store.createUserList(customerId, 'Everyone');
    const people = Array.from({ length: 60_000 }, (_, n) => ({
      key: `p${String(n)}`,
      identifiers: {
        email: `p${String(n)}@example.com`,
        phone: `06 ${String(n).padStart(8, '0')}`,
      },
    }));
    const results = await connector.changeMembers({ audience: list.id, add: people, remove: [] });
    expect(results.filter((result) => result.status !== 'added')).toEqual([]);
    expect(emulator.store.jobs.size).toBe(1);
    expect(
      emulator.counters.calls('POST /:version/customers/:id/offlineUserDataJobs/:id:addOperations'),
    ).toBe(2);
    expect(list.members.size).toBe(120_000);
  });
});
