/**
 * The messages between the bench (parent) and a vendor process (`vendor-process.ts`), which holds
 * one memory vendor and its connector so that the parent's memory is Syncline's alone.
 *
 * Each request carries the parent clock's time: the vendor stamps its writes and edits with it, as
 * it would with a shared clock in one process. Each response carries the connector's call count,
 * which `Connector.callCount()` must answer synchronously.
 */
import type {
  CheckResult,
  ConnectorRecord,
  DeletedPage,
  LookupRequest,
  ObjectDescriptor,
  ReadDeletedRequest,
  ReadPage,
  ReadRequest,
  WriteRequest,
  WriteResult,
} from '../connectors/sdk/contract';
import type { Side } from '../src/engine/definition';

/** What the vendor process reports for the printed figures. */
export interface VendorStats {
  writeCalls: number;
  writtenRecords: number;
  /** Peak RSS sampled in the vendor process, and its kernel high-water mark, in bytes. */
  peakRss: number;
  maxRss: number;
}

export interface SeedSpec {
  side: Side;
  records: number;
  /** ISO; the last seeded record's updatedAt. */
  until: string;
  /** The 1 % the incremental run edits: records i ≡ offset (mod 100). */
  offset: number;
}

/**
 * Which of the 1 % a request edits: `count` of them from `from` (all when absent), and the round
 * of a schedule, so that each round's values differ from the last's.
 */
export interface EditSlice {
  from?: number;
  count?: number;
  round?: number;
}

/** A request with nothing but its kind. */
type NoArguments = object;

/** Each request kind with its answer. */
export interface VendorCalls {
  /** Seeds the vendor (generated in the vendor process) and indexes the match field; answers the count. */
  seed: { request: { spec: SeedSpec }; response: number };
  /** Applies (a slice of) the incremental run's 1 % edits; answers how many records were edited. */
  edit: { request: { slice?: EditSlice }; response: number };
  stats: { request: NoArguments; response: VendorStats };
  check: { request: NoArguments; response: CheckResult };
  discover: { request: NoArguments; response: ObjectDescriptor[] };
  readOpen: { request: { stream: number; read: ReadRequest }; response: null };
  readDeletedOpen: { request: { stream: number; read: ReadDeletedRequest }; response: null };
  /** The stream's next page, or null at its end (the stream is then closed). */
  next: { request: { stream: number }; response: ReadPage | DeletedPage | null };
  close: { request: { stream: number }; response: null };
  lookup: { request: { lookup: LookupRequest }; response: ConnectorRecord[] };
  get: {
    request: { object: string; ids: string[]; fields: string[] };
    response: ConnectorRecord[];
  };
  write: { request: { write: WriteRequest }; response: WriteResult[] };
}

export type VendorCallKind = keyof VendorCalls;

export type VendorRequest = {
  [K in VendorCallKind]: { kind: K } & VendorCalls[K]['request'];
}[VendorCallKind];

export interface RequestEnvelope {
  id: number;
  /** The parent clock's time, epoch ms. */
  now: number;
  body: VendorRequest;
}

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  /** A ConnectorError's code and details, rebuilt as one in the parent. */
  code?: string;
  details?: { status?: number; retryAfterMs?: number; vendorCode?: string };
}

export type ResponseEnvelope =
  | { id: number; calls: number; ok: true; value: unknown }
  | { id: number; calls: number; ok: false; error: SerializedError };

export function isResponseEnvelope(message: unknown): message is ResponseEnvelope {
  return (
    typeof message === 'object' &&
    message !== null &&
    'id' in message &&
    typeof message.id === 'number' &&
    'ok' in message &&
    typeof message.ok === 'boolean'
  );
}

export function isRequestEnvelope(message: unknown): message is RequestEnvelope {
  return (
    typeof message === 'object' &&
    message !== null &&
    'id' in message &&
    typeof message.id === 'number' &&
    'now' in message &&
    typeof message.now === 'number' &&
    'body' in message
  );
}
