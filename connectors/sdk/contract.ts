/**
 * The connector contract (DESIGN.md, "The connector contract").
 *
 * A connector is plain TypeScript: it knows nothing of Nest, TypeORM or the engine. It is created
 * from (settings, secrets, context) and speaks to one vendor account.
 */
import { ConnectorError, type ErrorCode } from './errors';
import type { FactCache } from './facts';
import type { OAuthGrant } from './oauth';
import type { SettingDescriptor } from './setting-descriptor';
import type { RateLimiter, VendorBudget } from './rate-limiter';
import type { RecordLinks } from './record-links';
import type { RetryPolicy } from './retry';
import type { TokenCache } from './tokens';
import type { AudienceDestinationCapability, EventDestinationCapability } from './one-way-contract';
import type {
  Checkpoint,
  ConnectorRecord,
  DeletedPage,
  FieldValue,
  LookupRequest,
  ObjectDescriptor,
  ReadDeletedRequest,
  ReadPage,
  ReadRequest,
  ReadTraits,
  WriteMode,
  WriteOperation,
  WriteRequest,
  WriteResult,
} from './records-contract';

export * from './records-contract';
export * from './one-way-contract';
/** What a batch limit applies to: a write mode, an append of events, a change of members. */
export type BatchKind = WriteMode | 'append' | 'members';

/**
 * Where a vendor's answers report a budget, in headers (lower case): a limit and a remaining
 * count, or one header holding "used/limit" (the pattern's two groups).
 */
export type BudgetReport =
  | {
      limit: string;
      remaining: string;
      /** A header holding the window in ms, which wins over the limit's own `windowMs`. */
      windowHeader?: string;
    }
  | { header: string; usage: RegExp };

/** A rate limit the vendor enforces, declared as data with its source. */
export interface RateLimitSpec {
  name: string;
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
  /** Where the number comes from (vendor documentation page). */
  source: string;
  /** The headers in which the vendor reports this budget, if it does; they keep it in step. */
  reported?: BudgetReport;
  /**
   * How the vendor counts: `bucket` (the default) refills evenly and allows a burst of `limit`;
   * `rolling` allows no more than `limit` calls in any `windowMs`, which a vendor that reports
   * nothing (Marketo) needs, since a bucket can send twice the limit across one window.
   */
  counting?: 'bucket' | 'rolling';
}

export interface ConnectorLimits {
  /** Largest page the vendor returns. */
  maxPageSize: number;
  /** Page size when a read names none; `maxPageSize` when absent. */
  pageSize?: number;
  /**
   * Largest batch per write mode, events per append, members per membership change; a missing
   * key is not supported, and the SDK refuses it.
   */
  maxBatch: Partial<Record<BatchKind, number>>;
  /** Calls this connector may have in flight at once. */
  concurrency: number;
  rateLimits: RateLimitSpec[];
  /**
   * A family of endpoints' own limit on top of the others (a vendor's search endpoints, say),
   * kept by spacing its calls evenly: a limit of n per window sends one every window / n. Calls
   * name their family in the call policy's spec.
   */
  familyLimits?: Readonly<Record<string, RateLimitSpec>>;
  /** Calls allowed per 24 h by the vendor (the account's daily budget), where there is one. */
  dailyBudget?: number;
  /**
   * The hour (UTC) at which the vendor resets the daily budget, where it resets at a fixed time of
   * day (Marketo: midnight US Central, 6); absent: a rolling 24 h.
   */
  dailyBudgetResetUtcHour?: number;
}

export type CheckResult =
  { ok: true; account?: string } | { ok: false; code: ErrorCode; reason: string };

/**
 * What a connector can do (DESIGN.md, "The connector contract"). A connector declares its
 * capabilities once, in `defineConnector`, and its type offers only those operations.
 */
export type Capability = 'source' | 'records' | 'events' | 'audiences' | 'webhooks' | 'jobs';

export const CAPABILITIES: readonly Capability[] = [
  'source',
  'records',
  'events',
  'audiences',
  'webhooks',
  'jobs',
];

/** What every connector has, whatever its capabilities. */
export interface ConnectorCore {
  readonly kind: string;
  readonly limits: ConnectorLimits;
  /** The capabilities the connector declared; its operations are exactly theirs. */
  readonly capabilities: readonly Capability[];
  /** Can we authenticate and reach the API? Never throws: a failure comes back with its reason. */
  check(): Promise<CheckResult>;
  /** Objects and fields (for a destination only: the objects it writes, or none). */
  discover(): Promise<ObjectDescriptor[]>;
  /** Calls made so far (for API budgets and benchmarks). */
  callCount(): number;
  /** Calls so far per endpoint, as sent (retries included). */
  callsByEndpoint(): Record<string, number>;
  /** The vendor's latest budget figures from its answers' headers; empty when it sends none. */
  budgets(): VendorBudget[];
  close?(): Promise<void>;
}

