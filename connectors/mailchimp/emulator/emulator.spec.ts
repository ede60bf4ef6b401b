/**
 * The Mailchimp emulator over HTTP, as a client sees it: authentication, the member rules
 * Mailchimp documents (compliance states, permanent deletes, fake emails, merge field types and
 * required merge fields), batch subscribe, members by `last_changed`, tags and segments, problem
 * documents, and the limit of simultaneous connections.
 */
import { FakeClock } from '../../sdk/clock';
import {
  type MailchimpEmulator,
  type StoredList,
  TEST_ACCESS_TOKEN,
  TEST_API_KEY,
  startMailchimpEmulator,
  subscriberHash,
} from './index';

let emulator: MailchimpEmulator;
let list: StoredList;
let clock: FakeClock;

const basic = (key: string): string =>
  `Basic ${Buffer.from(`anystring:${key}`).toString('base64')}`;

async function call(
  method: string,
  path: string,
  body?: unknown,
  authorization = basic(TEST_API_KEY),
): Promise<{ status: number; body: Record<string, unknown>; type: string }> {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { authorization, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
    type: response.headers.get('content-type') ?? '',
  };
}

const members = (): string => `/lists/${list.id}/members`;

beforeEach(async () => {
  clock = new FakeClock({ start: '2026-03-02T10:00:00.000Z' });
  emulator = await startMailchimpEmulator({ clock });
  list = emulator.store.createList('Newsletter');
});

afterEach(async () => {
  await emulator.close();
});

describe('Mailchimp emulator: authentication', () => {
  it('takes an API key of its data centre as Basic auth, or an OAuth bearer token', async () => {
    expect((await call('GET', '/ping')).body).toEqual({ health_status: "Everything's Chimpy!" });
    expect((await call('GET', '/ping', undefined, `Bearer ${TEST_ACCESS_TOKEN}`)).status).toBe(200);
  });

  it('refuses a missing key, a wrong key and a key of another data centre with 401 problems', async () => {
    const missing = await call('GET', '/ping', undefined, '');
    expect(missing).toMatchObject({ status: 401, body: { title: 'API Key Missing', status: 401 } });
    expect(missing.type).toContain('application/problem+json');
    const wrong = await call(
      'GET',
      '/ping',
      undefined,
      basic('00000000000000000000000000000000-us21'),
    );
    expect(wrong.body).toMatchObject({ title: 'API Key Invalid' });
    const elsewhere = await call(
      'GET',
      '/ping',
      undefined,
      basic(TEST_API_KEY.replace('us21', 'us6')),
    );
    expect(elsewhere).toMatchObject({ status: 401, body: { title: 'API Key Invalid' } });
    expect(String(elsewhere.body.detail)).toContain('wrong datacenter');
  });
});

