import { MemoryBackend, createMemoryConnector } from '../../connectors/memory';
import type { FakeClock } from '../../connectors/sdk/clock';
import type { RecordConnector } from '../../connectors/sdk/contract';
import { type RunSyncOptions, type SyncDefinition, runSync } from '../../src/engine';
import { MemorySyncStore } from '../../src/engine/testing/memory-store';

/**
 * A memory vendor on the left of `definition` and a vendor's connector (its emulator's) on the
 * right, with a store of the sync's state: `run` runs the sync once on the shared clock.
 */
export function withMemoryLeft(
  definition: SyncDefinition,
  right: RecordConnector,
  clock: FakeClock,
): {
  left: MemoryBackend;
  store: MemorySyncStore;
  run: (options?: Partial<RunSyncOptions>) => ReturnType<typeof runSync>;
} {
  const left = new MemoryBackend({ clock, idPrefix: 'L' });
  const store = new MemorySyncStore();
  const leftConnector = createMemoryConnector(left, { random: () => 0.5 });
  return {
    left,
    store,
    run: (options = {}) =>
      runSync({
        definition,
        left: leftConnector,
        right,
        store,
        trigger: 'manual',
        clock,
        ...options,
      }),
  };
}
