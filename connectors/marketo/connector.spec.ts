/**
 * What the Marketo connector does beyond the contract suites: its schema from Describe Lead2,
 * values both ways, Marketo's errors in the SDK's codes, writes of ⌈N/300⌉ calls, upserts of one
 * email never in flight together, long lookups sent as POSTs, and its own count of the window.
 */
import { ConnectorError } from '../sdk/errors';
import { openForTest } from '../sdk/testing/open';
import { marketoConnector } from './connector';
import { TEST_SERVICE } from './emulator';
import { connectToMarketo } from './harness';

async function drain<T>(pages: AsyncIterable<T[] | { records: T[] }>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...(Array.isArray(page) ? page : page.records));
  return all;
}

describe('Marketo connector', () => {
  const closing: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closing.splice(0)) await close();
  });

  async function connect(options: Parameters<typeof connectToMarketo>[0] = {}) {
    const connected = await connectToMarketo(options);
    closing.push(() => connected.emulator.close());
    return connected;
  }

  it('describes leads from Describe Lead2: types, read-only fields, searchable fields as keys', async () => {
    const { connector } = await connect();
    const [leads] = await connector.discover();
    const field = (name: string) => leads.fields.find((each) => each.name === name);
    expect(field('email')).toMatchObject({
      type: 'email',
      externalId: true,
      unique: true,
      readOnly: false,
    });
    expect(field('firstName')).toMatchObject({ type: 'string', externalId: false });
    expect(field('numberOfEmployees')).toMatchObject({ type: 'integer' });
    expect(field('annualRevenue')).toMatchObject({ type: 'number' });
    expect(field('unsubscribed')).toMatchObject({ type: 'boolean' });
    expect(field('updatedAt')).toMatchObject({ type: 'datetime', readOnly: true });
    expect(field('id')).toMatchObject({ type: 'id', readOnly: true, externalId: false });
    expect(leads.writeModes).toEqual(['upsert', 'create', 'update', 'delete']);
  });

  it('writes and reads values in the contract form: datetimes to the second, numbers, booleans', async () => {
    const { connector, emulator } = await connect();
    const [result] = await connector.write({
      object: 'leads',
      mode: 'upsert',
      matchField: 'email',
      operations: [
        {
          fields: {
            email: 'values@example.com',
            lastEventAt: '2024-05-01T10:00:00.123Z',
            numberOfEmployees: 42,
            unsubscribed: true,
            dateOfBirth: '1990-02-03',
          },
        },
      ],
    });
    expect(result).toMatchObject({ status: 'created' });
    const stored = emulator.store.find('email', ['values@example.com'])[0];
    expect(stored.fields).toMatchObject({
      lastEventAt: '2024-05-01T10:00:00Z',
      numberOfEmployees: 42,
      unsubscribed: true,
    });
    const [read] = await connector.lookup({
      object: 'leads',
      field: 'EMAIL',
      values: ['VALUES@example.com'],
      fields: ['lastEventAt', 'numberOfEmployees', 'unsubscribed', 'dateOfBirth', 'title'],
    });
    expect(read.fields).toEqual({
      email: 'values@example.com',
      lastEventAt: '2024-05-01T10:00:00.000Z',
      numberOfEmployees: 42,
      unsubscribed: true,
      dateOfBirth: '1990-02-03',
      title: null,
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/) as string,
    });
  });

  it('writes N changed leads in ⌈N/300⌉ Sync Leads calls', async () => {
    const { connector, emulator } = await connect();
    const operations = Array.from({ length: 1000 }, (_, index) => ({
      fields: { email: `bulk.${index}@example.com`, firstName: `Bulk ${index}` },
    }));
    const results = await connector.write({
      object: 'leads',
      mode: 'upsert',
      matchField: 'email',
      operations,
    });
    expect(results.filter((result) => result.status === 'created')).toHaveLength(1000);
    expect(emulator.counters.calls('POST /rest/v1/leads.json')).toBe(4);
  });

  it('never has two upserts of one email in flight, so Marketo cannot create the lead twice', async () => {
    const { connector, emulator } = await connect({ emulator: { upsertRaceMs: 100 } });
    const upsert = (firstName: string) =>
      connector.write({
        object: 'leads',
        mode: 'upsert',
        matchField: 'email',
        operations: [{ fields: { email: 'Race@Example.com', firstName } }],
      });
    const [first, second] = await Promise.all([upsert('One'), upsert('Two')]);
    expect([first[0]?.status, second[0]?.status]).toEqual(['created', 'updated']);
    expect(emulator.store.find('email', ['race@example.com'])).toHaveLength(1);
  });

  it('sends a lookup too long for a URI as a POST with _method=GET', async () => {
    const { connector, emulator } = await connect();
    const [lead] = emulator.seed(1);
    const values = [
      String(lead.fields.email),
      ...Array.from(
        { length: 299 },
        (_, index) => `someone.with.a.long.address.${index}@example.com`,
      ),
    ];
    const found = await connector.lookup({ object: 'leads', field: 'email', values, fields: [] });
    expect(found.map((record) => record.id)).toEqual([String(lead.id)]);
    expect(emulator.counters.byStatus.get(414)).toBeUndefined();
  });

  it('stops with budget_exhausted when the daily quota is spent (607), saying until when', async () => {
    const { connector, emulator, clock } = await connect({
      emulator: { limits: { dailyQuota: 3 } },
    });
    emulator.seed(2);
    // 2024-01-01 00:00 UTC: the quota resets at 06:00 UTC (midnight US Central).
    expect(clock.now().toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(connector.budgets()).toEqual([]);
    const refused = await drain(connector.read({ object: 'leads', fields: ['email'] })).catch(
      (error: unknown) => error,
    );
    expect(refused).toMatchObject({ code: 'budget_exhausted' });
    expect((refused as ConnectorError).details).toMatchObject({
      resetsAt: '2024-01-01T06:00:00.000Z',
      retryAfterMs: Date.parse('2024-01-01T06:00:00.000Z') - clock.now().getTime(),
    });
    expect(connector.budgets()).toEqual([
      expect.objectContaining({
        name: 'marketo-daily',
        remaining: 0,
        resetsAt: '2024-01-01T06:00:00.000Z',
      }),
    ]);
    expect(emulator.refusals.get('607')).toBe(1);
  });

  it('waits out a spent 20-second window (606) and counts its own calls against it', async () => {
    const { connector, emulator, clock } = await connect({ settings: { callsPer20Seconds: 5 } });
    emulator.seed(1);
    const started = clock.now().getTime();
    for (let index = 0; index < 11; index++) await connector.get('leads', ['1'], ['email']);
    // Five calls a rolling window: of thirteen (a token, the schema, eleven gets), the last three wait for the third.
    expect(clock.now().getTime() - started).toBeGreaterThanOrEqual(40_000);
    expect(emulator.counters.byStatus.get(200)).toBeGreaterThanOrEqual(11);
    emulator.faults.next('rate_limited');
    const before = clock.now().getTime();
    await connector.get('leads', ['1'], ['email']);
    expect(clock.now().getTime() - before).toBeGreaterThanOrEqual(20_000);
  });

  it('reports wrong client credentials as auth_invalid', async () => {
    const { emulator, clock } = await connect();
    const wrong = openForTest(marketoConnector, {
      settings: { instanceUrl: `${emulator.url}/identity` },
      secrets: { clientId: TEST_SERVICE.clientId, clientSecret: 'wrong' },
      clock,
      calls: { timeoutMs: 500 },
    });
    await expect(wrong.check()).resolves.toMatchObject({ ok: false, code: 'auth_invalid' });
  });

  it('refuses objects other than leads and lookups by fields Marketo cannot search', async () => {
    const { connector } = await connect();
    await expect(
      connector.lookup({ object: 'leads', field: 'firstName', values: ['Ada'], fields: [] }),
    ).rejects.toBeInstanceOf(ConnectorError);
    await expect(
      connector.write({ object: 'companies', mode: 'upsert', operations: [] }),
    ).resolves.toEqual([]);
    await expect(
      connector.write({ object: 'companies', mode: 'upsert', operations: [{ fields: {} }] }),
    ).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('offers each program status as an audience and reads back those at or past it', async () => {
    const { connector, emulator } = await connect();
    const list = emulator.store.createList('Newsletter');
    const program = emulator.store.createProgram('Spring webinar', 'Webinar');
    const audiences = await connector.audiences();
    expect(audiences.map((audience) => audience.id)).toEqual([
      String(list.id),
      ...['Invited', 'Registered', 'No Show', 'Attended', 'Attended On-demand'].map(
        (status) => `program:${String(program.id)}:${status}`,
      ),
    ]);
    const registered = `program:${String(program.id)}:Registered`;
    const people = ['ann', 'bob', 'cyd'].map((name) => ({
      key: name,
      identifiers: { email: `${name}@example.com` },
    }));
    const added = await connector.changeMembers({ audience: registered, add: people, remove: [] });
    expect(added.map((result) => result.status)).toEqual(['added', 'added', 'added']);
    // In Marketo, Bob attends (a later status) and Cyd is taken out of the program.
    const [bob] = emulator.store.find('email', ['bob@example.com']);
    const [cyd] = emulator.store.find('email', ['cyd@example.com']);
    const members = emulator.store.programs.get(program.id)?.members;
    if (members === undefined) throw new Error('the program is gone');
    members.set(bob.id, {
      leadId: bob.id,
      statusName: 'Attended',
      step: 30,
      reachedSuccess: true,
      membershipDate: emulator.store.clock.now().getTime(),
    });
    members.delete(cyd.id);
    // Adding Bob again leaves him where he is: Marketo never moves a member back.
    const again = await connector.changeMembers({
      audience: registered,
      add: people.filter((person) => person.key === 'bob'),
      remove: [],
    });
    expect(again).toEqual([{ key: 'bob', status: 'skipped' }]);
    expect(members.get(bob.id)?.statusName).toBe('Attended');
    const read: string[] = [];
    for await (const page of connector.readMembers(registered))
      read.push(...page.map((member) => member.identifiers.email ?? ''));
    expect(read.sort()).toEqual(['ann@example.com', 'bob@example.com']);
    const removed = await connector.changeMembers({
      audience: registered,
      add: [],
      remove: people,
    });
    expect(removed.map((result) => result.status)).toEqual(['removed', 'removed', 'skipped']);
  });

  it('sends a create again after a 6xx, which Marketo says it did not carry out, and creates once', async () => {
    const { connector, emulator } = await connect();
    emulator.faults.next('server_error', { code: '611' });
    const results = await connector.write({
      object: 'leads',
      mode: 'create',
      operations: [{ fields: { email: 'once@example.com' } }],
    });
    expect(results.map((result) => result.status)).toEqual(['created']);
    expect(emulator.refusals.get('611')).toBe(1);
    expect(emulator.store.find('email', ['once@example.com'])).toHaveLength(1);
  });
});
