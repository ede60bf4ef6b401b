import { FakeClock } from '../sdk/clock';
import type { RecordConnector, ConnectorRecord, ReadRequest } from '../sdk/contract';
import { describeConnectorContract } from '../sdk/testing/contract-kit';
import { nth } from '../sdk/testing/harness';
import { MemoryBackend } from './backend';
import { createMemoryConnector, memoryConnector } from './connector';
import { createMemoryHarness } from './harness';

const make = () => createMemoryHarness();

/** The memory vendor as an event or audience destination, on its own backend. */
function destination(): {
  backend: MemoryBackend;
  connector: ReturnType<typeof createMemoryConnector>;
} {
  const backend = new MemoryBackend({ clock: new FakeClock({ autoAdvance: true }) });
  const connector = createMemoryConnector(backend, { random: () => 0.5, maxBatch: 10 });
  return { backend, connector };
}

describeConnectorContract('memory', memoryConnector, {
  source: make,
  records: make,
  events: () => {
    const { backend, connector } = destination();
    return Promise.resolve({
      connector,
      object: 'purchase',
      eventFields: { value: 120, currency: 'EUR' },
      heldEvents: () => Promise.resolve(new Map(backend.eventsOf('purchase'))),
      injectFault: (kind) => {
        backend.faults.failNextCalls(kind, 1, { operation: 'append' });
        return Promise.resolve();
      },
      rejectEvents: (predicate) => {
        const error = { code: 'invalid_value' as const, message: 'refused', retryable: false };
        backend.faults.rejectItems((key) => (predicate(key) ? error : undefined));
        return Promise.resolve({ code: error.code, retryable: error.retryable });
      },
      close: () => Promise.resolve(),
    });
  },
  audiences: () => {
    const { backend, connector } = destination();
    backend.createAudience('customers', { name: 'Customers' });
    backend.createAudience('engaged', {
      name: 'Engaged (dynamic)',
      writable: false,
      reason: 'a dynamic list: its members follow its filter',
    });
    return Promise.resolve({
      connector,
      writable: 'customers',
      readOnly: 'engaged',
      heldMembers: (audience) =>
        Promise.resolve(new Map(backend.audiences.get(audience)?.members ?? [])),
      injectFault: (kind) => {
        backend.faults.failNextCalls(kind, 1, { operation: 'members' });
        return Promise.resolve();
      },
      close: () => Promise.resolve(),
    });
  },
});

const onePerPage = () =>
  createMemoryHarness({ maxPageSize: 1 }).then((harness) => ({ ...harness, pageSize: 1 }));
describeConnectorContract(
  'memory, one-record pages',
  { capabilities: ['source', 'records'] },
  { source: onePerPage, records: onePerPage },
);

function setup(options: Parameters<typeof createMemoryConnector>[1] = {}): {
  clock: FakeClock;
  backend: MemoryBackend;
  connector: RecordConnector;
} {
  const clock = new FakeClock({ autoAdvance: true });
  const backend = new MemoryBackend({ clock });
  const connector = createMemoryConnector(backend, { random: () => 0.5, ...options });
  return { clock, backend, connector };
}

async function readIds(
  connector: RecordConnector,
  request: Partial<ReadRequest> = {},
): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of connector.read({ object: 'contacts', fields: [], ...request })) {
    ids.push(...page.records.map((record) => record.id));
  }
  return ids;
}

describe('MemoryBackend', () => {
  it('lists records sorted by id and hands out copies, not the stored values', () => {
    const backend = new MemoryBackend({ clock: new FakeClock(), idPrefix: 'x-' });
    backend.seed('contacts', [
      { id: 'b', fields: { tags: ['t1'] } },
      { id: 'a', fields: { n: 1 } },
    ]);
    const first = nth(backend.all('contacts'), 0);
    expect(backend.all('contacts').map((record) => record.id)).toEqual(['a', 'b']);
    first.fields['n'] = 99;
    expect(backend.getRecord('contacts', 'a')?.fields['n']).toBe(1);
    expect(backend.create('contacts', {}).id).toBe('x-00000001');
  });

  it('stamps UI edits with the clock and keeps equal stamps when the clock does not move', async () => {
    const clock = new FakeClock({ start: '2024-05-01T10:00:00.000Z' });
    const backend = new MemoryBackend({ clock });
    const [a, b] = backend.seed('contacts', [{ fields: {} }, { fields: {} }]) as [
      ConnectorRecord,
      ConnectorRecord,
    ];
    await clock.advance(5_000);
    backend.update('contacts', a.id, { name: 'A' });
    backend.update('contacts', b.id, { name: 'B' });
    expect(backend.getRecord('contacts', a.id)?.updatedAt).toBe('2024-05-01T10:00:05.000Z');
    expect(backend.getRecord('contacts', b.id)?.updatedAt).toBe('2024-05-01T10:00:05.000Z');
  });
});

