/**
 * The memory connector: a source and record destination over a MemoryBackend, with vendor calls
 * going through the SDK's retry policy and rate limiter exactly as an HTTP connector's do.
 * Connections name a shared in-process backend (`store`), so the sandbox and tests can seed it
 * while the engine reads it through the connector.
 */
import type {
  AudienceDestinationCapability,
  Clock,
  ConsentRule,
  EventDestinationCapability,
  FieldValue,
  IdentifierRule,
  MembershipReplacement,
  ConnectorLimits,
  ConnectorLogger,
  ConnectorRecord,
  LookupRequest,
  RateLimitSpec,
  RecordConnector,
  SourceCapability,
  WriteRequest,
  WriteResult,
} from '../sdk/contract';
import { type CallStats, type ConnectorParts, defineConnector } from '../sdk/define';
import { DEFAULT_COUNTRY_SETTING, defaultCountryOf } from '../sdk/identifiers';
import { RateLimiter } from '../sdk/rate-limiter';
import { type RetryPolicy, withRetry } from '../sdk/retry';
import { MemoryBackend } from './backend';
import { type CallRunner, readChanges, readDeletions } from './read';

/** Values per search call; mirrors HubSpot's 100-value IN filter so the engine batches like it must there. */
const LOOKUP_BATCH = 100;
/** Ids per batch-read call; mirrors HubSpot's batch read limit of 100. */
const GET_BATCH = 100;

/**
 * Who the memory vendor matches events and members on, prepared as the ad platforms ask (email
 * trimmed and lower-cased, phone in E.164, both SHA-256), so both pipelines are tested against
 * hashed identifiers end to end.
 */
export const MEMORY_IDENTIFIERS: readonly IdentifierRule[] = [
  {
    type: 'email',
    normalize: 'email',
    hash: 'sha256',
    source: 'connectors/memory (ad-platform style)',
  },
  {
    type: 'phone',
    normalize: 'phone',
    hash: 'sha256',
    source: 'connectors/memory (ad-platform style)',
  },
  { type: 'vendor_id', normalize: 'none', hash: 'none', source: 'connectors/memory' },
];

export interface MemoryConnectorOptions {
  /** Waits (retry backoff, rate limits) happen on this clock; defaults to the backend's. */
  clock?: Clock;
  /** Page size when a read names none. */
  pageSize?: number;
  maxPageSize?: number;
  /** Largest write batch, every mode. */
  maxBatch?: number;
  concurrency?: number;
  /** Simulated vendor rate limits; none by default so benchmarks measure the engine. */
  rateLimits?: RateLimitSpec[];
  retry?: Partial<RetryPolicy>;
  signal?: AbortSignal;
  logger?: ConnectorLogger;
  /** Jitter source for the retry policy. */
  random?: () => number;
  /** The oldest event the memory vendor accepts, in ms; absent: any age. */
  maxEventAgeMs?: number;
  /** The country of phone numbers written without one (ISO 3166-1 alpha-2). */
  defaultCountry?: string;
  /** The consent signals it takes with events and members, and which it requires. */
  consent?: readonly ConsentRule[];
  /** Offer a replace of an audience's members (as Meta's usersreplace), used by full refreshes. */
  replaceMembers?: boolean;
  /** Fields that hold an email subscription status, with their values that mean opted out. */
  optOutFields?: Record<string, readonly FieldValue[]>;
}

