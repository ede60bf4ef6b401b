/**
 * The Meta emulator refuses what Meta refuses: customer information in clear, an event older than
 * 7 days (the whole request), more than 1,000 events or 10,000 rows a call, a usersreplace without
 * its session, members of an audience that is not a customer file or is flagged, a bad token; it
 * deduplicates an event_id for 48 hours and swaps an audience's members at a replace's last batch.
 */
import { FakeClock } from '../../sdk/clock';
import { sha256Hex } from '../../sdk/normalize';
import { type MetaEmulator, TEST_ACCESS_TOKEN, startMetaEmulator } from './index';

const hash = (value: string): string => sha256Hex(value);

describe('Meta emulator', () => {
  let emulator: MetaEmulator;
  let clock: FakeClock;
  let pixel: string;
  let account: string;
  beforeEach(async () => {
    clock = new FakeClock({ start: '2026-11-10T12:00:00Z' });
    emulator = await startMetaEmulator({ clock });
    pixel = emulator.store.createPixel('CRM').id;
    account = emulator.store.createAccount('Acme').id;
  });
  afterEach(() => emulator.close());

  async function call(
    method: string,
    path: string,
    body?: unknown,
    token: string | null = TEST_ACCESS_TOKEN,
  ): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
    const response = await fetch(`${emulator.url}/v25.0/${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return {
      status: response.status,
      body: (await response.json()) as Record<string, unknown>,
      headers: response.headers,
    };
  }

  const now = () => Math.floor(clock.now().getTime() / 1000);
  const event = (id: string, extra: Record<string, unknown> = {}) => ({
    event_name: 'Purchase',
    event_time: now() - 60,
    event_id: id,
    action_source: 'system_generated',
    user_data: { em: [hash('ann@example.com')] },
    custom_data: { value: 10, currency: 'USD' },
    ...extra,
  });
  const errorOf = (body: Record<string, unknown>) => body.error as Record<string, unknown>;

  it('receives server events and drops an event_id it had within 48 hours', async () => {
    const first = await call('POST', `${pixel}/events`, { data: [event('e1'), event('e2')] });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ events_received: 2, messages: [] });
    expect(typeof first.body.fbtrace_id).toBe('string');
    expect((await call('POST', `${pixel}/events`, { data: [event('e1')] })).body).toMatchObject({
      events_received: 1,
    });
    expect(emulator.store.pixels.get(pixel)?.events.map((held) => held.eventId)).toEqual([
      'e1',
      'e2',
    ]);
    await clock.advance(49 * 3600 * 1000);
    await call('POST', `${pixel}/events`, { data: [event('e1')] });
    expect(emulator.store.pixels.get(pixel)?.events).toHaveLength(3);
  });

  it('refuses customer information in clear, and a whole request with one event over 7 days old', async () => {
    const clear = await call('POST', `${pixel}/events`, {
      data: [event('ok'), event('clear', { user_data: { em: ['ann@example.com'] } })],
    });
    expect(clear.status).toBe(400);
    expect(errorOf(clear.body)).toMatchObject({ code: 100 });
    expect(String(errorOf(clear.body).error_user_msg)).toContain('data[1].user_data.em');
    const old = await call('POST', `${pixel}/events`, {
      data: [event('fresh'), event('old', { event_time: now() - 8 * 24 * 3600 })],
    });
    expect(old.status).toBe(400);
    expect(String(errorOf(old.body).error_user_msg)).toContain('more than 7 days');
    expect(emulator.store.pixels.get(pixel)?.events).toHaveLength(0);
    const many = await call('POST', `${pixel}/events`, {
      data: Array.from({ length: 1001 }, (_, n) => event(`m${String(n)}`)),
    });
    expect(many.status).toBe(400);
  });

  it('refuses a call without a valid token, and answers throttling with the usage header', async () => {
    const none = await call('POST', `${pixel}/events`, { data: [event('t')] }, null);
    expect(errorOf(none.body)).toMatchObject({ code: 190 });
    const bad = await call('POST', `${pixel}/events`, { data: [event('t')] }, 'nope');
    expect(errorOf(bad.body)).toMatchObject({ code: 190, type: 'OAuthException' });
    emulator.faults.next('rate_limited', { minutes: 3 });
    const audience = emulator.store.createAudience(account, 'Customers');
    const throttled = await call('POST', `${audience.id}/users`, {
      payload: { schema: ['EMAIL'], data: [[hash('a@example.com')]] },
    });
    expect(errorOf(throttled.body)).toMatchObject({ code: 80003 });
    const usage = JSON.parse(throttled.headers.get('x-business-use-case-usage') ?? '{}') as Record<
      string,
      { estimated_time_to_regain_access: number }[]
    >;
    expect(Object.values(usage).flat()[0]?.estimated_time_to_regain_access).toBe(3);
  });

  it('adds and removes custom audience users by hash, counting entries in clear as invalid', async () => {
    const audience = emulator.store.createAudience(account, 'Customers');
    const added = await call('POST', `${audience.id}/users`, {
      payload: {
        schema: ['EMAIL', 'PHONE'],
        data: [
          [hash('a@example.com'), hash('15551234567')],
          [hash('b@example.com'), ''],
          ['c@example.com', ''],
        ],
      },
    });
    expect(added.body).toMatchObject({
      audience_id: audience.id,
      num_received: 3,
      num_invalid_entries: 1,
    });
    expect(audience.members.size).toBe(2);
    // The same person by phone alone is the member already there.
    await call('DELETE', `${audience.id}/users`, {
      payload: { schema: ['PHONE'], data: [[hash('15551234567')]] },
    });
    expect(audience.members.all()).toEqual([{ EMAIL: hash('b@example.com') }]);
    const tooMany = await call('POST', `${audience.id}/users`, {
      payload: { schema: 'EMAIL', data: Array.from({ length: 10_001 }, () => hash('x')) },
    });
    expect(tooMany.status).toBe(400);
  });

  it('refuses members of a rule-based or flagged audience', async () => {
    const website = emulator.store.createAudience(account, 'Visitors', { subtype: 'WEBSITE' });
    const flagged = emulator.store.createAudience(account, 'Flagged', { operationStatus: 471 });
    const payload = { schema: ['EMAIL'], data: [[hash('a@example.com')]] };
    expect((await call('POST', `${website.id}/users`, { payload })).status).toBe(400);
    const blocked = await call('POST', `${flagged.id}/users`, { payload });
    expect(errorOf(blocked.body)).toMatchObject({ code: 100, error_subcode: 1713230 });
  });

  it('replaces an audience over a session: required, swapped at the last batch', async () => {
    const audience = emulator.store.createAudience(account, 'Customers');
    audience.members.add({ EMAIL: hash('old@example.com') });
    const payload = (email: string) => ({ schema: ['EMAIL'], data: [[hash(email)]] });
    expect(
      (await call('POST', `${audience.id}/usersreplace`, { payload: payload('a@example.com') }))
        .status,
    ).toBe(400);
    const session = (seq: number, last: boolean) => ({
      session_id: 42,
      batch_seq: seq,
      last_batch_flag: last,
      estimated_num_total: 2,
    });
    await call('POST', `${audience.id}/usersreplace`, {
      payload: payload('a@example.com'),
      session: session(1, false),
    });
    expect(audience.members.all()).toEqual([{ EMAIL: hash('old@example.com') }]);
    await call('POST', `${audience.id}/usersreplace`, {
      payload: payload('b@example.com'),
      session: session(2, true),
    });
    expect(audience.members.all()).toEqual([
      { EMAIL: hash('a@example.com') },
      { EMAIL: hash('b@example.com') },
    ]);
  });

  it('lists the account’s custom audiences with their subtype and status, page by page', async () => {
    for (let n = 0; n < 30; n++) emulator.store.createAudience(account, `A${String(n)}`);
    const first = await call('GET', `act_${account}/customaudiences?fields=id,name&limit=25`);
    const page = first.body as {
      data: unknown[];
      paging: { cursors: { after: string }; next?: string };
    };
    expect(page.data).toHaveLength(25);
    expect(page.data[0]).toMatchObject({ subtype: 'CUSTOM', operation_status: { code: 200 } });
    const second = await call(
      'GET',
      `act_${account}/customaudiences?limit=25&after=${page.paging.cursors.after}`,
    );
    expect((second.body as { data: unknown[]; paging: { next?: string } }).data).toHaveLength(5);
    expect((second.body as { paging: { next?: string } }).paging.next).toBeUndefined();
  });
});
