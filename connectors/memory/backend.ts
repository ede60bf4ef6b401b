/**
 * The memory "vendor": a store of objects and records, its admin side (seed, edits made in the
 * vendor's UI) and its API (counted and fault-injected), which the memory connector calls.
 */
import { systemClock } from '../sdk/clock';
import type {
  Clock,
  ConnectorRecord,
  ConsentState,
  FieldDescriptor,
  Fields,
  Identifiers,
} from '../sdk/contract';
import { MemoryApi } from './api';
import { MemoryFaults } from './faults';
import { copyFields, copyRecord, MemoryObject } from './store';

export interface MemoryBackendOptions {
  clock?: Clock;
  /** Prefix of generated ids (`mem-00000001`); two backends with different prefixes never share ids. */
  idPrefix?: string;
}

/** Calls the vendor received, per endpoint, failed ones included. */
export interface MemoryCallCounts {
  read: number;
  readDeleted: number;
  lookup: number;
  get: number;
  write: number;
  check: number;
  discover: number;
  /** Event appends, member changes, audience lists. */
  append: number;
  members: number;
  audiences: number;
  /** Token refreshes. */
  refresh: number;
}

/** An event the memory vendor received (identifiers as sent: prepared, hashed). */
export interface StoredEvent {
  key: string;
  occurredAt: string;
  identifiers: Identifiers;
  consent?: Record<string, ConsentState>;
  fields: Fields;
  receivedAt: string;
}

/** A list the memory vendor keeps: its members by key, with the identifiers they were added with. */
export interface MemoryAudience {
  id: string;
  name: string;
  writable: boolean;
  reason?: string;
  members: Map<string, Identifiers>;
  /** Every add and remove that changed the list, in order. */
  history: Array<{ op: 'add' | 'remove'; key: string }>;
}

export interface SeedRecord {
  id?: string;
  fields: Fields;
  updatedAt?: string;
}

export class MemoryBackend {
  readonly clock: Clock;
  readonly faults = new MemoryFaults();
  readonly calls: MemoryCallCounts = {
    read: 0,
    readDeleted: 0,
    lookup: 0,
    get: 0,
    write: 0,
    check: 0,
    discover: 0,
    append: 0,
    members: 0,
    audiences: 0,
    refresh: 0,
  };
  /** Events received, per event type, by key (the vendor dedupes on it). */
  readonly events = new Map<string, Map<string, StoredEvent>>();
  /** Lists, by id; created by `createAudience`. */
  readonly audiences = new Map<string, MemoryAudience>();
  /** Operations received by write calls that reached the store (rejected ones included). */
  writtenRecords = 0;
  /** The vendor's API, as the connector sees it. */
  readonly api: MemoryApi;
  private readonly objects = new Map<string, MemoryObject>();
  private readonly idPrefix: string;
  private nextId = 0;

  constructor(options: MemoryBackendOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.idPrefix = options.idPrefix ?? 'mem-';
    this.api = new MemoryApi(this);
  }

  /** The store of one object, created on first use. */
  object(name: string): MemoryObject {
    let store = this.objects.get(name);
    if (store === undefined) {
      store = new MemoryObject(name);
      this.objects.set(name, store);
    }
    return store;
  }

  objectNames(): string[] {
    return [...this.objects.keys()].sort();
  }

  newId(): string {
    for (;;) {
      this.nextId++;
      const id = `${this.idPrefix}${String(this.nextId).padStart(8, '0')}`;
      if (!this.idTaken(id)) return id;
    }
  }

  nowIso(): string {
    return this.clock.now().toISOString();
  }

  /** Adds records as they would already be in the vendor; no validation, no counting. */
  seed(object: string, records: readonly SeedRecord[]): ConnectorRecord[] {
    const store = this.object(object);
    const now = this.nowIso();
    return records.map((record) =>
      copyRecord(
        store.put(record.id ?? this.newId(), copyFields(record.fields), record.updatedAt ?? now),
      ),
    );
  }

  /** Every record of the object, sorted by id. */
  all(object: string): ConnectorRecord[] {
    const records = [...this.object(object).records.values()].map((record) => copyRecord(record));
    return records.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  getRecord(object: string, id: string): ConnectorRecord | undefined {
    const record = this.object(object).records.get(id);
    return record === undefined ? undefined : copyRecord(record);
  }

  /** A user's edit in the vendor's UI: merges `fields`, stamps updatedAt with the clock. */
  update(object: string, id: string, fields: Fields): ConnectorRecord {
    const store = this.object(object);
    const existing = store.records.get(id);
    if (existing === undefined) throw new Error(`memory backend: no ${object} record ${id}`);
    return copyRecord(store.put(id, { ...existing.fields, ...copyFields(fields) }, this.nowIso()));
  }

  /** A user creates a record in the vendor's UI. */
  create(object: string, fields: Fields): ConnectorRecord {
    return copyRecord(this.object(object).put(this.newId(), copyFields(fields), this.nowIso()));
  }

  /** A user deletes a record; readDeleted reports it. */
  remove(object: string, id: string): boolean {
    return this.object(object).remove(id, this.nowIso());
  }

  /** The recycle bin emptied: earlier deletes are no longer reported, and reads say so. */
  emptyRecycleBin(object: string): void {
    this.object(object).emptyRecycleBin();
  }

  /**
   * A user merges `loserId` into `survivorId` (duplicate management): the loser is deleted and
   * reported with `mergedInto`, the survivor takes `fields` and is stamped as changed.
   */
  merge(object: string, survivorId: string, loserId: string, fields: Fields = {}): ConnectorRecord {
    const store = this.object(object);
    if (!store.records.has(loserId))
      throw new Error(`memory backend: no ${object} record ${loserId}`);
    const survivor = this.update(object, survivorId, fields);
    store.remove(loserId, this.nowIso(), survivorId);
    return survivor;
  }

  /** A list in the vendor's UI (a dynamic one is not writable). */
  createAudience(
    id: string,
    options: { name?: string; writable?: boolean; reason?: string } = {},
  ): MemoryAudience {
    const audience: MemoryAudience = {
      id,
      name: options.name ?? id,
      writable: options.writable ?? true,
      ...(options.reason === undefined ? {} : { reason: options.reason }),
      members: new Map(),
      history: [],
    };
    this.audiences.set(id, audience);
    return audience;
  }

  /** The events of one event type the vendor holds, by key. */
  eventsOf(object: string): Map<string, StoredEvent> {
    let events = this.events.get(object);
    if (events === undefined) {
      events = new Map();
      this.events.set(object, events);
    }
    return events;
  }

  /** Describes the object's fields; writes are then validated against them. */
  setFieldDescriptors(object: string, fields: readonly FieldDescriptor[]): void {
    this.object(object).descriptors = new Map(fields.map((field) => [field.name, { ...field }]));
  }

  /** Each listed field must hold a value no other record of the object holds. */
  uniqueFields(object: string, fields: readonly string[]): void {
    const store = this.object(object);
    for (const field of fields) store.uniqueFields.add(field);
  }

  private idTaken(id: string): boolean {
    for (const store of this.objects.values()) {
      if (store.records.has(id) || store.deleted.has(id)) return true;
    }
    return false;
  }
}
