import { FakeClock } from '../sdk/clock';
import type { RecordConnector } from '../sdk/contract';
import { MemoryBackend } from './backend';
import { createMemoryConnector, type MemoryConnectorOptions } from './connector';

function setup(options: MemoryConnectorOptions = {}): {
  clock: FakeClock;
  backend: MemoryBackend;
  connector: RecordConnector;
} {
  const clock = new FakeClock({ autoAdvance: true });
  const backend = new MemoryBackend({ clock });
  backend.uniqueFields('contacts', ['email']);
  return {
    clock,
    backend,
    connector: createMemoryConnector(backend, { random: () => 0.5, ...options }),
  };
}

const create = (email: string) => ({
  object: 'contacts',
  mode: 'create' as const,
  operations: [{ fields: { email } }],
});

describe('memory connector under injected faults', () => {
  it('applies a write, then fails it: the caller sees a network error and the store holds the record once', async () => {
    const { backend, connector } = setup();
    backend.faults.failAfterNextWrite();
    await expect(connector.write(create('a@x.io'))).rejects.toMatchObject({ code: 'network' });
    expect(backend.all('contacts').map((record) => record.fields['email'])).toEqual(['a@x.io']);
    expect(backend.calls.write).toBe(1);
    await expect(connector.write(create('b@x.io'))).resolves.toMatchObject([{ status: 'created' }]);
  });

  it('does not retry a write that may have been applied (5xx, timeout) but retries a 429 one', async () => {
    const { backend, connector } = setup();
    backend.faults.failNextCalls('server_error', 1, { operation: 'write' });
    await expect(connector.write(create('a@x.io'))).rejects.toMatchObject({ code: 'server_error' });
    backend.faults.failNextCalls('timeout', 1, { operation: 'write' });
    await expect(connector.write(create('a@x.io'))).rejects.toMatchObject({ code: 'timeout' });
    backend.faults.failNextCalls('rate_limited', 2, { operation: 'write' });
    await expect(connector.write(create('a@x.io'))).resolves.toMatchObject([{ status: 'created' }]);
    expect(backend.calls.write).toBe(5);
    expect(connector.callCount()).toBe(5);
  });

  it('targets faults at one operation and leaves the others alone', async () => {
    const { backend, connector } = setup();
    backend.faults.failNextCalls('server_error', 1, { operation: 'lookup' });
    await connector.get('contacts', ['x'], []);
    expect(backend.calls.get).toBe(1);
    await connector.lookup({ object: 'contacts', field: 'email', values: ['a'], fields: [] });
    expect(backend.calls.lookup).toBe(2);
  });

  it('gives up after the policy attempts and throws the vendor error', async () => {
    const { backend, connector } = setup({ retry: { maxAttempts: 3 } });
    backend.faults.failNextCalls('server_error', 10, { operation: 'read' });
    const read = (async () => {
      const pages = [];
      for await (const page of connector.read({ object: 'contacts', fields: [] })) pages.push(page);
      return pages;
    })();
    await expect(read).rejects.toMatchObject({ code: 'server_error' });
    expect(backend.calls.read).toBe(3);
  });

  it('gives up rather than wait longer than the policy total', async () => {
    const { clock, backend, connector } = setup({ retry: { maxTotalWaitMs: 10_000 } });
    backend.faults.failNextCalls('rate_limited', 1, { retryAfterMs: 60_000 });
    await expect(connector.check()).resolves.toEqual({
      ok: false,
      code: 'rate_limited',
      reason: expect.any(String) as string,
    });
    expect(clock.sleptMs).toBe(0);
  });

  it('keeps failing with an expired token until the connector refreshes it, once per call', async () => {
    const { backend, connector } = setup();
    backend.faults.expireToken();
    await expect(connector.check()).resolves.toEqual({ ok: true, account: 'memory' });
    expect(backend.calls.refresh).toBe(1);
    expect(backend.calls.check).toBe(2);
    backend.faults.failNextCalls('auth_expired', 2);
    await expect(connector.check()).resolves.toMatchObject({ ok: false, code: 'auth_invalid' });
    expect(backend.calls.refresh).toBe(2);
  });

  it('spaces calls by the declared rate limit on its clock', async () => {
    const { clock, backend, connector } = setup({
      rateLimits: [{ name: 'burst', limit: 2, windowMs: 1_000, source: 'test' }],
    });
    const started = clock.now().getTime();
    for (let i = 0; i < 5; i++) await connector.get('contacts', [`id${i}`], []);
    expect(backend.calls.get).toBe(5);
    // Two calls ride the full bucket; three more need 500 ms of refill each.
    expect(clock.now().getTime() - started).toBe(1_500);
  });

  it('stops waiting and throws cancelled when the run is aborted', async () => {
    const clock = new FakeClock();
    const backend = new MemoryBackend({ clock });
    const controller = new AbortController();
    const connector = createMemoryConnector(backend, { signal: controller.signal });
    backend.faults.failNextCalls('rate_limited', 1, { retryAfterMs: 30_000 });
    const checking = connector.check();
    await clock.advance(1_000);
    controller.abort();
    await expect(checking).resolves.toMatchObject({ ok: false, code: 'cancelled' });
    expect(backend.calls.check).toBe(1);
  });
});