/** source: records can be read from the vendor. */
export interface SourceCapability {
  /** Pages of changed (or, without `since`, all) records; see `readTraits` for their order. */
  read(request: ReadRequest): AsyncIterable<ReadPage>;
  /** How reads of `object` are ordered and how precise their stamps are; absent: the defaults. */
  readTraits?(object: string): ReadTraits;
  /** Deletes the vendor reports; absent where the vendor does not expose them. */
  readDeleted?(request: ReadDeletedRequest): AsyncIterable<DeletedPage>;
  /** Records whose `field` equals one of `values` (exact, as the vendor compares). */
  lookup?(request: LookupRequest): Promise<ConnectorRecord[]>;
  /** Records by id; missing ids are left out of the answer. */
  get?(object: string, ids: string[], fields: string[]): Promise<ConnectorRecord[]>;
  /**
   * Where `field` of `object` is an email subscription status: its values that mean the person
   * opted out (a boolean opt-out: [true]). A mapping between two such fields that names no policy
   * is synced under `unsubscribe_wins` with these values, so no sync undoes an unsubscribe.
   */
  optOutValues?(object: string, field: string): readonly FieldValue[] | undefined;
  /**
   * The members of one of the vendor's lists or tags (an id from `audiences()`), as records of
   * `object`, the whole set page by page: an audience sync whose source is a list reads it whole
   * each run, and whoever is no longer in it leaves the destination's audience.
   */
  readAudience?(request: AudienceReadRequest): AsyncIterable<ConnectorRecord[]>;
}

export interface AudienceReadRequest {
  object: string;
  audience: string;
  fields: string[];
  pageSize: number;
}

/** records: create / update / upsert / delete records. */
export interface RecordDestinationCapability {
  /** One result per operation, in order. Throws only when the whole call failed. */
  write(request: WriteRequest): Promise<WriteResult[]>;
}

/** An inbound webhook call, as received. */
export interface WebhookRequest {
  method: string;
  /** The URL the vendor called, as it signed it (scheme, host, path and query, as sent). */
  url: string;
  /** Header names in lower case; a repeated header joined with ", ". */
  headers: Record<string, string | undefined>;
  /** The body's exact bytes. */
  body: Uint8Array;
}

/**
 * Whether the request is the vendor's. Refused: `reason` for the log and the 401; `stale` when only
 * its age is wrong; `secretMissing` when the connection lacks what verifies it (logged, not told).
 */
export type WebhookVerdict =
  { ok: true } | { ok: false; reason: string; stale?: boolean; secretMissing?: boolean };

/** What a webhook says changed: records of one object, to read again. */
export interface WebhookChange {
  object: string;
  ids: string[];
}

/** Where a webhook body is not what the vendor sends (`[0].portalId`: must be a whole number). */
export interface WebhookProblem {
  path: string;
  problem: string;
}

/** webhooks: the vendor pushes changes; one route serves every connector. */
export interface WebhookCapability {
  verify(request: WebhookRequest): WebhookVerdict;
  /** The changes a verified body reports, with how many events it held; or why it is malformed. */
  route(
    body: Uint8Array,
  ): { events: number; changes: WebhookChange[] } | { problems: WebhookProblem[] };
}

/** A vendor-side job the run checkpoints, so a run that takes over picks it up. */
export interface JobTicket {
  id: string;
  object: string;
  mode: WriteMode;
  /** Anything else the connector needs to poll it again after a restart (flat, JSON). */
  state: Checkpoint;
}

export type JobState =
  | { status: 'running'; processed?: number }
  | { status: 'done' }
  | { status: 'failed'; reason: string };

/** jobs: writes the vendor processes for minutes or hours, started, polled and collected apart. */
export interface JobsCapability {
  /** Wait between polls of a running job. */
  readonly pollIntervalMs: number;
  /** Give up waiting on a job after this long (it is left to the vendor, and picked up later). */
  readonly maxWaitMs: number;
  /** Whether this write is better done as a job (its size, the vendor's thresholds). */
  prefersJob(request: WriteRequest): Promise<boolean>;
  /**
   * Uploads the operations and starts the job; nothing waits for it to finish. `created` is called
   * with the job's ticket as soon as the vendor has created the job, before it can run: the engine
   * journals it then, so that a run taking over after a kill finds the job whatever step the kill
   * interrupted (a job whose upload never completed is aborted by `poll` and sent again).
   */
  start(request: WriteRequest, created?: (ticket: JobTicket) => Promise<void>): Promise<JobTicket>;
  /**
   * The job's state. A job still waiting for its upload to complete is one whose starter died:
   * the connector aborts it and answers `failed`.
   */
  poll(ticket: JobTicket): Promise<JobState>;
  /** One result per operation, in the order they were given to `start`. */
  results(ticket: JobTicket, operations: readonly WriteOperation[]): Promise<WriteResult[]>;
}

interface CapabilityOperations {
  source: SourceCapability;
  records: RecordDestinationCapability;
  events: EventDestinationCapability;
  audiences: AudienceDestinationCapability;
  webhooks: WebhookCapability;
  jobs: JobsCapability;
}

type Intersection<U> = (U extends unknown ? (value: U) => void : never) extends (
  value: infer I,
) => void
  ? I
  : never;

/** The operations of the capabilities in `C`, and no others. */
export type OperationsOf<C extends Capability> = Intersection<CapabilityOperations[C]>;

