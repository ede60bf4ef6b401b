/**
 * What the Mailchimp connector does beyond the contract suites: its schema from the merge fields,
 * values both ways, subscription status never raised by a sync that does not map it, writes of
 * ⌈N/500⌉ calls, lookups that read the audience when that is cheaper, Mailchimp's limit of 10
 * simultaneous connections, and check() reasons a person can act on.
 */
import { ConnectorError } from '../sdk/errors';
import { apiRoot } from './client';
import { pagesOf } from '../sdk/testing/harness';
import { connectToMailchimp } from './harness';

describe('Mailchimp connector', () => {
  const closing: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closing.splice(0)) await close();
  });

  async function connect(options: Parameters<typeof connectToMailchimp>[0] = {}) {
    const connected = await connectToMailchimp(options);
    closing.push(() => connected.emulator.close());
    return connected;
  }

  it('describes members from the merge fields: types, choices, required flags, the email key', async () => {
    const { connector, audience } = await connect();
    audience.mergeFields.push(
      {
        ...audience.mergeFields[0],
        merge_id: 6,
        tag: 'SEATS',
        name: 'Seats',
        type: 'number',
        required: true,
      },
      {
        ...audience.mergeFields[0],
        merge_id: 7,
        tag: 'PLAN',
        name: 'Plan',
        type: 'dropdown',
        options: { choices: ['Free', 'Pro'] },
      },
    );
    const [members] = await connector.discover();
    const field = (name: string) => members.fields.find((each) => each.name === name);
    expect(field('email_address')).toMatchObject({ type: 'email', externalId: true, unique: true });
    expect(field('status')).toMatchObject({ type: 'enum', readOnly: false });
    expect(field('SEATS')).toMatchObject({ type: 'number', required: true });
    expect(field('PLAN')?.options?.map((option) => option.value)).toEqual(['Free', 'Pro']);
    expect(field('ADDRESS')).toMatchObject({ type: 'json' });
    expect(field('tags')).toMatchObject({ type: 'multi_enum', readOnly: true });
    expect(members.writeModes).toEqual(['upsert', 'create', 'update', 'delete']);
  });

  it('leaves the status alone when a write does not carry one, and gives new members the setting', async () => {
    const { connector, emulator, audience } = await connect({
      settings: { statusIfNew: 'transactional' },
    });
    const gone = emulator.store.addMember(audience, 'gone@acme.example.com', {
      status: 'unsubscribed',
    });
    const results = await connector.write({
      object: 'members',
      mode: 'upsert',
      matchField: 'email_address',
      operations: [
        { fields: { email_address: 'gone@acme.example.com', FNAME: 'Gone' } },
        { fields: { email_address: 'new@acme.example.com', FNAME: 'New' } },
      ],
    });
    expect(results.map((result) => result.status)).toEqual(['updated', 'created']);
    expect(gone.status).toBe('unsubscribed');
    expect(gone.merge_fields.FNAME).toBe('Gone');
    expect(emulator.store.member(audience, 'new@acme.example.com')?.status).toBe('transactional');
  });

  it('fails, with Mailchimp reason, a write that would subscribe an unsubscribed member again', async () => {
    const { connector, emulator, audience } = await connect();
    emulator.store.addMember(audience, 'gone@acme.example.com', { status: 'unsubscribed' });
    const [result] = await connector.write({
      object: 'members',
      mode: 'upsert',
      matchField: 'email_address',
      operations: [{ fields: { email_address: 'gone@acme.example.com', status: 'subscribed' } }],
    });
    expect(result).toMatchObject({
      status: 'failed',
      error: { code: 'invalid_value', retryable: false },
    });
    if (result.status === 'failed') expect(result.error.message).toContain('compliance state');
    expect(emulator.store.member(audience, 'gone@acme.example.com')?.status).toBe('unsubscribed');
  });

  it('writes values in Mailchimp form and reads them back in the contract form', async () => {
    const { connector, emulator, audience } = await connect();
    const [result] = await connector.write({
      object: 'members',
      mode: 'create',
      operations: [
        {
          fields: {
            email_address: 'Ada@Acme.example.com',
            status: 'subscribed',
            FNAME: 'Ada',
            ADDRESS: JSON.stringify({
              addr1: '1 Main St',
              city: 'Springfield',
              state: 'IL',
              zip: '62701',
            }),
            BIRTHDAY: '12/10',
            vip: true,
          },
        },
      ],
    });
    expect(result.status).toBe('created');
    const stored = emulator.store.member(audience, 'ada@acme.example.com');
    expect(stored?.merge_fields.ADDRESS).toMatchObject({ city: 'Springfield', country: 'US' });
    const [read] = await connector.lookup({
      object: 'members',
      field: 'email_address',
      values: ['ADA@acme.example.com'],
      fields: [],
    });
    expect(read.fields).toMatchObject({
      email_address: 'Ada@Acme.example.com',
      status: 'subscribed',
      FNAME: 'Ada',
      LNAME: null,
      BIRTHDAY: '12/10',
      vip: true,
      tags: [],
    });
    expect(JSON.parse(String(read.fields.ADDRESS))).toMatchObject({ addr1: '1 Main St' });
  });

  it('loads 50,000 members in ⌈50,000/500⌉ batch calls and finds 500 of them in a few reads', async () => {
    const { connector, emulator, audience } = await connect();
    const operations = Array.from({ length: 50_000 }, (_, n) => ({
      fields: {
        email_address: `p${String(n)}@load.example.com`,
        status: 'subscribed',
        FNAME: `P${String(n)}`,
      },
    }));
    const results = await connector.write({
      object: 'members',
      mode: 'upsert',
      matchField: 'email_address',
      operations,
    });
    expect(results.filter((result) => result.status === 'created')).toHaveLength(50_000);
    expect(audience.members.size).toBe(50_000);
    expect(emulator.counters.calls('POST /3.0/lists/:list')).toBe(100);

    emulator.counters.reset();
    const values = Array.from({ length: 500 }, (_, n) => `P${String(n * 97)}@load.example.com`);
    const found = await connector.lookup({
      object: 'members',
      field: 'email_address',
      values,
      fields: [],
    });
    expect(found).toHaveLength(500);
    expect(emulator.counters.total).toBeLessThanOrEqual(50);
  }, 60_000);

  it('keeps to 10 simultaneous calls while it updates members one by one', async () => {
    const { connector, emulator, audience } = await connect();
    const members = emulator.seed(audience, 40);
    emulator.faults.latencyMs = 20;
    const results = await connector.write({
      object: 'members',
      mode: 'update',
      operations: members.map((member) => ({ id: member.id, fields: { FNAME: 'Same' } })),
    });
    expect(results.every((result) => result.status === 'updated')).toBe(true);
    expect(emulator.peakConnections()).toBeLessThanOrEqual(10);
    expect(emulator.counters.rateLimited).toBe(0);
  });

  it('says what to fix when the audience, the key or the status setting is wrong', async () => {
    const wrongAudience = await connect({ settings: { audienceId: 'nope123' } });
    await expect(wrongAudience.connector.check()).resolves.toMatchObject({
      ok: false,
      code: 'not_found',
    });
    const revoked = await connect({ secrets: { apiKey: '00000000000000000000000000000000-us21' } });
    await expect(revoked.connector.check()).resolves.toMatchObject({
      ok: false,
      code: 'auth_invalid',
    });
    const badStatus = await connect({ settings: { statusIfNew: 'yes' } });
    const checked = await badStatus.connector.check();
    expect(checked).toMatchObject({ ok: false });
    expect(JSON.stringify(checked)).toContain('transactional');
  });

  it('finds the API root from the key, and refuses a key without its data centre', () => {
    expect(apiRoot(undefined, '0123abcd-us6')).toBe('https://us6.api.mailchimp.com/3.0');
    expect(apiRoot('https://us6.api.mailchimp.com', undefined)).toBe(
      'https://us6.api.mailchimp.com/3.0',
    );
    expect(() => apiRoot(undefined, 'abc')).toThrow(ConnectorError);
    expect(() => apiRoot(undefined, undefined)).toThrow(/api_endpoint/);
  });

  it("reads a tag whole as the audience's members, page by page, and names the status an opt-out", async () => {
    const { connector, emulator, audience } = await connect();
    const tag = emulator.store.createSegment(audience, 'VIP', 'static');
    for (let n = 0; n < 5; n++) {
      const member = emulator.store.addMember(audience, `p${String(n)}@tags.example.com`);
      if (n !== 2) tag.members.add(member.id);
    }
    emulator.counters.reset();
    const pages = await pagesOf(
      connector.readAudience({
        object: 'members',
        audience: String(tag.id),
        fields: ['email_address', 'status'],
        pageSize: 2,
      }),
    );
    expect(pages.map((page) => page.length)).toEqual([2, 2, 0]);
    expect(
      pages
        .flat()
        .map((record) => record.fields.email_address)
        .sort(),
    ).toEqual([
      'p0@tags.example.com',
      'p1@tags.example.com',
      'p3@tags.example.com',
      'p4@tags.example.com',
    ]);
    expect(pages.flat()[0]?.fields.status).toBe('subscribed');
    expect(emulator.counters.matching(/segments\/:id\/members/)).toBe(3);
    await expect(
      pagesOf(connector.readAudience({ object: 'lists', audience: '1', fields: [], pageSize: 10 })),
    ).rejects.toThrow(/has the object members/);
    expect(connector.optOutValues('members', 'status')).toEqual(['unsubscribed', 'cleaned']);
    expect(connector.optOutValues('members', 'vip')).toBeUndefined();
  });
});
