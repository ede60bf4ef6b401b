import { HUBSPOT } from './limits';
import { connectToEmulator } from './harness';
import type { HubSpotEmulator } from './emulator';
import type { HubSpotConnector } from './connector';
import type { FakeClock } from '../sdk/clock';
import type { ConnectorRecord } from '../sdk/contract';

async function readAll(
  connector: HubSpotConnector,
  request: { since?: string; pageSize?: number; fields?: string[] } = {},
): Promise<ConnectorRecord[]> {
  const records: ConnectorRecord[] = [];
  for await (const page of connector.read({
    object: 'contacts',
    fields: request.fields ?? ['email'],
    ...request,
  }))
    records.push(...page.records);
  return records;
}

describe('hubspot reads', () => {
  let clock: FakeClock;
  let emulator: HubSpotEmulator;
  let connector: HubSpotConnector;

  beforeEach(async () => {
    ({ clock, emulator, connector } = await connectToEmulator());
  });

  afterEach(async () => {
    await emulator.close();
  });

  it('reads every one of more than 10,000 records sharing one last-modified timestamp exactly once', async () => {
    const count = HUBSPOT.maxSearchResults + 250;
    const since = clock.now().toISOString();
    for (let i = 0; i < count; i++)
      emulator.store.insert('contacts', { email: `same-${i}@example.com` });
    expect(new Set(emulator.store.all('contacts').map((record) => record.updatedAt)).size).toBe(1);

    const started = Date.now();
    const records = await readAll(connector, { since, pageSize: 200 });
    const elapsedMs = Date.now() - started;

    const ids = records.map((record) => record.id);
    expect(ids).toHaveLength(count);
    expect(new Set(ids).size).toBe(count);
    expect([...ids].sort()).toEqual(
      emulator.store
        .all('contacts')
        .map((record) => record.id)
        .sort(),
    );
    // HubSpot would have refused a page past the cap with a 400: none was asked for.
    expect(emulator.counters.byStatus.get(400)).toBeUndefined();
    expect(emulator.counters.calls('POST /crm/v3/objects/contacts/search')).toBe(
      Math.ceil(count / 200),
    );
    console.info(`10k-equal-timestamp read: ${count} records in ${elapsedMs} ms`);
  });

  it('types values from the all-strings wire format', async () => {
    const record = emulator.store.insert('contacts', {
      email: 'typed@example.com',
      interests: 'crm;ads',
      hs_email_optout: 'true',
      annualrevenue: '1250.5',
      date_of_birth: '1990-02-03',
    });
    const [read] = await readAll(connector, {
      fields: [
        'email',
        'interests',
        'hs_email_optout',
        'annualrevenue',
        'date_of_birth',
        'phone',
        'createdate',
      ],
    });
    expect(read).toEqual({
      id: record.id,
      updatedAt: record.updatedAt,
      fields: {
        email: 'typed@example.com',
        interests: ['ads', 'crm'],
        hs_email_optout: true,
        annualrevenue: 1250.5,
        date_of_birth: '1990-02-03',
        phone: null,
        createdate: record.createdAt,
      },
    });
  });

  it('sees a write in incremental reads only once the search index caught up', async () => {
    emulator.store.searchLagMs = 5_000;
    const since = clock.now().toISOString();
    emulator.store.insert('contacts', { email: 'late@example.com' });
    expect(await readAll(connector, { since })).toEqual([]);
    await clock.advance(5_000);
    expect((await readAll(connector, { since })).map((record) => record.fields['email'])).toEqual([
      'late@example.com',
    ]);
  });

  it('looks up by a non-unique property with search IN', async () => {
    emulator.store.insert('contacts', { email: 'a@example.com', lastname: 'Hopper' });
    emulator.store.insert('contacts', { email: 'b@example.com', lastname: 'Turing' });
    emulator.store.insert('contacts', { email: 'c@example.com', lastname: 'Knuth' });
    const found = await connector.lookup({
      object: 'contacts',
      field: 'lastname',
      values: ['Hopper', 'Knuth', 'Nobody'],
      fields: ['email'],
    });
    expect(found.map((record) => record.fields['email']).sort()).toEqual([
      'a@example.com',
      'c@example.com',
    ]);
  });

  it('maps property types in discover()', async () => {
    const objects = await connector.discover();
    expect(objects.map((object) => object.name)).toEqual(['contacts', 'companies', 'deals']);
    const contacts = objects.find((object) => object.name === 'contacts');
    const field = (name: string) => contacts?.fields.find((candidate) => candidate.name === name);
    expect(field('email')).toMatchObject({
      type: 'email',
      unique: true,
      externalId: true,
      readOnly: false,
    });
    expect(field('interests')).toMatchObject({ type: 'multi_enum' });
    expect(field('interests')?.options?.map((option) => option.value)).toContain('crm');
    expect(field('lifecyclestage')).toMatchObject({ type: 'enum' });
    expect(field('hs_email_optout')).toMatchObject({ type: 'boolean' });
    expect(field('phone')).toMatchObject({ type: 'phone' });
    expect(field('date_of_birth')).toMatchObject({ type: 'date' });
    expect(field('lastmodifieddate')).toMatchObject({ type: 'datetime', readOnly: true });
    expect(field('hs_object_id')).toMatchObject({ type: 'id', readOnly: true, externalId: false });
    expect(field('annualrevenue')).toMatchObject({ type: 'number' });
  });
});
