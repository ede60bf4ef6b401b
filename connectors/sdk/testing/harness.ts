/**
 * What a connector's test gives the shared contract kit: the connector under test, wired to an
 * emulator (or the memory vendor), plus direct access to the vendor's store and its fault injection.
 */
import type {
  Checkpoint,
  RecordConnector,
  ConnectorRecord,
  Fields,
  WriteMode,
  WriteOperation,
} from '../contract';
import type { ErrorCode } from '../errors';

export type ContractFault = 'rate_limited' | 'server_error' | 'auth_expired' | 'timeout';

/** Connector operations a fault can target. */
export type ContractOperation = 'read' | 'write' | 'lookup' | 'get';

export interface ContractCapabilities {
  /** Whether `readDeleted` reports deletes (and the kit may delete in the vendor). */
  deletes: boolean;
  /** Write modes the connector supports on the test object. */
  writeModes: readonly WriteMode[];
  /**
   * Whether its credential can be renewed (an OAuth refresh, a new session); false for a vendor
   * whose keys and tokens never expire, where a 401 means a person must fix the connection.
   * Absent: true.
   */
  tokenRefresh?: boolean;
}

export interface ContractHarness {
  connector: RecordConnector;
  /** The test object (`contacts`, `Contact`). */
  object: string;
  /** A unique key usable for lookup and upsert (`email`). */
  keyField: string;
  /** A writable string field besides the key, which the kit sets to arbitrary text. */
  textField: string;
  /** Page size the kit reads with; it seeds a little more than two pages of it. */
  pageSize: number;
  /** An id of the vendor's format that no record has. */
  missingId: string;
  capabilities: ContractCapabilities;
  /** The clock the connector waits on (retries, rate limits); the kit measures waits with it. */
  clock: { now(): Date };
  /** Moves the vendor's time forward (records changed afterwards have later stamps). */
  advanceTime(ms: number): Promise<void>;
  /** Valid fields of a new record whose key is derived from `tag` (distinct tags, distinct keys). */
  newFields(tag: string): Fields;
  /** Adds records straight into the vendor's store, each with a distinct key. */
  seed(count: number, options?: { sameUpdatedAt?: boolean }): Promise<ConnectorRecord[]>;
  /** Every record of the test object, straight from the vendor's store. */
  storeRecords(): Promise<ConnectorRecord[]>;
  /** A user's edit in the vendor's UI. */
  updateInVendor(id: string, fields: Fields): Promise<void>;
  /** A user's delete in the vendor's UI. */
  deleteInVendor(id: string): Promise<void>;
  /** The next call of `operation` (any when absent) fails with `kind`, once. */
  injectFault(
    kind: ContractFault,
    options?: { retryAfterMs?: number; operation?: ContractOperation },
  ): Promise<void>;
  /**
   * The vendor rejects the write operations matching `predicate`; returns the error code and
   * retryable flag the connector must report for them.
   */
  rejectWrites(predicate: (operation: WriteOperation) => boolean): Promise<{
    code: ErrorCode;
    retryable: boolean;
  }>;
  /** Token refreshes the vendor has seen. */
  refreshCount(): number;
  close(): Promise<void>;
}

/** Holds the harness of the running test; set in beforeEach, cleared in afterEach. */
export interface HarnessSlot {
  readonly current: ContractHarness;
}

export async function readAll(
  harness: ContractHarness,
  request: { since?: string; checkpoint?: Checkpoint } = {},
): Promise<{ pages: ConnectorRecord[][]; checkpoints: Checkpoint[] }> {
  const pages: ConnectorRecord[][] = [];
  const checkpoints: Checkpoint[] = [];
  for await (const page of harness.connector.read({
    object: harness.object,
    fields: [harness.keyField, harness.textField],
    pageSize: harness.pageSize,
    ...request,
  })) {
    pages.push(page.records);
    checkpoints.push(page.checkpoint);
  }
  return { pages, checkpoints };
}

export function idsOf(records: readonly { id: string }[]): string[] {
  return records.map((record) => record.id);
}

export function sortedIds(records: readonly { id: string }[]): string[] {
  return idsOf(records).sort();
}

/** (updatedAt, id) ascending, the order every read must follow. */
export function isCursorOrdered(records: readonly ConnectorRecord[]): boolean {
  let previous: ConnectorRecord | undefined;
  for (const current of records) {
    if (
      previous !== undefined &&
      (previous.updatedAt > current.updatedAt ||
        (previous.updatedAt === current.updatedAt && previous.id >= current.id))
    ) {
      return false;
    }
    previous = current;
  }
  return true;
}

/** The item at `index`, failing the test when there is none (arrays index without undefined here). */
export function nth<T>(items: readonly T[], index: number): T {
  if (index < 0 || index >= items.length) {
    throw new Error(`expected an item at ${index}, got ${items.length} items`);
  }
  return items[index];
}

/** Every page an async read yields, in order. */
export async function pagesOf<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(page);
  return all;
}