describe('memory connector', () => {
  it('returns requested fields only, absent ones as null', async () => {
    const { backend, connector } = setup();
    backend.seed('contacts', [{ id: 'c1', fields: { email: 'a@x.io', secret: 's' } }]);
    const pages = [];
    for await (const page of connector.read({ object: 'contacts', fields: ['email', 'phone'] }))
      pages.push(page);
    expect(pages.map((page) => page.records)).toEqual([
      [
        {
          id: 'c1',
          updatedAt: '2024-01-01T00:00:00.000Z',
          fields: { email: 'a@x.io', phone: null },
        },
      ],
    ]);
  });

  it('reads a record edited mid-read again after its new stamp, and never twice before it', async () => {
    const { clock, backend, connector } = setup({ pageSize: 2 });
    backend.seed('contacts', [
      { id: 'a', fields: {} },
      { id: 'b', fields: {} },
      { id: 'c', fields: {} },
    ]);
    const seen: string[] = [];
    for await (const page of connector.read({ object: 'contacts', fields: [] })) {
      seen.push(...page.records.map((record) => record.id));
      if (seen.length === 2) {
        await clock.advance(1_000);
        backend.update('contacts', 'a', { name: 'edited' });
      }
    }
    expect(seen).toEqual(['a', 'b', 'c', 'a']);
  });

  it('starts over from `since` when the checkpoint is not one of its own', async () => {
    const { backend, connector } = setup();
    backend.seed('contacts', [
      { id: 'a', fields: {} },
      { id: 'b', fields: {} },
    ]);
    await expect(readIds(connector, { checkpoint: { cursor: 'foreign' } })).resolves.toEqual([
      'a',
      'b',
    ]);
  });

  it('reads `since` in any ISO form as the same instant, and refuses one that is not a date', async () => {
    const { backend, connector } = setup();
    backend.seed('contacts', [
      { id: 'before', fields: {}, updatedAt: '2024-05-01T09:59:59.999Z' },
      { id: 'at', fields: {}, updatedAt: '2024-05-01T10:00:00.000Z' },
    ]);
    await expect(readIds(connector, { since: '2024-05-01T12:00:00+02:00' })).resolves.toEqual([
      'at',
    ]);
    await expect(readIds(connector, { since: 'yesterday' })).rejects.toMatchObject({
      code: 'bad_request',
    });
  });

  it('caps the page size at limits.maxPageSize', async () => {
    const { backend, connector } = setup({ maxPageSize: 3 });
    backend.seed(
      'contacts',
      Array.from({ length: 7 }, () => ({ fields: {} })),
    );
    const sizes: number[] = [];
    for await (const page of connector.read({ object: 'contacts', fields: [], pageSize: 50 })) {
      sizes.push(page.records.length);
    }
    expect(sizes).toEqual([3, 3, 1]);
    expect(backend.calls.read).toBe(3);
  });

  it('batches lookups by 100 values and get by 100 ids', async () => {
    const { backend, connector } = setup();
    const seeded = backend.seed(
      'contacts',
      Array.from({ length: 150 }, (_, i) => ({ fields: { email: `u${i}@x.io` } })),
    );
    const values = Array.from({ length: 250 }, (_, i) => `u${i}@x.io`);
    const found = await connector.lookup({
      object: 'contacts',
      field: 'email',
      values,
      fields: ['email'],
    });
    expect(found).toHaveLength(150);
    expect(backend.calls.lookup).toBe(3);
    const got = await connector.get(
      'contacts',
      seeded.map((record) => record.id),
      [],
    );
    expect(got).toHaveLength(150);
    expect(backend.calls.get).toBe(2);
  });

  it('keeps the lookup index current across writes', async () => {
    const { backend, connector } = setup();
    const [record] = backend.seed('contacts', [{ fields: { email: 'old@x.io' } }]) as [
      ConnectorRecord,
    ];
    const lookup = (email: string): Promise<ConnectorRecord[]> =>
      connector.lookup({ object: 'contacts', field: 'email', values: [email], fields: [] });
    expect(await lookup('old@x.io')).toHaveLength(1);
    await connector.write({
      object: 'contacts',
      mode: 'update',
      operations: [{ id: record.id, fields: { email: 'new@x.io' } }],
    });
    expect(await lookup('old@x.io')).toHaveLength(0);
    expect((await lookup('new@x.io')).map((found) => found.id)).toEqual([record.id]);
    backend.remove('contacts', record.id);
    expect(await lookup('new@x.io')).toHaveLength(0);
  });

  it('sends a write over the batch limit in batches of the declared size', async () => {
    const { backend, connector } = setup({ maxBatch: 2 });
    const results = await connector.write({
      object: 'contacts',
      mode: 'create',
      operations: [
        { fields: { email: 'one@x.io' } },
        { fields: { email: 'two@x.io' } },
        { fields: { email: 'three@x.io' } },
      ],
    });
    expect(results.map((result) => result.status)).toEqual(['created', 'created', 'created']);
    expect(backend.calls.write).toBe(2);
    expect(
      backend
        .all('contacts')
        .map((record) => record.fields['email'])
        .sort(),
    ).toEqual(['one@x.io', 'three@x.io', 'two@x.io']);
  });
});
