/**
 * The emulated portal's records: per object type, string-valued properties as HubSpot stores them,
 * system properties stamped on every write, archived records kept for `archived=true` lists, and a
 * search index that lags writes by `searchLagMs` (HubSpot's search is eventually consistent).
 */
import { IdSequence } from '../../sdk/testing/emulator-kit';
import type { Clock } from '../../sdk/contract';
import {
  type ObjectType,
  OBJECT_TYPES,
  type PropertyProblem,
  lastModifiedProperty,
  PropertyCatalog,
  validateValue,
} from './properties';

export interface StoredRecord {
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
}

interface IndexEntry {
  visibleAt: number;
  record: StoredRecord | undefined;
}

export class ValidationFailure extends Error {
  constructor(readonly problems: PropertyProblem[]) {
    super(problems.map((problem) => problem.message).join('; '));
  }
}

export class DuplicateFailure extends Error {
  constructor(
    readonly property: string,
    readonly existingId: string,
  ) {
    super(`Contact already exists. Existing ID: ${existingId}`);
  }
}

/** A stored value; undefined when the property is unset. */
export function valueOf(record: StoredRecord, name: string): string | undefined {
  return record.properties[name];
}

function copy(record: StoredRecord): StoredRecord {
  return { ...record, properties: { ...record.properties } };
}

class ObjectStore {
  readonly records = new Map<string, StoredRecord>();
  /** The search index: what search sees, with writes waiting until their `visibleAt`. */
  readonly indexed = new Map<string, StoredRecord>();
  readonly pending: Array<{ id: string } & IndexEntry> = [];
  /** Unique property → normalised value → id of the live record holding it. */
  readonly unique = new Map<string, Map<string, string>>();
  /** Merged-away id → the id of the record it was merged into. */
  readonly mergedInto = new Map<string, string>();
  constructor(
    readonly type: ObjectType,
    private readonly properties: PropertyCatalog,
  ) {}

  /** Drops (`record` archived or replaced) or adds the record's unique values to the index. */
  track(record: StoredRecord, add: boolean): void {
    for (const [name, value] of Object.entries(record.properties)) {
      if (name === 'hs_object_id' || this.properties.of(this.type, name)?.hasUniqueValue !== true)
        continue;
      let values = this.unique.get(name);
      if (values === undefined) {
        values = new Map();
        this.unique.set(name, values);
      }
      const key = uniqueKey(name, value);
      if (add) values.set(key, record.id);
      else if (values.get(key) === record.id) values.delete(key);
    }
  }
}

function associationKey(type: ObjectType, id: string, toType: ObjectType): string {
  return `${type}:${id}->${toType}`;
}

/** Emails compare case-insensitively in HubSpot. */
function uniqueKey(property: string, value: string): string {
  return property === 'email' ? value.trim().toLowerCase() : value;
}

export interface HubSpotStoreOptions {
  clock: Clock;
  /** How long a write takes to reach search results. */
  searchLagMs?: number;
  /** First record id. Ids keep one width (8 digits) so that string order is numeric order. */
  firstId?: number;
}

export class HubSpotStore {
  private readonly objects: Record<ObjectType, ObjectStore>;
  private readonly ids: IdSequence;
  readonly clock: Clock;
  /** The portal's properties and groups, those created through the API included. */
  readonly properties = new PropertyCatalog();
  /** `type:id->toType` → the ids of the associated records (kept both ways). */
  private readonly associations = new Map<string, Set<string>>();
  searchLagMs: number;

  constructor(options: HubSpotStoreOptions) {
    this.clock = options.clock;
    this.searchLagMs = options.searchLagMs ?? 0;
    this.ids = new IdSequence(options.firstId ?? 10_000_001);
    this.objects = {
      contacts: new ObjectStore('contacts', this.properties),
      companies: new ObjectStore('companies', this.properties),
      deals: new ObjectStore('deals', this.properties),
    };
  }

  private nowIso(): string {
    return this.clock.now().toISOString();
  }

  /** Live (not archived) records, by id. */
  all(type: ObjectType): StoredRecord[] {
    return [...this.objects[type].records.values()].filter((r) => !r.archived).map(copy);
  }

  archivedRecords(type: ObjectType): StoredRecord[] {
    return [...this.objects[type].records.values()].filter((r) => r.archived).map(copy);
  }

  /** Live and archived records in id order, uncopied (for listing routes). */
  ordered(type: ObjectType): StoredRecord[] {
    return [...this.objects[type].records.values()];
  }

  get(type: ObjectType, id: string, archived = false): StoredRecord | undefined {
    const record = this.objects[type].records.get(id);
    return record !== undefined && record.archived === archived ? copy(record) : undefined;
  }