describe('Mailchimp emulator: members', () => {
  it('adds or updates by PUT to the subscriber hash, with status_if_new for a new member', async () => {
    const hash = subscriberHash('Ada@Lovelace.example.com');
    const put = await call('PUT', `${members()}/${hash}`, {
      email_address: 'Ada@Lovelace.example.com',
      status_if_new: 'subscribed',
      merge_fields: { FNAME: 'Ada' },
    });
    expect(put.body).toMatchObject({
      id: hash,
      status: 'subscribed',
      merge_fields: { FNAME: 'Ada', LNAME: '' },
      last_changed: '2026-03-02T10:00:00+00:00',
    });
    const noStatus = await call('PUT', `${members()}/${subscriberHash('x@y.example.com')}`, {
      email_address: 'x@y.example.com',
    });
    expect(noStatus).toMatchObject({ status: 400, body: { title: 'Invalid Resource' } });
    expect(noStatus.body.errors).toEqual([expect.objectContaining({ field: 'status_if_new' })]);
    // The email address works in place of the hash.
    expect((await call('GET', `${members()}/ada@lovelace.example.com`)).body.id).toBe(hash);
  });

  it('never subscribes an unsubscribed or cleaned member again: Member In Compliance State', async () => {
    const gone = emulator.store.addMember(list, 'gone@acme.example.com', {
      status: 'unsubscribed',
    });
    const bounced = emulator.store.addMember(list, 'bounced@acme.example.com', {
      status: 'cleaned',
    });
    for (const member of [gone, bounced]) {
      const answer = await call('PATCH', `${members()}/${member.id}`, { status: 'subscribed' });
      expect(answer).toMatchObject({ status: 400, body: { title: 'Member In Compliance State' } });
    }
    const batch = await call('POST', `/lists/${list.id}`, {
      members: [{ email_address: 'gone@acme.example.com', status: 'subscribed' }],
      update_existing: true,
    });
    expect(batch.body).toMatchObject({ error_count: 1, total_updated: 0 });
    expect(gone.status).toBe('unsubscribed');
    // Asking for a confirmation (pending) or changing the fields is allowed.
    expect(
      (await call('PATCH', `${members()}/${gone.id}`, { merge_fields: { FNAME: 'G' } })).status,
    ).toBe(200);
    expect(
      (await call('PATCH', `${members()}/${gone.id}`, { status: 'pending' })).body.status,
    ).toBe('pending');
  });

  it('refuses a permanently deleted email and a fake-looking one', async () => {
    const member = emulator.store.addMember(list, 'forget@acme.example.com');
    expect((await call('POST', `${members()}/${member.id}/actions/delete-permanent`)).status).toBe(
      204,
    );
    const again = await call('POST', members(), {
      email_address: 'forget@acme.example.com',
      status: 'subscribed',
    });
    expect(again).toMatchObject({ status: 400, body: { title: 'Forgotten Email Not Subscribed' } });
    for (const email of ['fooboo@example.com', 'not-an-email', 'a@b.invalid']) {
      const fake = await call('POST', members(), { email_address: email, status: 'subscribed' });
      expect(fake).toMatchObject({ status: 400, body: { title: 'Invalid Resource' } });
      expect(String(fake.body.detail)).toContain('looks fake or invalid');
    }
  });

  it('checks merge values by type and required merge fields on create', async () => {
    const created = await call('POST', `/lists/${list.id}/merge-fields`, {
      name: 'Employees',
      type: 'number',
      required: true,
    });
    expect(created.body).toMatchObject({ tag: 'MMERGE6', type: 'number', required: true });
    const missing = await call('POST', members(), {
      email_address: 'n@acme.example.com',
      status: 'subscribed',
    });
    expect(missing.body).toMatchObject({
      title: 'Invalid Resource',
      detail: 'Your merge fields were invalid.',
    });
    expect(missing.body.errors).toEqual([{ field: 'MMERGE6', message: 'Please enter a value' }]);
    const text = await call('POST', members(), {
      email_address: 'n@acme.example.com',
      status: 'subscribed',
      merge_fields: { MMERGE6: 'many' },
    });
    expect(text.body.errors).toEqual([{ field: 'MMERGE6', message: 'Please enter a number' }]);
    const unknown = await call('POST', members(), {
      email_address: 'n@acme.example.com',
      status: 'subscribed',
      merge_fields: { MMERGE6: 12, NOPE: 'x' },
    });
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'NOPE' })]);
    const skipped = await call('POST', `${members()}?skip_merge_validation=true`, {
      email_address: 'n@acme.example.com',
      status: 'subscribed',
    });
    expect(skipped.status).toBe(200);
  });

  it('archives with DELETE: the member leaves member lists unless asked for by status', async () => {
    const member = emulator.store.addMember(list, 'old@acme.example.com');
    expect((await call('DELETE', `${members()}/${member.id}`)).status).toBe(204);
    expect((await call('GET', members())).body.total_items).toBe(0);
    expect((await call('GET', `${members()}?status=archived`)).body.total_items).toBe(1);
    expect((await call('GET', `${members()}/${member.id}`)).body.status).toBe('archived');
  });

  it('lists members changed after since_last_changed, sorted by last_changed, at most 1,000 a page', async () => {
    const first = emulator.store.addMember(list, 'first@acme.example.com');
    await clock.advance(5_000);
    emulator.store.addMember(list, 'second@acme.example.com');
    await clock.advance(5_000);
    emulator.store.changeMember(first, { merge_fields: { FNAME: 'Changed' } });
    const page = await call(
      'GET',
      `${members()}?since_last_changed=2026-03-02T10:00:00%2B00:00&sort_field=last_changed&sort_dir=ASC&count=10`,
    );
    expect(
      (page.body.members as { email_address: string }[]).map((each) => each.email_address),
    ).toEqual(['second@acme.example.com', 'first@acme.example.com']);
    expect((await call('GET', `${members()}?count=1001`)).status).toBe(400);
  });
});

