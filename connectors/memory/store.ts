/**
 * One object of the memory vendor: records by id, an index sorted by (updatedAt, id) kept up to date
 * by appends, deletes in deletion order, and per-field value indexes built on first use.
 * Everything here is O(1) or O(log n) per operation in the common case (time moves forward), so the
 * engine's benchmark can push hundreds of thousands of records through it.
 */
import type {
  ConnectorRecord,
  DeletedRecord,
  FieldDescriptor,
  FieldValue,
  Fields,
} from '../sdk/contract';

export interface StoredRecord {
  id: string;
  updatedAt: string;
  fields: Fields;
  /** Bumped on every write; index entries with an older version are stale. */
  version: number;
}

interface CursorEntry {
  at: string;
  id: string;
  version: number;
}

/** Position strictly after which a read resumes. */
export interface CursorPosition {
  at: string;
  id: string;
}

export function compareCursor(a: CursorPosition, b: CursorPosition): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return 0;
}

/** A sorted list that accepts appends in order and falls back to a full sort when one is not. */
class CursorIndex {
  private entries: CursorEntry[] = [];
  private dirty = false;
  private stale = 0;

  constructor(private readonly isLive: (entry: CursorEntry) => boolean) {}

  add(entry: CursorEntry): void {
    const last = this.entries.at(-1);
    if (last !== undefined && compareCursor(entry, last) < 0) this.dirty = true;
    this.entries.push(entry);
  }

  /** The entry an update replaced stays in place and is skipped; compacted when half are stale. */
  markStale(): void {
    this.stale++;
  }

  /**
   * Up to `limit` live entries strictly after `after` (or at/after `from`), plus whether more remain.
   */
  page(
    from: string | undefined,
    after: CursorPosition | undefined,
    limit: number,
  ): { entries: CursorEntry[]; hasMore: boolean } {
    this.tidy();
    let start: number;
    if (after !== undefined) start = this.firstIndex((entry) => compareCursor(entry, after) > 0);
    else if (from !== undefined) start = this.firstIndex((entry) => entry.at >= from);
    else start = 0;
    const entries: CursorEntry[] = [];
    for (let i = start; i < this.entries.length; i++) {
      const entry = this.entries[i];
      if (!this.isLive(entry)) continue;
      if (entries.length === limit) return { entries, hasMore: true };
      entries.push(entry);
    }
    return { entries, hasMore: false };
  }

  private tidy(): void {
    if (this.stale * 2 > this.entries.length) {
      this.entries = this.entries.filter(this.isLive);
      this.stale = 0;
    }
    if (this.dirty) {
      this.entries.sort(compareCursor);
      this.dirty = false;
    }
  }

  /** Binary search for the first entry satisfying a predicate that is monotone over the order. */
  private firstIndex(predicate: (entry: CursorEntry) => boolean): number {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const entry = this.entries[mid];
      if (predicate(entry)) high = mid;
      else low = mid + 1;
    }
    return low;
  }
}

/** Index key of a value: strings as themselves, other values as JSON, so `'5'` finds `5`. */
/**
 * The key a value is indexed under for lookups, upserts and unique checks. Text compares without
 * regard to case, as Salesforce's SOQL `=`, its external ids and HubSpot's email search and
 * uniqueness do: a vendor that told `A@x.com` from `a@x.com` would hide duplicate bugs.
 */
export function valueKey(value: FieldValue | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  return typeof value === 'string' ? value.toLowerCase() : JSON.stringify(value);
}

export function copyFields(fields: Fields): Fields {
  const copy: Fields = {};
  for (const [name, value] of Object.entries(fields)) {
    copy[name] = Array.isArray(value) ? [...(value as readonly string[])] : value;
  }
  return copy;
}

export function copyRecord(record: StoredRecord, only?: readonly string[]): ConnectorRecord {
  if (only === undefined || only.length === 0) {
    return { id: record.id, updatedAt: record.updatedAt, fields: copyFields(record.fields) };
  }
  const fields: Fields = {};
  for (const name of only) {
    const value = (record.fields as Partial<Fields>)[name];
    fields[name] =
      value === undefined ? null : Array.isArray(value) ? [...(value as readonly string[])] : value;
  }
  return { id: record.id, updatedAt: record.updatedAt, fields };
}

