/** One record write as every write route applies it: injected per-record faults first, then the store. */
import type { EmulatorFaults } from './faults';
import type { OrgStore, WriteOutcome } from './store';

export type WriteKind =
  | { kind: 'create' }
  | { kind: 'update'; id: string }
  | { kind: 'upsert'; keyField: string }
  | { kind: 'delete'; id: string };

export function applyWrite(
  store: OrgStore,
  faults: EmulatorFaults,
  object: string,
  write: WriteKind,
  values: Record<string, unknown>,
): WriteOutcome {
  const id = write.kind === 'update' || write.kind === 'delete' ? write.id : undefined;
  const injected = faults.recordError({ object, id, values });
  if (injected !== undefined) return { ok: false, errors: [injected] };
  switch (write.kind) {
    case 'create':
      return store.create(object, values);
    case 'update':
      return store.update(object, write.id, values);
    case 'upsert':
      return store.upsert(object, write.keyField, values);
    case 'delete':
      return store.delete(write.id);
    default: {
      const unreachable: never = write;
      return unreachable;
    }
  }
}
