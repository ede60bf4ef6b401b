/**
 * The memory connector's contract harness: a fresh backend on an auto-advancing fake clock, so
 * retries and Retry-After waits take no real time. Also handy for the engine's tests.
 */
import { FakeClock } from '../sdk/clock';
import type { Fields } from '../sdk/contract';
import type { ContractHarness } from '../sdk/testing/contract-kit';
import { MemoryBackend } from './backend';
import { createMemoryConnector, type MemoryConnectorOptions } from './connector';

export interface MemoryHarness extends ContractHarness {
  backend: MemoryBackend;
  clock: FakeClock;
}

export function createMemoryHarness(options: MemoryConnectorOptions = {}): Promise<MemoryHarness> {
  const clock = new FakeClock({ autoAdvance: true });
  const backend = new MemoryBackend({ clock });
  const object = 'contacts';
  backend.uniqueFields(object, ['email']);
  const connector = createMemoryConnector(backend, { random: () => 0.5, ...options });
  const newFields = (tag: string): Fields => ({ email: `${tag}@example.com`, firstname: tag });
  let seeded = 0;

  return Promise.resolve({
    connector,
    backend,
    object,
    keyField: 'email',
    textField: 'firstname',
    pageSize: 10,
    missingId: 'mem-99999999',
    capabilities: { deletes: true, writeModes: ['create', 'update', 'upsert', 'delete'] },
    clock,
    advanceTime: (ms) => clock.advance(ms),
    newFields,
    seed: async (count, seedOptions = {}) => {
      const records = [];
      for (let i = 0; i < count; i++) {
        records.push(...backend.seed(object, [{ fields: newFields(`seed-${++seeded}`) }]));
        // Distinct stamps unless the case wants them equal.
        if (seedOptions.sameUpdatedAt !== true) await clock.advance(1);
      }
      return records;
    },
    storeRecords: () => Promise.resolve(backend.all(object)),
    updateInVendor: (id, fields) => {
      backend.update(object, id, fields);
      return Promise.resolve();
    },
    deleteInVendor: (id) => {
      backend.remove(object, id);
      return Promise.resolve();
    },
    injectFault: (kind, faultOptions = {}) => {
      backend.faults.failNextCalls(kind, 1, faultOptions);
      return Promise.resolve();
    },
    rejectWrites: (predicate) => {
      backend.faults.rejectRecords((operation) =>
        predicate(operation)
          ? { code: 'invalid_value', message: 'rejected by the test', retryable: false }
          : undefined,
      );
      return Promise.resolve({ code: 'invalid_value', retryable: false });
    },
    refreshCount: () => backend.calls.refresh,
    close: () => {
      backend.faults.reset();
      return Promise.resolve();
    },
  });
}