/** A connector with the capabilities `C`. */
export type Connector<C extends Capability> = ConnectorCore & OperationsOf<C>;

/** What the record-sync engine needs of each side: reads (with lookups and gets) and writes. */
export type RecordConnector = ConnectorCore &
  SourceCapability &
  Required<Pick<SourceCapability, 'lookup' | 'get'>> &
  RecordDestinationCapability &
  Partial<JobsCapability>;

/** A connector of unknown capabilities: test `capabilities` (or use `hasCapability`) before a call. */
export type AnyConnector = ConnectorCore & Partial<Intersection<CapabilityOperations[Capability]>>;

/**
 * Why `connector` cannot be a side of a record sync (which reads, looks up, gets and writes records
 * on both sides), or undefined when it can.
 */
export function recordSideProblem(connector: {
  kind: string;
  capabilities: readonly Capability[];
}): string | undefined {
  const missing = (['source', 'records'] as const).filter(
    (capability) => !connector.capabilities.includes(capability),
  );
  if (missing.length === 0) return undefined;
  const has = connector.capabilities.length === 0 ? 'none' : connector.capabilities.join(', ');
  const lacking = `${missing.join(' and ')} capabilit${missing.length === 1 ? 'y' : 'ies'}`;
  return `${connector.kind} connections cannot be a side of a records sync, which reads and writes records on both sides: they lack the ${lacking} (${connector.kind} has: ${has})`;
}

/** The connector as a side of a record sync, or a ConnectorError saying what it lacks. */
export function asRecordConnector(connector: AnyConnector): RecordConnector {
  const problem = recordSideProblem(connector);
  const { read, lookup, get, write } = connector;
  if (problem !== undefined) throw new ConnectorError('bad_request', problem);
  if (read === undefined || lookup === undefined || get === undefined || write === undefined)
    throw new ConnectorError(
      'bad_request',
      `${connector.kind} connections cannot be a side of a records sync: they find no records by key or id`,
    );
  return { ...connector, read, lookup, get, write };
}

/** Whether `connector` declared `capability` (and so has its operations). */
export function hasCapability<C extends Capability>(
  connector: AnyConnector,
  capability: C,
): connector is AnyConnector & Connector<C> {
  return connector.capabilities.includes(capability);
}

/** Time, injectable so tests can drive it. */
export interface Clock {
  now(): Date;
  /** Resolves after `ms`, or rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface ConnectorLogger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

/** What the host gives a connector. The HTTP client and rate limiter live in connectors/sdk. */
export interface ConnectorContext {
  logger: ConnectorLogger;
  clock: Clock;
  /** Aborted when the run is cancelled. */
  signal?: AbortSignal;
  /** The connection's facts (described objects), kept by the host across runs; absent: per connector. */
  facts?: FactCache;
  /** How vendor calls run, where a host or a test wants other than the defaults. */
  calls?: CallSettings;
  /** The connection's access token, kept by the host across connectors and replicas. */
  tokens?: TokenCache;
}

/** Knobs of the call policy: a timeout per attempt (30 s), the retry policy, the jitter source. */
export interface CallSettings {
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  random?: () => number;
  /** The connection's limiter, shared by the host by all its connectors (runs, checks, previews). */
  rateLimiter?: RateLimiter;
}


export type { RecordLinks } from './record-links';
export type { SettingDescriptor } from './setting-descriptor';
export { recordUrl } from './record-links';

/** One entry of the registry in connectors/index.ts; built by `defineConnector` (define.ts). */
export interface ConnectorDefinition {
  kind: string;
  label: string;
  /** The vendor's name as users say it (the console names a sync's sides by it). */
  vendor: string;
  /** Links to records in the vendor's UI, from the settings alone; null when not known. */
  recordLinksFor(settings: Record<string, unknown>): RecordLinks | null;
  settings: SettingDescriptor[];
  /** Names of the secrets the connector needs (values are never returned by the API). */
  secrets: readonly string[];
  /** The sets of secrets that can authenticate; absent: any. */
  credentials?: readonly (readonly string[])[];
  /** Connecting through the vendor's OAuth authorize page, where it has one (oauth.ts). */
  oauth?: OAuthGrant;
  capabilities: readonly Capability[];
  /** Objects known without calling the vendor, if any. */
  staticObjects?: readonly string[];
  /** A schemaless store: objects exist once written (discover() lists those seen so far). */
  openSchema?: boolean;
  /**
   * Hosts `url` settings may point at, over https: a host, `*.example.com` (any subdomain), or
   * `{instance}.example.com` (an instance label as `na123`); others (an emulator) need a sandbox.
   */
  allowedHosts?: readonly string[];
  /** Headers of the vendor's requests and answers to keep out of logs (lower case). */
  redactHeaders: readonly string[];
  /** The connection's limits and budgets from its settings alone, without building a connector. */
  limitsFor(settings: Record<string, unknown>): ConnectorLimits;
  create(
    settings: Record<string, unknown>,
    secrets: Record<string, string>,
    context: ConnectorContext,
  ): AnyConnector;
}
