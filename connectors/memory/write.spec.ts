import { FakeClock } from '../sdk/clock';
import type { FieldDescriptor, WriteRequest } from '../sdk/contract';
import { MemoryBackend } from './backend';
import { createMemoryConnector } from './connector';

function field(name: string, extra: Partial<FieldDescriptor> = {}): FieldDescriptor {
  return {
    name,
    label: name,
    type: 'string',
    required: false,
    readOnly: false,
    unique: false,
    externalId: false,
    ...extra,
  };
}

function setup(): {
  backend: MemoryBackend;
  write: (
    request: Omit<WriteRequest, 'object'>,
  ) => ReturnType<ReturnType<typeof createMemoryConnector>['write']>;
} {
  const backend = new MemoryBackend({ clock: new FakeClock({ autoAdvance: true }) });
  backend.setFieldDescriptors('contacts', [
    field('email', { type: 'email', required: true, unique: true, externalId: true }),
    field('stage', {
      type: 'enum',
      options: [
        { value: 'lead', label: 'Lead' },
        { value: 'customer', label: 'Customer' },
      ],
    }),
    field('score', { type: 'number' }),
    field('created', { type: 'datetime', readOnly: true }),
  ]);
  backend.uniqueFields('contacts', ['email']);
  const connector = createMemoryConnector(backend);
  return { backend, write: (request) => connector.write({ object: 'contacts', ...request }) };
}

describe('memory vendor validation and per-record results', () => {
  it('rejects unknown fields, picklist values outside the options, wrong types and read-only fields, record by record', async () => {
    const { backend, write } = setup();
    const results = await write({
      mode: 'create',
      operations: [
        { fields: { email: 'ok@x.io', stage: 'lead', score: 3 } },
        { fields: { email: 'u@x.io', nickname: 'Bo' } },
        { fields: { email: 'p@x.io', stage: 'prospect' } },
        { fields: { email: 't@x.io', score: '3' } },
        { fields: { email: 'r@x.io', created: '2024-01-01T00:00:00.000Z' } },
        { fields: { stage: 'lead' } },
      ],
    });
    expect(
      results.map((result) => (result.status === 'failed' ? result.error.code : result.status)),
    ).toEqual([
      'created',
      'invalid_value',
      'invalid_value',
      'invalid_value',
      'invalid_value',
      'required_field_missing',
    ]);
    expect(results[1]).toMatchObject({
      status: 'failed',
      error: { fields: ['nickname'], retryable: false },
    });
    expect(backend.all('contacts').map((record) => record.fields['email'])).toEqual(['ok@x.io']);
    expect(backend.writtenRecords).toBe(6);
  });

  it('fails a create or an update that takes a unique value already held by another record', async () => {
    const { backend, write } = setup();
    const [taken, other] = backend.seed('contacts', [
      { fields: { email: 'taken@x.io' } },
      { fields: { email: 'free@x.io' } },
    ]);
    const created = await write({
      mode: 'create',
      operations: [
        { fields: { email: 'taken@x.io' } },
        { fields: { email: 'n@x.io' } },
        { fields: { email: 'n@x.io' } },
      ],
    });
    expect(created.map((result) => result.status)).toEqual(['failed', 'created', 'failed']);
    expect(created[0]).toMatchObject({ error: { code: 'duplicate' } });
    const updated = await write({
      mode: 'update',
      operations: [
        { id: other.id, fields: { email: 'taken@x.io' } },
        { id: taken.id, fields: { email: 'taken@x.io' } },
      ],
    });
    expect(updated.map((result) => result.status)).toEqual(['failed', 'updated']);
    expect(backend.getRecord('contacts', other.id)?.fields['email']).toBe('free@x.io');
  });

  it('upserts through the key index, reporting an ambiguous key and a missing key per record', async () => {
    const backend = new MemoryBackend({ clock: new FakeClock() });
    backend.seed('leads', [
      { fields: { code: 'A' } },
      { fields: { code: 'A' } },
      { fields: { code: 'B', n: 1 } },
    ]);
    const connector = createMemoryConnector(backend);
    const results = await connector.write({
      object: 'leads',
      mode: 'upsert',
      matchField: 'code',
      operations: [
        { fields: { code: 'A' } },
        { fields: { n: 2 } },
        { fields: { code: 'B', n: 2 } },
      ],
    });
    expect(
      results.map((result) => (result.status === 'failed' ? result.error.code : result.status)),
    ).toEqual(['duplicate', 'required_field_missing', 'updated']);
    expect(results[2]).toMatchObject({ record: { fields: { code: 'B', n: 2 } } });
    await expect(
      connector.write({ object: 'leads', mode: 'upsert', operations: [{ fields: {} }] }),
    ).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('reports updates and deletes of unknown ids as not_found, and deletes once', async () => {
    const { backend, write } = setup();
    const [record] = backend.seed('contacts', [{ fields: { email: 'a@x.io' } }]);
    const results = await write({
      mode: 'delete',
      operations: [
        { id: record.id, fields: {} },
        { id: record.id, fields: {} },
        { id: 'nope', fields: {} },
      ],
    });
    expect(results.map((result) => result.status)).toEqual(['deleted', 'failed', 'failed']);
    expect(results[1]).toMatchObject({
      id: record.id,
      error: { code: 'not_found', retryable: false },
    });
    expect(backend.all('contacts')).toEqual([]);
  });

  it('returns the stored values, which later changes to the input do not alter', async () => {
    const { backend, write } = setup();
    const tags = ['b'];
    const fields = { email: 'a@x.io', stage: 'lead', tags };
    backend.setFieldDescriptors('contacts', [
      field('email'),
      field('stage'),
      field('tags', { type: 'multi_enum' }),
    ]);
    const [result] = await write({ mode: 'create', operations: [{ fields }] });
    tags.push('c');
    if (result.status !== 'created') throw new Error('create failed');
    expect(result.record?.fields).toEqual({ email: 'a@x.io', stage: 'lead', tags: ['b'] });
    expect(backend.getRecord('contacts', result.id)?.fields['tags']).toEqual(['b']);
  });
});
