/**
 * Faults of a memory destination for the one-way kinds' property tests: calls that fail before
 * the vendor acts (429, 5xx, timeouts), answers lost after it acted (a worker killed between send
 * and acknowledgement), and items refused now and then.
 */
import fc from 'fast-check';
import type { MemoryBackend } from '../../../connectors/memory';
import type { ApplyingOperation } from '../../../connectors/memory/faults';

export type DestinationFault =
  | { kind: 'none' }
  | { kind: 'calls'; error: 'rate_limited' | 'server_error' | 'timeout'; count: number }
  | { kind: 'lost'; count: number }
  | { kind: 'reject'; modulo: number };

/** Faults, most runs without; up to `maxLost` answers lost in a row. */
export function destinationFault(maxLost: number): fc.Arbitrary<DestinationFault> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant<DestinationFault>({ kind: 'none' }) },
    fc.record({
      kind: fc.constant('calls' as const),
      error: fc.constantFrom('rate_limited' as const, 'server_error' as const, 'timeout' as const),
      count: fc.integer({ min: 1, max: 8 }),
    }),
    fc.record({ kind: fc.constant('lost' as const), count: fc.integer({ min: 1, max: maxLost }) }),
    fc.record({ kind: fc.constant('reject' as const), modulo: fc.integer({ min: 2, max: 4 }) }),
  );
}

/** Runs `run` with `fault` on the destination's `operation`, then lifts every fault. */
export async function withDestinationFault<T>(
  destination: MemoryBackend,
  operation: Exclude<ApplyingOperation, 'write'>,
  fault: DestinationFault,
  run: () => Promise<T>,
): Promise<T> {
  const { faults } = destination;
  if (fault.kind === 'calls') faults.failNextCalls(fault.error, fault.count, { operation });
  else if (fault.kind === 'lost') faults.failAfterNext(operation, fault.count);
  else if (fault.kind === 'reject') {
    let seen = 0;
    faults.rejectItems(() =>
      ++seen % fault.modulo === 0
        ? { code: 'locked', message: 'busy', retryable: true }
        : undefined,
    );
  }
  try {
    return await run();
  } finally {
    faults.reset();
  }
}
