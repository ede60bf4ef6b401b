import { asRecordConnector } from './sdk/contract';
import { connectorRegistry, findConnector } from './index';
import { memoryBackendNamed } from './memory';
import { FakeClock } from './sdk/clock';

const logger = { debug: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() };

describe('connector registry', () => {
  it('lists each kind once and finds it by kind', () => {
    const kinds = connectorRegistry.map((definition) => definition.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(findConnector('memory')?.label).toMatch(/memory/i);
    expect(findConnector('nope')).toBeUndefined();
  });

  it('creates a memory connection on the named shared store', async () => {
    const backend = memoryBackendNamed('registry-spec');
    backend.seed('contacts', [{ fields: { email: 'a@x.io' } }]);
    const connector = findConnector('memory')?.create(
      { store: 'registry-spec', pageSize: 5 },
      {},
      { logger, clock: new FakeClock() },
    );
    if (connector === undefined) throw new Error('memory connector missing');
    const found = await asRecordConnector(connector).lookup({
      object: 'contacts',
      field: 'email',
      values: ['a@x.io'],
      fields: ['email'],
    });
    expect(found.map((record) => record.fields['email'])).toEqual(['a@x.io']);
    expect(connector.callCount()).toBe(1);
  });
});