  /** A live record whose unique property equals `value` (emails compare case-insensitively). */
  findBy(type: ObjectType, property: string, value: string): StoredRecord | undefined {
    if (property === 'hs_object_id') return this.get(type, value);
    const store = this.objects[type];
    const indexed = store.unique.get(property);
    if (indexed !== undefined || this.properties.of(type, property)?.hasUniqueValue === true) {
      const id = indexed?.get(uniqueKey(property, value));
      return id === undefined ? undefined : this.get(type, id);
    }
    for (const record of store.records.values()) {
      if (!record.archived && record.properties[property] === value) return copy(record);
    }
    return undefined;
  }

  /** Validates written properties into their stored strings; throws ValidationFailure. */
  validate(type: ObjectType, properties: Record<string, unknown>): Record<string, string> {
    const problems: PropertyProblem[] = [];
    const values: Record<string, string> = {};
    for (const [name, raw] of Object.entries(properties)) {
      const definition = this.properties.of(type, name);
      if (definition === undefined) {
        problems.push({
          name,
          code: 'PROPERTY_DOESNT_EXIST',
          message: `Property "${name}" does not exist`,
        });
        continue;
      }
      const checked = validateValue(definition, raw);
      if ('problem' in checked) problems.push(checked.problem);
      else values[name] = checked.value;
    }
    if (problems.length > 0) throw new ValidationFailure(problems);
    return values;
  }

  private checkUnique(type: ObjectType, values: Record<string, string>, selfId?: string): void {
    for (const [name, value] of Object.entries(values)) {
      if (value === '' || this.properties.of(type, name)?.hasUniqueValue !== true) continue;
      const existing = this.findBy(type, name, value);
      if (existing !== undefined && existing.id !== selfId)
        throw new DuplicateFailure(name, existing.id);
    }
  }

  create(type: ObjectType, properties: Record<string, unknown>): StoredRecord {
    const values = this.validate(type, properties);
    this.checkUnique(type, values);
    return this.insert(type, values, this.nowIso());
  }

  /** Adds a record without validation (seeding), stamped `at` (defaults to now). */
  insert(type: ObjectType, values: Record<string, string>, at = this.nowIso()): StoredRecord {
    const id = this.ids.next();
    const properties: Record<string, string> = {};
    for (const [name, value] of Object.entries(values)) if (value !== '') properties[name] = value;
    properties['hs_object_id'] = id;
    properties['createdate'] = at;
    properties[lastModifiedProperty(type)] = at;
    const record: StoredRecord = { id, properties, createdAt: at, updatedAt: at, archived: false };
    this.objects[type].records.set(id, record);
    this.objects[type].track(record, true);
    this.reindex(type, record);
    return copy(record);
  }

  update(
    type: ObjectType,
    id: string,
    properties: Record<string, unknown>,
  ): StoredRecord | undefined {
    const record = this.objects[type].records.get(id);
    if (record === undefined || record.archived) return undefined;
    const values = this.validate(type, properties);
    this.checkUnique(type, values, id);
    return this.apply(type, record, values);
  }

  private apply(
    type: ObjectType,
    record: StoredRecord,
    values: Record<string, string>,
  ): StoredRecord {
    const at = this.nowIso();
    this.objects[type].track(record, false);
    for (const [name, value] of Object.entries(values)) {
      if (value === '') Reflect.deleteProperty(record.properties, name);
      else record.properties[name] = value;
    }
    record.updatedAt = at;
    record.properties[lastModifiedProperty(type)] = at;
    this.objects[type].track(record, true);
    this.reindex(type, record);
    return copy(record);
  }

  /**
   * Merges `loserId` into `primaryId` (`POST /crm/v3/objects/{type}/merge`; "Merge records",
   * HubSpot Knowledge Base): the primary keeps its values and takes the loser's where it has none,
   * lists the loser in `hs_merged_object_ids`, and is stamped as updated; the loser is gone (not
   * archived: it is in no archived list), and a read of its id answers the primary.
   */
  merge(type: ObjectType, primaryId: string, loserId: string): StoredRecord | undefined {
    const store = this.objects[type];
    const primary = store.records.get(primaryId);
    const loser = store.records.get(loserId);
    if (primary === undefined || loser === undefined || primary.archived || loser.archived)
      return undefined;
    if (primaryId === loserId) return undefined;
    const filled: Record<string, string> = {};
    for (const [name, value] of Object.entries(loser.properties)) {
      if (this.properties.of(type, name)?.readOnly === true) continue;
      if ((primary.properties[name] ?? '') === '') filled[name] = value;
    }
    const merged = [
      ...(primary.properties['hs_merged_object_ids'] ?? '').split(';'),
      loserId,
      ...(loser.properties['hs_merged_object_ids'] ?? '').split(';'),
    ].filter((id) => id !== '');
    store.track(loser, false);
    store.records.delete(loserId);
    this.reindex(type, undefined, loserId);
    store.mergedInto.set(loserId, primaryId);
    for (const [from, to] of store.mergedInto)
      if (to === loserId) store.mergedInto.set(from, primaryId);
    this.moveAssociations(type, loserId, primaryId);
    return this.apply(type, primary, { ...filled, hs_merged_object_ids: merged.join(';') });
  }

