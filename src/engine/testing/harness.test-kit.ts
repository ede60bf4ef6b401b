/**
 * Two memory vendors on one auto-advancing fake clock, a memory store, and a contacts ↔ leads sync
 * definition: the fixture of the engine's end-to-end and property tests.
 */
import { MemoryBackend, createMemoryConnector } from '../../../connectors/memory';
import { FakeClock } from '../../../connectors/sdk/clock';
import type { RecordConnector, ConnectorRecord, Fields } from '../../../connectors/sdk/contract';
import type { FieldMapping, SyncDefinition } from '../definition';
import { type RunSyncOptions, type SyncRunResult, runSync } from '../run-sync';
import { MemorySyncStore } from './memory-store';

export interface EngineHarness {
  clock: FakeClock;
  left: MemoryBackend;
  right: MemoryBackend;
  leftConnector: RecordConnector;
  rightConnector: RecordConnector;
  store: MemorySyncStore;
  run(definition: SyncDefinition, options?: Partial<RunSyncOptions>): Promise<SyncRunResult>;
  /** Writes both vendors received so far (operations, not calls). */
  writes(): number;
}

export function createEngineHarness(
  options: { pageSize?: number; maxBatch?: number; store?: MemorySyncStore } = {},
): EngineHarness {
  const clock = new FakeClock({ autoAdvance: true });
  const left = new MemoryBackend({ clock, idPrefix: 'L' });
  const right = new MemoryBackend({ clock, idPrefix: 'R' });
  const connectorOptions = {
    random: () => 0.5,
    ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
    ...(options.maxBatch === undefined ? {} : { maxBatch: options.maxBatch }),
  };
  const leftConnector = createMemoryConnector(left, connectorOptions);
  const rightConnector = createMemoryConnector(right, connectorOptions);
  const store = options.store ?? new MemorySyncStore();
  return {
    clock,
    left,
    right,
    leftConnector,
    rightConnector,
    store,
    run: (definition, runOptions = {}) =>
      runSync({
        definition,
        left: leftConnector,
        right: rightConnector,
        store,
        trigger: 'manual',
        clock,
        ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
        ...runOptions,
      }),
    writes: () => left.writtenRecords + right.writtenRecords,
  };
}

export const CONTACT_MAPPINGS: FieldMapping[] = [
  {
    left: 'email',
    right: 'email',
    direction: 'both',
    transforms: {
      leftToRight: [
        { kind: 'format', fn: 'trim' },
        { kind: 'format', fn: 'lowercase' },
      ],
    },
  },
  { left: 'firstName', right: 'first_name', direction: 'both' },
  { left: 'company', right: 'company', direction: 'both' },
  {
    left: 'status',
    right: 'lead_status',
    direction: 'both',
    transforms: {
      leftToRight: [{ kind: 'value_map', map: { Lead: 'NEW', Customer: 'WON', Lost: 'LOST' } }],
    },
  },
];

/** Salesforce-like contacts on the left, HubSpot-like leads on the right, matched by email. */
export function contactSync(overrides: Partial<SyncDefinition> = {}): SyncDefinition {
  return {
    id: 'sync-contacts',
    left: { object: 'contacts', writeMode: 'upsert' },
    right: { object: 'leads', writeMode: 'upsert' },
    direction: 'bidirectional',
    match: { left: 'email', right: 'email', normalizer: 'email' },
    mappings: CONTACT_MAPPINGS,
    defaultPolicy: 'latest_wins',
    tieBreaker: 'left',
    deletePolicy: 'ignore',
    ...overrides,
  };
}

/** The record of `backend` whose email is `email` (case-insensitive), or undefined. */
export function byEmail(
  backend: MemoryBackend,
  object: string,
  email: string,
): ConnectorRecord | undefined {
  return backend
    .all(object)
    .find(
      (record) =>
        typeof record.fields.email === 'string' &&
        record.fields.email.trim().toLowerCase() === email.toLowerCase(),
    );
}

export function fieldsOf(backend: MemoryBackend, object: string): Fields[] {
  return backend.all(object).map((record) => record.fields);
}
