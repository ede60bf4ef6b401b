/**
 * The connector contract's records (contract.ts re-exports this file): fields and objects as
 * discovered, records as read, deletes, lookups and writes.
 */
import type { ErrorCode } from './errors';
/** Field types a connector reports in discover(); the engine checks mappings against them. */
export type FieldType =
  | 'string'
  | 'text'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'enum'
  | 'multi_enum'
  | 'reference'
  | 'email'
  | 'phone'
  | 'url'
  | 'id'
  | 'json';

/**
 * A field value in canonical form, so that equal values compare equal:
 * - strings as given (no trimming; that is a transform's job);
 * - numbers as JS numbers; booleans as booleans;
 * - date as `YYYY-MM-DD`; datetime as ISO 8601 in UTC with milliseconds (`2024-05-01T10:00:00.000Z`);
 * - multi-enum as a sorted array of strings without duplicates;
 * - an empty value as `null` (never `undefined`, never `''` for non-string types).
 */
export type FieldValue = string | number | boolean | null | readonly string[];

export type Fields = Record<string, FieldValue>;

export interface PicklistOption {
  value: string;
  label: string;
}

export interface FieldDescriptor {
  name: string;
  label: string;
  type: FieldType;
  required: boolean;
  readOnly: boolean;
  /** Unique in the vendor (e.g. HubSpot `email`); usable as an upsert key when `externalId` is true too. */
  unique: boolean;
  /** Usable as the key of the vendor's native upsert. */
  externalId: boolean;
  /** Allowed values for enum and multi_enum fields. */
  options?: PicklistOption[];
  /** For reference fields: the object referred to. */
  referenceTo?: string;
}

export interface ObjectDescriptor {
  name: string;
  label: string;
  fields: FieldDescriptor[];
  /** Whether readDeleted() can report deletes for this object. */
  deletes: boolean;
  /** Write modes this object accepts. */
  writeModes: WriteMode[];
  /**
   * A schemaless store's object without a declared schema: `fields` are those its records hold so
   * far, and others may be written too (a definition is not checked against them).
   */
  fieldsInferred?: boolean;
}

/** One record as read from a vendor. */
export interface ConnectorRecord {
  id: string;
  /** ISO 8601 UTC; the vendor's last-modified stamp, the cursor field of incremental reads. */
  updatedAt: string;
  fields: Fields;
}

/**
 * Where a read can resume. Flat and JSON-serialisable (Airbyte's rule): a connector validates
 * the one it is given and starts over from `since` when it cannot use it.
 */
export type Checkpoint = Record<string, string | number | boolean | null>;

export interface ReadRequest {
  object: string;
  /** Fields to return; a connector may return more. */
  fields: string[];
  /** Return records modified at or after this instant (ISO). Absent: a full read. */
  since?: string;
  /** Resume a read that stopped; wins over `since` when valid. */
  checkpoint?: Checkpoint;
  /** Desired page size; the connector caps it at `limits.maxPageSize`. */
  pageSize?: number;
}

/**
 * How an object's incremental reads (`since` given) come back, declared per object so the engine
 * does not have to trust each connector's pages (DESIGN.md, "The connector contract"):
 * - `cursor`: sorted by (updatedAt, id) ascending; the engine may move its cursor past the
 *   greatest stamp of a committed page;
 * - `unordered`: a vendor token or offset; the cursor moves only after a complete read, to the time
 *   that read started minus the lag.
 * A full read (no `since`) is a list in the vendor's order and always counts as `unordered`.
 */
export type ReadOrdering = 'cursor' | 'unordered';

export interface ReadTraits {
  ordering: ReadOrdering;
  /** Granularity of `updatedAt` in ms (Salesforce SystemModstamp: 1000; HubSpot: 1). */
  timestampPrecisionMs: number;
  /**
   * How late the vendor may show a change (ms), from the vendor's documented behaviour: an
   * incremental read ordered by stamp starts this much before its cursor (the overlap window), an
   * unordered one moves `since` to its start less this. Absent: the engine assumes 5 minutes.
   * A sync's `overlapMs` overrides it.
   */
  lagMs?: number;
}

/** Traits assumed for a connector that declares none. */
export const DEFAULT_READ_TRAITS: ReadTraits = { ordering: 'cursor', timestampPrecisionMs: 1 };

export interface ReadPage {
  /** Records of this page; in (updatedAt, id) order only where the object's ordering is `cursor`. */
  records: ConnectorRecord[];
  /** Resume from here to read the pages after this one. */
  checkpoint: Checkpoint;
}

export interface DeletedRecord {
  id: string;
  /** ISO 8601 UTC. */
  deletedAt: string;
  /**
   * The record this one was merged into, when it was deleted by a merge (the vendor's survivor):
   * the person lives on there, so the engine re-links instead of deleting the other side's copy.
   */
  mergedInto?: string;
}

export interface ReadDeletedRequest {
  object: string;
  /** Desired page size; capped at `limits.maxPageSize`. */
  pageSize?: number;
  since?: string;
  checkpoint?: Checkpoint;
}

export interface DeletedPage {
  records: DeletedRecord[];
  checkpoint: Checkpoint;
  /**
   * The vendor no longer reports every delete up to `before` (its recycle bin was emptied, or
   * kept them less long than the read reaches back): given when the request's `since` is earlier.
   * Where deletes were read up to an earlier point, some may be lost; the engine warns, and its
   * delete cursor stays where it was until a full refresh finds the records that are gone.
   */
  missing?: { before: string; reason: string };
}

export interface LookupRequest {
  object: string;
  /** The key field, e.g. `email`. */
  field: string;
  /** Key values to look up; the connector batches them as the vendor allows. */
  values: string[];
  /** Fields to return with each record. */
  fields: string[];
}

export type WriteMode = 'upsert' | 'update' | 'create' | 'delete';

export interface WriteOperation {
  /** The record to update or delete; absent for create and upsert. */
  id?: string;
  /** Field values to set, in the target's canonical form. */
  fields: Fields;
}

export interface WriteRequest {
  object: string;
  mode: WriteMode;
  /** For upsert: the unique / external-id field that identifies the record. */
  matchField?: string;
  operations: WriteOperation[];
}

export interface WriteError {
  code: ErrorCode;
  message: string;
  /** Whether trying the same operation again later may succeed. */
  retryable: boolean;
  /** The offending fields, where the vendor names them. */
  fields?: string[];
}

/**
 * One result per operation, in the order of the operations. `record`, when present, holds the
 * values the vendor stored (after its own normalisation), so the caller can snapshot exactly what a
 * later read will return.
 */
export type WriteResult =
  | {
      status: 'created' | 'updated' | 'deleted' | 'skipped';
      id: string;
      record?: ConnectorRecord;
    }
  | { status: 'failed'; id?: string; error: WriteError };