  /** The live record a merged-away id now answers as, if any. */
  survivorOf(type: ObjectType, id: string): StoredRecord | undefined {
    const primaryId = this.objects[type].mergedInto.get(id);
    return primaryId === undefined ? undefined : this.get(type, primaryId);
  }

  /**
   * `POST /crm/v3/objects/contacts/gdpr-delete`: the contact is deleted for good (not archived,
   * not restorable), its associations with it.
   */
  gdprDelete(type: ObjectType, id: string): boolean {
    const store = this.objects[type];
    const record = store.records.get(id);
    if (record === undefined) return false;
    if (!record.archived) store.track(record, false);
    store.records.delete(id);
    this.reindex(type, undefined, id);
    this.moveAssociations(type, id, undefined);
    return true;
  }

  /** Associations of one record with records of `toType` (v4), by the other record's id. */
  associationsOf(type: ObjectType, id: string, toType: ObjectType): string[] {
    return [...(this.associations.get(associationKey(type, id, toType)) ?? [])];
  }

  associate(type: ObjectType, id: string, toType: ObjectType, toId: string): void {
    this.link(associationKey(type, id, toType), toId, true);
    this.link(associationKey(toType, toId, type), id, true);
  }

  dissociate(type: ObjectType, id: string, toType: ObjectType, toId: string): void {
    this.link(associationKey(type, id, toType), toId, false);
    this.link(associationKey(toType, toId, type), id, false);
  }

  private link(key: string, id: string, add: boolean): void {
    let ids = this.associations.get(key);
    if (ids === undefined) {
      if (!add) return;
      ids = new Set();
      this.associations.set(key, ids);
    }
    if (add) ids.add(id);
    else ids.delete(id);
  }

  /** The associations of `fromId` go to `toId` (a merge), or away (a deletion). */
  private moveAssociations(type: ObjectType, fromId: string, toId: string | undefined): void {
    for (const other of OBJECT_TYPES) {
      for (const otherId of this.associationsOf(type, fromId, other)) {
        this.dissociate(type, fromId, other, otherId);
        if (toId !== undefined && !(other === type && otherId === toId))
          this.associate(type, toId, other, otherId);
      }
    }
  }

  /** A user's edit in the HubSpot UI: stored values set as given, stamps bumped. */
  edit(type: ObjectType, id: string, values: Record<string, string>): StoredRecord | undefined {
    const record = this.objects[type].records.get(id);
    return record === undefined || record.archived ? undefined : this.apply(type, record, values);
  }

  /** Stamps every live record `at` without changing values (equal-timestamp tests). */
  stampAll(type: ObjectType, at: string): void {
    for (const record of this.objects[type].records.values()) {
      record.updatedAt = at;
      record.properties[lastModifiedProperty(type)] = at;
      this.reindex(type, record);
    }
  }

  archive(type: ObjectType, id: string): boolean {
    const record = this.objects[type].records.get(id);
    if (record === undefined || record.archived) return false;
    const at = this.nowIso();
    this.objects[type].track(record, false);
    record.archived = true;
    record.archivedAt = at;
    record.updatedAt = at;
    this.reindex(type, undefined, id);
    return true;
  }

  private reindex(type: ObjectType, record: StoredRecord | undefined, id = record?.id): void {
    if (id === undefined) return;
    const store = this.objects[type];
    const snapshot = record === undefined ? undefined : copy(record);
    if (this.searchLagMs <= 0) {
      if (snapshot === undefined) store.indexed.delete(id);
      else store.indexed.set(id, snapshot);
      return;
    }
    store.pending.push({
      id,
      visibleAt: this.clock.now().getTime() + this.searchLagMs,
      record: snapshot,
    });
  }

  /** What search sees now: writes older than the lag. */
  searchable(type: ObjectType): Iterable<StoredRecord> {
    const store = this.objects[type];
    const now = this.clock.now().getTime();
    let kept = 0;
    for (const entry of store.pending) {
      if (entry.visibleAt <= now) {
        if (entry.record === undefined) store.indexed.delete(entry.id);
        else store.indexed.set(entry.id, entry.record);
      } else {
        store.pending[kept++] = entry;
      }
    }
    store.pending.length = kept;
    return store.indexed.values();
  }

  count(type: ObjectType): number {
    return this.all(type).length;
  }

  clear(): void {
    this.properties.clear();
    this.associations.clear();
    for (const type of OBJECT_TYPES) {
      const store = this.objects[type];
      store.records.clear();
      store.indexed.clear();
      store.pending.length = 0;
      store.unique.clear();
      store.mergedInto.clear();
    }
  }
}
