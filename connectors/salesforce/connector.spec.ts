import type { ConnectorRecord, ReadPage } from '../sdk/contract';
import type { SalesforceConnector } from './connector';
import type { SalesforceEmulator } from './emulator';
import { startSalesforcePair } from './harness';
import { inQueries } from './read';
import { QUERY_URI_MAX_BYTES } from './limits';

async function collect(pages: AsyncIterable<ReadPage>): Promise<ConnectorRecord[]> {
  const records: ConnectorRecord[] = [];
  for await (const page of pages) records.push(...page.records);
  return records;
}

describe('Salesforce connector', () => {
  let emulator: SalesforceEmulator;
  let connector: SalesforceConnector;

  beforeEach(async () => {
    ({ emulator, connector } = await startSalesforcePair({
      connector: { settings: { bulkThreshold: 5 } },
    }));
  });

  afterEach(async () => {
    await emulator.close();
  });

  it('maps describe to contract field types', async () => {
    const contact = (await connector.discover()).find((object) => object.name === 'Contact');
    const field = (name: string) => contact?.fields.find((candidate) => candidate.name === name);
    expect(contact?.deletes).toBe(true);
    expect(field('Id')).toMatchObject({ type: 'id', readOnly: true, unique: true });
    expect(field('LastName')).toMatchObject({ type: 'string', required: true, readOnly: false });
    expect(field('Email')?.type).toBe('email');
    expect(field('Phone')?.type).toBe('phone');
    expect(field('Description')?.type).toBe('text');
    expect(field('Birthdate')?.type).toBe('date');
    expect(field('HasOptedOutOfEmail')).toMatchObject({ type: 'boolean', required: false });
    expect(field('Score__c')?.type).toBe('number');
    expect(field('Lifecycle_Stage__c')).toMatchObject({
      type: 'enum',
      options: expect.arrayContaining([{ value: 'MQL', label: 'MQL' }]) as unknown,
    });
    expect(field('Interests__c')?.type).toBe('multi_enum');
    expect(field('AccountId')).toMatchObject({ type: 'reference', referenceTo: 'Account' });
    expect(field('SystemModstamp')).toMatchObject({ type: 'datetime', readOnly: true });
    expect(field('External_Id__c')).toMatchObject({ externalId: true, unique: true });
    const lead = (await connector.discover()).find((object) => object.name === 'Lead');
    expect(lead?.fields.find((candidate) => candidate.name === 'NumberOfEmployees')?.type).toBe(
      'integer',
    );
    expect(lead?.fields.find((candidate) => candidate.name === 'Website')?.type).toBe('url');
  });

  it('reads values in canonical form: ISO datetimes with Z, sorted multi-enums, booleans, numbers', async () => {
    emulator.store.create('Contact', {
      LastName: 'Ann',
      Interests__c: 'CRM;Ads;CRM',
      HasOptedOutOfEmail: true,
      Score__c: 12.5,
      Birthdate: '1990-02-03',
    });
    const [record] = await collect(
      connector.read({
        object: 'Contact',
        fields: [
          'lastname',
          'Interests__c',
          'HasOptedOutOfEmail',
          'Score__c',
          'Birthdate',
          'CreatedDate',
        ],
      }),
    );
    expect(record).toEqual({
      id: expect.stringMatching(/^003/) as unknown,
      updatedAt: '2024-01-01T00:00:00.000Z',
      fields: {
        LastName: 'Ann',
        Interests__c: ['Ads', 'CRM'],
        HasOptedOutOfEmail: true,
        Score__c: 12.5,
        Birthdate: '1990-02-03',
        CreatedDate: '2024-01-01T00:00:00.000Z',
      },
    });
  });

  it('chunks a large lookup so every query URI fits Salesforce’s limit, and finds every record', async () => {
    const emails = Array.from(
      { length: 3_000 },
      (_, i) => `someone.with.a.long.address.${i}@example.com`,
    );
    for (const email of emails.slice(0, 2_500))
      emulator.store.create('Contact', { LastName: 'L', Email: email });
    const queries = inQueries({ version: '59.0' }, 'SELECT Id FROM Contact', 'Email', emails);
    expect(queries.length).toBeGreaterThan(1);
    for (const soql of queries) {
      expect(
        Buffer.byteLength(`/services/data/v59.0/query?q=${encodeURIComponent(soql)}`),
      ).toBeLessThanOrEqual(QUERY_URI_MAX_BYTES);
    }
    const found = await connector.lookup({
      object: 'Contact',
      field: 'Email',
      values: emails,
      fields: ['Email'],
    });
    expect(found).toHaveLength(2_500);
    expect(emulator.counters.calls('GET /query')).toBe(queries.length);
  });

  it('writes through Bulk API 2.0 at the threshold: update, upsert and delete results map back to inputs in order', async () => {
    const ids = Array.from({ length: 6 }, (_, i) => {
      const outcome = emulator.store.create('Contact', {
        LastName: `P${i}`,
        External_Id__c: `ext-${i}`,
      });
      return outcome.ok ? outcome.id : '';
    });
    const updated = await connector.write({
      object: 'Contact',
      mode: 'update',
      operations: ids.map((id, i) => ({
        id,
        fields: {
          Title: i === 2 ? null : `T${i}`,
          Email: i === 4 ? 'broken' : `p${i}@example.com`,
        },
      })),
    });
    expect(updated.map((result) => result.status)).toEqual([
      'updated',
      'updated',
      'updated',
      'updated',
      'failed',
      'updated',
    ]);
    expect(updated[4]).toMatchObject({
      id: ids[4],
      error: { code: 'invalid_value', retryable: false, fields: ['Email'] },
    });
    expect(updated.map((result) => result.status !== 'failed' && result.id)).toEqual([
      ...ids.slice(0, 4),
      false,
      ids[5],
    ]);

    const upserted = await connector.write({
      object: 'Contact',
      mode: 'upsert',
      matchField: 'External_Id__c',
      operations: ['ext-9', 'ext-1', 'ext-8', 'ext-3', 'ext-7'].map((key) => ({
        fields: { External_Id__c: key, LastName: `U ${key}` },
      })),
    });
    expect(upserted.map((result) => result.status)).toEqual([
      'created',
      'updated',
      'created',
      'updated',
      'created',
    ]);
    expect(upserted[1]).toMatchObject({ id: ids[1] });

    const deleted = await connector.write({
      object: 'Contact',
      mode: 'delete',
      operations: ids.slice(0, 5).map((id) => ({ id, fields: {} })),
    });
    expect(deleted).toEqual(ids.slice(0, 5).map((id) => ({ status: 'deleted', id })));
    expect(emulator.counters.calls('POST /jobs/ingest')).toBe(3);
    expect(emulator.counters.matching(/composite/)).toBe(0);
  });

  it('upserts on a key that is not an external id by looking it up: updates single matches, creates the rest', async () => {
    const existing = emulator.store.create('Contact', {
      LastName: 'Old',
      Email: 'ANN@example.com',
    });
    emulator.store.create('Contact', { LastName: 'Twin 1', Email: 'twin@example.com' });
    emulator.store.create('Contact', { LastName: 'Twin 2', Email: 'twin@example.com' });
    const results = await connector.write({
      object: 'Contact',
      mode: 'upsert',
      matchField: 'Email',
      operations: [
        { fields: { Email: 'new@example.com', LastName: 'New' } },
        { fields: { Email: 'ann@example.com', LastName: 'Ann' } },
        { fields: { Email: 'twin@example.com', LastName: 'Which?' } },
      ],
    });
    expect(results).toEqual([
      { status: 'created', id: expect.stringMatching(/^003/) as unknown },
      { status: 'updated', id: existing.ok ? existing.id : '' },
      {
        status: 'failed',
        error: expect.objectContaining({ code: 'duplicate', retryable: false }) as unknown,
      },
    ]);
    expect(emulator.store.list('Contact')).toHaveLength(4);
  });

  it('sends an update again after a 5xx, and never a create', async () => {
    const ann = emulator.store.create('Contact', { LastName: 'Ann', Email: 'ann@example.com' });
    const id = ann.ok ? ann.id : '';
    emulator.faults.failNext('server_error', { endpoint: /^PATCH \/composite\/sobjects$/ });
    await expect(
      connector.write({
        object: 'Contact',
        mode: 'update',
        operations: [{ id, fields: { LastName: 'Ann B' } }],
      }),
    ).resolves.toEqual([{ status: 'updated', id }]);
    expect(emulator.counters.calls('PATCH /composite/sobjects')).toBe(2);
    expect(emulator.store.get(id)?.values['LastName']).toBe('Ann B');

    // A create whose answer is a 5xx may have made its records: it is not sent again.
    emulator.faults.failNext('server_error', { endpoint: /^POST \/composite\/sobjects$/ });
    await expect(
      connector.write({
        object: 'Contact',
        mode: 'create',
        operations: [{ fields: { LastName: 'New', Email: 'new@example.com' } }],
      }),
    ).rejects.toMatchObject({ code: 'server_error' });
    expect(emulator.counters.calls('POST /composite/sobjects')).toBe(1);
  });

  it('stops with budget_exhausted when the org’s daily API limit is spent', async () => {
    emulator.faults.failNext('request_limit');
    await expect(
      collect(connector.read({ object: 'Contact', fields: ['Email'] })),
    ).rejects.toMatchObject({ code: 'budget_exhausted' });
  });

  it('reads deletes through queryAll and resumes from its checkpoint', async () => {
    const ids = Array.from({ length: 3 }, (_, i) => {
      const outcome = emulator.store.create('Contact', { LastName: `D${i}` });
      return outcome.ok ? outcome.id : '';
    });
    for (const id of ids) emulator.store.delete(id);
    const deleted: string[] = [];
    for await (const page of connector.readDeleted({ object: 'Contact' }))
      deleted.push(...page.records.map((record) => record.id));
    expect(deleted).toEqual(ids);
    const again = connector.readDeleted({
      object: 'Contact',
      checkpoint: { deletedAt: '2024-01-01T00:00:00.000Z', id: ids[1] ?? '' },
    });
    const rest: string[] = [];
    for await (const page of again) rest.push(...page.records.map((record) => record.id));
    expect(rest).toEqual([ids[2]]);
  });
});