export class MemoryObject {
  readonly records = new Map<string, StoredRecord>();
  readonly deleted = new Map<string, DeletedRecord & { version: number }>();
  descriptors: Map<string, FieldDescriptor> | undefined;
  readonly uniqueFields = new Set<string>();
  /** The latest delete the recycle bin forgot: deletes up to it may no longer be reported. */
  forgottenUntil: string | null = null;
  private readonly byCursor = new CursorIndex(
    (entry) => this.records.get(entry.id)?.version === entry.version,
  );
  private readonly byDeletion = new CursorIndex(
    (entry) => this.deleted.get(entry.id)?.version === entry.version,
  );
  private readonly fieldIndexes = new Map<string, Map<string, Set<string>>>();
  private versions = 0;

  constructor(readonly name: string) {}

  get size(): number {
    return this.records.size;
  }

  /** Stores a record (new or replacing one with the same id), keeping every index current. */
  put(id: string, fields: Fields, updatedAt: string): StoredRecord {
    const previous = this.records.get(id);
    if (previous !== undefined) {
      this.byCursor.markStale();
      this.unindex(previous);
    }
    const record: StoredRecord = { id, updatedAt, fields, version: ++this.versions };
    this.records.set(id, record);
    this.byCursor.add({ at: updatedAt, id, version: record.version });
    this.index(record);
    return record;
  }

  remove(id: string, deletedAt: string, mergedInto?: string): boolean {
    const previous = this.records.get(id);
    if (previous === undefined) return false;
    this.records.delete(id);
    this.byCursor.markStale();
    this.unindex(previous);
    if (this.deleted.has(id)) this.byDeletion.markStale();
    const version = ++this.versions;
    this.deleted.set(id, {
      id,
      deletedAt,
      version,
      ...(mergedInto === undefined ? {} : { mergedInto }),
    });
    this.byDeletion.add({ at: deletedAt, id, version });
    return true;
  }

  /** Forgets every delete so far (a vendor's recycle bin emptied or expired). */
  emptyRecycleBin(): void {
    for (const { deletedAt } of this.deleted.values())
      if (this.forgottenUntil === null || deletedAt > this.forgottenUntil)
        this.forgottenUntil = deletedAt;
    this.deleted.clear();
    this.byDeletion.markStale();
  }

  changedPage(
    since: string | undefined,
    after: CursorPosition | undefined,
    limit: number,
  ): { records: StoredRecord[]; hasMore: boolean } {
    const { entries, hasMore } = this.byCursor.page(since, after, limit);
    const records: StoredRecord[] = [];
    for (const entry of entries) {
      const record = this.records.get(entry.id);
      if (record !== undefined) records.push(record);
    }
    return { records, hasMore };
  }

  deletedPage(
    since: string | undefined,
    after: CursorPosition | undefined,
    limit: number,
  ): { records: DeletedRecord[]; hasMore: boolean } {
    const { entries, hasMore } = this.byDeletion.page(since, after, limit);
    const records = entries.map((entry): DeletedRecord => {
      const mergedInto = this.deleted.get(entry.id)?.mergedInto;
      return {
        id: entry.id,
        deletedAt: entry.at,
        ...(mergedInto === undefined ? {} : { mergedInto }),
      };
    });
    return { records, hasMore };
  }

  /** Ids of records whose `field` has the value with this index key. */
  idsWhere(field: string, key: string): ReadonlySet<string> {
    return this.fieldIndex(field).get(key) ?? new Set<string>();
  }

  private fieldIndex(field: string): Map<string, Set<string>> {
    let index = this.fieldIndexes.get(field);
    if (index === undefined) {
      index = new Map();
      this.fieldIndexes.set(field, index);
      for (const record of this.records.values())
        addToIndex(index, valueKey(record.fields[field]), record.id);
    }
    return index;
  }

  private index(record: StoredRecord): void {
    for (const [field, index] of this.fieldIndexes)
      addToIndex(index, valueKey(record.fields[field]), record.id);
  }

  private unindex(record: StoredRecord): void {
    for (const [field, index] of this.fieldIndexes) {
      const key = valueKey(record.fields[field]);
      if (key === undefined) continue;
      const ids = index.get(key);
      ids?.delete(record.id);
      if (ids?.size === 0) index.delete(key);
    }
  }
}

function addToIndex(index: Map<string, Set<string>>, key: string | undefined, id: string): void {
  if (key === undefined) return;
  let ids = index.get(key);
  if (ids === undefined) {
    ids = new Set();
    index.set(key, ids);
  }
  ids.add(id);
}