describe('Mailchimp emulator: batch subscribe', () => {
  it('adds, updates with update_existing, and reports each refused member with its email', async () => {
    emulator.store.addMember(list, 'known@acme.example.com');
    const answer = await call('POST', `/lists/${list.id}`, {
      members: [
        { email_address: 'new@acme.example.com', status: 'subscribed' },
        {
          email_address: 'known@acme.example.com',
          status: 'subscribed',
          merge_fields: { FNAME: 'K' },
        },
        { email_address: 'fooboo@example.com', status: 'subscribed' },
        { email_address: 'nostatus@acme.example.com' },
      ],
      update_existing: true,
    });
    expect(answer.body).toMatchObject({ total_created: 1, total_updated: 1, error_count: 2 });
    expect(answer.body.errors).toEqual([
      expect.objectContaining({ email_address: 'fooboo@example.com', error_code: 'ERROR_GENERIC' }),
      expect.objectContaining({ email_address: 'nostatus@acme.example.com', field: 'status' }),
    ]);
    const without = await call('POST', `/lists/${list.id}`, {
      members: [{ email_address: 'known@acme.example.com', status: 'subscribed' }],
    });
    expect(without.body.errors).toEqual([
      expect.objectContaining({ error_code: 'ERROR_CONTACT_EXISTS' }),
    ]);
  });

  it('refuses more than 500 members in one call', async () => {
    const answer = await call('POST', `/lists/${list.id}`, {
      members: Array.from({ length: 501 }, (_, n) => ({
        email_address: `p${String(n)}@acme.example.com`,
        status: 'subscribed',
      })),
    });
    expect(answer).toMatchObject({ status: 400, body: { title: 'Invalid Resource' } });
    expect(list.members.size).toBe(0);
  });
});

describe('Mailchimp emulator: tags and segments', () => {
  it('tags a member, changes a static segment in batch, and refuses changes to a saved segment', async () => {
    const ada = emulator.store.addMember(list, 'ada@acme.example.com');
    expect(
      (
        await call('POST', `${members()}/${ada.id}/tags`, {
          tags: [{ name: 'VIP', status: 'active' }],
        })
      ).status,
    ).toBe(204);
    const tags = await call('GET', `${members()}/${ada.id}/tags`);
    expect(tags.body.tags).toEqual([expect.objectContaining({ name: 'VIP' })]);
    const vip = emulator.store.tag(list, 'VIP', false);
    const batch = await call('POST', `/lists/${list.id}/segments/${String(vip?.id)}`, {
      members_to_remove: ['ada@acme.example.com'],
      members_to_add: ['stranger@acme.example.com'],
    });
    expect(batch.body).toMatchObject({ total_removed: 1, total_added: 0, error_count: 1 });
    expect(vip?.members.size).toBe(0);
    const saved = emulator.store.createSegment(list, 'Openers', 'saved');
    const refused = await call('POST', `/lists/${list.id}/segments/${String(saved.id)}`, {
      members_to_add: ['ada@acme.example.com'],
    });
    expect(refused).toMatchObject({ status: 400, body: { title: 'Invalid Resource' } });
    const unknownMember = await call(
      'POST',
      `${members()}/${subscriberHash('x@acme.example.com')}/tags`,
      {
        tags: [{ name: 'VIP', status: 'active' }],
      },
    );
    expect(unknownMember.status).toBe(404);
  });
});

describe('Mailchimp emulator: limits', () => {
  it('answers 429 past 10 simultaneous connections of one key', async () => {
    emulator.faults.latencyMs = 100;
    const answers = await Promise.all(Array.from({ length: 12 }, () => call('GET', '/ping')));
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses.filter((status) => status === 200)).toHaveLength(10);
    expect(answers.find((answer) => answer.status === 429)?.body).toMatchObject({
      title: 'Too Many Requests',
    });
  });
});