/** The memory vendor's consent signals, named as Google's (both optional unless required). */
export function memoryConsent(required: boolean): ConsentRule[] {
  return ['ad_user_data', 'ad_personalization'].map((name) => ({
    name,
    required,
    source: 'connectors/memory (modelled on Google Ads consent)',
  }));
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

export function memoryLimits(options: MemoryConnectorOptions = {}): ConnectorLimits {
  const maxBatch = options.maxBatch ?? 100;
  return {
    // No vendor limit: a bound chosen so one page stays small in memory.
    maxPageSize: options.maxPageSize ?? 1000,
    ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
    // Same default as HubSpot's batch APIs (100), so write counts compare across connectors.
    maxBatch: {
      create: maxBatch,
      update: maxBatch,
      upsert: maxBatch,
      delete: maxBatch,
      append: maxBatch,
      members: maxBatch,
    },
    concurrency: options.concurrency ?? 4,
    rateLimits: options.rateLimits ?? [],
  };
}

/** What the memory vendor can do: every capability a sync kind needs. */
const MEMORY_CAPABILITIES = ['source', 'records', 'events', 'audiences'] as const;
type MemoryCapability = (typeof MEMORY_CAPABILITIES)[number];

const backends = new Map<string, MemoryBackend>();

/** The process-wide backend of that name, created on first use (connections share it by name). */
export function memoryBackendNamed(name: string): MemoryBackend {
  let backend = backends.get(name);
  if (backend === undefined) {
    backend = new MemoryBackend({ idPrefix: `${name}-` });
    backends.set(name, backend);
  }
  return backend;
}

/** The connection's call runner (retry and the limiter around every call), with its counts. */
function memoryCalls(
  backend: MemoryBackend,
  options: MemoryConnectorOptions,
  limits: ConnectorLimits,
): { run: CallRunner; calls: CallStats } {
  const clock = options.clock ?? backend.clock;
  const limiter = new RateLimiter({
    clock,
    limits: limits.rateLimits,
    concurrency: limits.concurrency,
  });
  const perOperation = new Map<string, number>();
  let calls = 0;

  const run: CallRunner = (call, callOptions = {}) =>
    withRetry(
      () =>
        limiter.schedule(() => {
          calls++;
          const name = callOptions.operation ?? 'call';
          perOperation.set(name, (perOperation.get(name) ?? 0) + 1);
          return call();
        }, options.signal),
      {
        clock,
        policy: options.retry,
        signal: options.signal,
        refreshAuth: () => backend.api.refreshToken(),
        idempotent: callOptions.idempotent ?? true,
        logger: options.logger,
        random: options.random,
      },
    );
  return {
    run,
    calls: {
      callCount: () => calls,
      callsByEndpoint: () => Object.fromEntries(perOperation),
      budgets: () => [],
    },
  };
}

/** The records whose field holds one of the values, searched in batches, each record once. */
async function lookupIn(
  backend: MemoryBackend,
  run: CallRunner,
  request: LookupRequest,
): Promise<ConnectorRecord[]> {
  const found: ConnectorRecord[] = [];
  const seen = new Set<string>();
  for (const values of chunks([...new Set(request.values)], LOOKUP_BATCH)) {
    const records = await run(
      () => backend.api.search(request.object, request.field, values, request.fields),
      { operation: 'search' },
    );
    for (const record of records) {
      if (seen.has(record.id)) continue;
      seen.add(record.id);
      found.push(record);
    }
  }
  return found;
}

/** The records of the ids, fetched in batches. */
async function getIn(
  backend: MemoryBackend,
  run: CallRunner,
  object: string,
  ids: readonly string[],
  fields: readonly string[],
): Promise<ConnectorRecord[]> {
  const found: ConnectorRecord[] = [];
  for (const batch of chunks([...new Set(ids)], GET_BATCH)) {
    found.push(
      ...(await run(() => backend.api.fetch(object, batch, fields), { operation: 'fetch' })),
    );
  }
  return found;
}

/** The memory vendor's operations for one connection, every call through retry and the limiter. */
function memoryParts(
  backend: MemoryBackend,
  options: MemoryConnectorOptions,
  limits: ConnectorLimits,
): ConnectorParts<MemoryCapability> &
  Required<SourceCapability> &
  EventDestinationCapability &
  AudienceDestinationCapability & { calls: CallStats } {
  const { run, calls } = memoryCalls(backend, options, limits);
  async function* readMembers(audience: string, pageSize: number) {
    let after: string | null = null;
    for (;;) {
      const page = await run(() => backend.api.members(audience, after, pageSize), {
        operation: 'readMembers',
      });
      if (page.length === 0) return;
      yield page;
      after = page.at(-1)?.key ?? null;
    }
  }

  return {
    calls,
    async check() {
      await run(() => backend.api.ping(), { operation: 'ping' });
      return { account: 'memory' };
    },
    discover: () => run(() => backend.api.describe(), { operation: 'describe' }),
    read: (request) =>
      readChanges(backend.api, run, request, request.pageSize ?? limits.maxPageSize),
    // Stamped and committed in one step, in order: a change is readable as soon as it is made. One
    // millisecond, not 0: a change stamped in the millisecond of the last read is still read again.
    readTraits: () => ({ ordering: 'cursor', timestampPrecisionMs: 1, lagMs: 1 }),
    readDeleted: (request) =>
      readDeletions(backend.api, run, request, request.pageSize ?? limits.maxPageSize),
    lookup: (request: LookupRequest) => lookupIn(backend, run, request),
    get: (object, ids, fields) => getIn(backend, run, object, ids, fields),
    // A write that failed in flight may have been applied: retried only when the vendor surely did not act.
    write: (request: WriteRequest): Promise<WriteResult[]> =>
      run(() => backend.api.batchWrite(request), { idempotent: false, operation: 'batchWrite' }),
    identifiers: MEMORY_IDENTIFIERS,
    ...(options.maxEventAgeMs === undefined ? {} : { maxEventAgeMs: options.maxEventAgeMs }),
    ...(options.defaultCountry === undefined ? {} : { defaultCountry: options.defaultCountry }),
    ...(options.consent === undefined ? {} : { consent: options.consent }),
    // The vendor dedupes on the key: sending an event again is harmless.
    append: (request) =>
      run(() => backend.api.append(request.object, request.events), { operation: 'append' }),
    audiences: () => run(() => backend.api.audiences(), { operation: 'audiences' }),
    // Adding a member twice or removing an absent one changes nothing: harmless to repeat.
    changeMembers: (request) =>
      run(() => backend.api.changeMembers(request), { operation: 'changeMembers' }),
    ...(options.replaceMembers === true
      ? {
          replaceMembers: (request: MembershipReplacement) =>
            run(() => backend.api.replaceMembers(request.audience, request.members), {
              operation: 'replaceMembers',
            }),
        }
      : {}),
    // A memory audience as a source: its members' keys are record ids of the object read.
    async *readAudience(request) {
      for await (const members of readMembers(request.audience, request.pageSize))
        yield await getIn(
          backend,
          run,
          request.object,
          members.map((member) => member.key),
          request.fields,
        );
    },
    optOutValues: (_object, field) => options.optOutFields?.[field],
    readMembers: (audience: string) => readMembers(audience, limits.maxPageSize),
  };
}

export const memoryConnector = defineConnector({
  kind: 'memory',
  label: 'In-memory (tests, benchmarks, sandbox)',
  vendor: 'Memory',
  // Without declared fields, an object's fields are whatever its records hold.
  openSchema: true,
  settings: {
    store: {
      label: 'Store name',
      type: 'string',
      description: 'Connections with the same store name share the same records.',
      default: 'default',
    },
    pageSize: { label: 'Page size', type: 'number', default: 1000, minimum: 1 },
    maxBatch: { label: 'Write batch size', type: 'number', default: 100, minimum: 1 },
    maxEventAgeDays: {
      label: 'Oldest event accepted (days)',
      type: 'number',
      default: 0,
      minimum: 0,
      description:
        'Events older than this are refused as too old, as an ad platform does; 0: any age.',
    },
    requireConsent: {
      label: 'Require consent',
      type: 'boolean',
      default: false,
      description:
        'Refuse people without granted ad_user_data and ad_personalization signals, as an ad platform under consent rules does.',
    },
    defaultCountry: DEFAULT_COUNTRY_SETTING,
  },
  secrets: [],
  capabilities: MEMORY_CAPABILITIES,
  limits: (settings) => memoryLimits({ pageSize: settings.pageSize, maxBatch: settings.maxBatch }),
  open: ({ settings, context, limits }) =>
    memoryParts(
      memoryBackendNamed(settings.store),
      {
        clock: context.clock,
        logger: context.logger,
        signal: context.signal,
        ...(settings.maxEventAgeDays > 0
          ? { maxEventAgeMs: settings.maxEventAgeDays * 86_400_000 }
          : {}),
        consent: memoryConsent(settings.requireConsent),
        ...defaultCountryOf(settings.defaultCountry),
      },
      limits,
    ),
});

/** A memory connector over `backend` (tests and benchmarks build their own). */
export function createMemoryConnector(
  backend: MemoryBackend,
  options: MemoryConnectorOptions = {},
): RecordConnector & EventDestinationCapability & AudienceDestinationCapability {
  const limits = memoryLimits(options);
  return memoryConnector.assemble(memoryParts(backend, options, limits), limits);
}
