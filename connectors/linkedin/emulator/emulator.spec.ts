/**
 * The LinkedIn emulator refuses what LinkedIn refuses: a call without its token, version or
 * protocol header, a sunset version, an email that is not a SHA-256 hash, an event older than 90
 * days or without userIds, users for a company segment; it answers each element of a batch on its
 * own, takes an eventId of a rule once, and a segment is BUILDING until it holds 300 users.
 */
import { FakeClock } from '../../sdk/clock';
import { sha256Hex } from '../../sdk/normalize';
import { type LinkedInEmulator, TEST_ACCESS_TOKEN, startLinkedInEmulator } from './index';

describe('LinkedIn emulator', () => {
  let emulator: LinkedInEmulator;
  let clock: FakeClock;
  let account: string;
  beforeEach(async () => {
    clock = new FakeClock({ start: '2026-11-10T12:00:00Z' });
    emulator = await startLinkedInEmulator({ clock });
    account = emulator.store.createAccount('Acme').id;
  });
  afterEach(() => emulator.close());

  const HEADERS = {
    authorization: `Bearer ${TEST_ACCESS_TOKEN}`,
    'linkedin-version': '202609',
    'x-restli-protocol-version': '2.0.0',
    'content-type': 'application/json',
  };

  async function call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = HEADERS,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${emulator.url}/${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
    };
  }
  const batch = { ...HEADERS, 'x-restli-method': 'BATCH_CREATE' };

  it('refuses a call without its token, version or protocol header, and a sunset version', async () => {
    const { authorization: _auth, ...noToken } = HEADERS;
    expect((await call('GET', 'dmpSegments', undefined, noToken)).status).toBe(401);
    const { 'linkedin-version': _version, ...noVersion } = HEADERS;
    expect((await call('GET', 'dmpSegments', undefined, noVersion)).body).toMatchObject({
      code: 'VERSION_MISSING',
    });
    expect(
      (await call('GET', 'dmpSegments', undefined, { ...HEADERS, 'linkedin-version': '202201' }))
        .status,
    ).toBe(426);
    const { 'x-restli-protocol-version': _protocol, ...noProtocol } = HEADERS;
    expect((await call('GET', 'dmpSegments', undefined, noProtocol)).status).toBe(400);
  });

  it('answers each conversion of a batch on its own, and takes an eventId of a rule once', async () => {
    const rule = emulator.store.createRule(account, 'Won');
    const conversion = (eventId: string, extra: Record<string, unknown> = {}) => ({
      conversion: `urn:lla:llaPartnerConversion:${rule.id}`,
      conversionHappenedAt: clock.now().getTime() - 3_600_000,
      eventId,
      user: { userIds: [{ idType: 'SHA256_EMAIL', idValue: sha256Hex('ann@example.com') }] },
      conversionValue: { currencyCode: 'USD', amount: '1500.0' },
      ...extra,
    });
    const answer = await call(
      'POST',
      'conversionEvents',
      {
        elements: [
          conversion('a'),
          conversion('b', {
            user: { userIds: [{ idType: 'SHA256_EMAIL', idValue: 'ann@example.com' }] },
          }),
          conversion('c', { conversionHappenedAt: clock.now().getTime() - 91 * 86_400_000 }),
          conversion('d', { user: { userInfo: { firstName: 'ann', lastName: 'lee' } } }),
          conversion('e', {
            user: { userIds: [], userInfo: { firstName: 'ann', lastName: 'lee' } },
          }),
          conversion('a'),
        ],
      },
      batch,
    );
    expect(answer.status).toBe(200);
    expect((answer.body.elements as { status: number }[]).map((each) => each.status)).toEqual([
      201, 400, 400, 400, 201, 201,
    ]);
    expect(rule.events.map((event) => event.eventId)).toEqual(['a', 'e']);
    const many = await call(
      'POST',
      'conversionEvents',
      { elements: Array.from({ length: 5_001 }, (_, n) => conversion(`m${String(n)}`)) },
      batch,
    );
    expect(many.status).toBe(400);
  });

  it('streams users into a segment, BUILDING until 300 are in, and refuses a company segment', async () => {
    const segment = emulator.store.createSegment(account, 'Pipeline');
    const companies = emulator.store.createSegment(account, 'Accounts', { type: 'COMPANY' });
    const users = (count: number, action: 'ADD' | 'REMOVE') =>
      Array.from({ length: count }, (_, n) => ({
        action,
        userIds: [{ idType: 'SHA256_EMAIL', idValue: sha256Hex(`p${String(n)}@example.com`) }],
      }));
    await call('POST', `dmpSegments/${segment.id}/users`, { elements: users(299, 'ADD') }, batch);
    const status = async () =>
      (
        (await call('GET', `dmpSegments?q=account&account=urn:li:sponsoredAccount:${account}`)).body
          .elements as { id: number; destinations: { status: string }[] }[]
      ).find((each) => String(each.id) === segment.id)?.destinations[0]?.status;
    expect(await status()).toBe('BUILDING');
    await call('POST', `dmpSegments/${segment.id}/users`, { elements: users(300, 'ADD') }, batch);
    expect(segment.users.size).toBe(300);
    expect(await status()).toBe('READY');
    await call('POST', `dmpSegments/${segment.id}/users`, { elements: users(10, 'REMOVE') }, batch);
    expect(segment.users.size).toBe(290);
    const refused = await call(
      'POST',
      `dmpSegments/${companies.id}/users`,
      { elements: users(1, 'ADD') },
      batch,
    );
    expect(refused.status).toBe(400);
    const clear = await call(
      'POST',
      `dmpSegments/${segment.id}/users`,
      {
        elements: [
          { action: 'ADD', userIds: [{ idType: 'SHA256_EMAIL', idValue: 'a@b.example' }] },
        ],
      },
      batch,
    );
    expect((clear.body.elements as { status: number }[])[0]?.status).toBe(400);
  });

  it('creates a segment and answers a spent daily limit with 429', async () => {
    const created = await fetch(`${emulator.url}/dmpSegments`, {
      method: 'POST',
      headers: HEADERS,
      body: JSON.stringify({
        name: 'New',
        account: `urn:li:sponsoredAccount:${account}`,
        type: 'USER',
        sourcePlatform: 'API',
        destinations: [{ destination: 'LINKEDIN' }],
      }),
    });
    expect(created.status).toBe(201);
    expect(emulator.store.segments.get(created.headers.get('x-restli-id') ?? '')?.name).toBe('New');
    emulator.faults.next('rate_limited');
    expect(
      (await call('GET', `dmpSegments?q=account&account=urn:li:sponsoredAccount:${account}`))
        .status,
    ).toBe(429);
  });
});
