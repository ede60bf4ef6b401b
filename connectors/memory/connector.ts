/**
 * The memory connector: the full Connector contract over a MemoryBackend, with vendor calls going
 * through the SDK's retry policy and rate limiter exactly as an HTTP connector's do.
 */
import type {
  Clock,
  Connector,
  ConnectorLimits,
  ConnectorLogger,
  ConnectorRecord,
  LookupRequest,
  RateLimitSpec,
  WriteRequest,
  WriteResult,
} from '../sdk/contract';
import { checkFailure, ConnectorError } from '../sdk/errors';
import { RateLimiter } from '../sdk/rate-limiter';
import { type RetryPolicy, withRetry } from '../sdk/retry';
import type { MemoryBackend } from './backend';
import { type CallRunner, readChanges, readDeletions } from './read';

/** Values per search call; mirrors HubSpot's 100-value IN filter so the engine batches like it must there. */
const LOOKUP_BATCH = 100;
/** Ids per batch-read call; mirrors HubSpot's batch read limit of 100. */
const GET_BATCH = 100;

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
    // Same default as HubSpot's batch APIs (100), so write counts compare across connectors.
    maxBatch: { create: maxBatch, update: maxBatch, upsert: maxBatch, delete: maxBatch },
    concurrency: options.concurrency ?? 4,
    rateLimits: options.rateLimits ?? [],
  };
}

export function createMemoryConnector(
  backend: MemoryBackend,
  options: MemoryConnectorOptions = {},
): Connector {
  const clock = options.clock ?? backend.clock;
  const limits = memoryLimits(options);
  const limiter = new RateLimiter({
    clock,
    limits: limits.rateLimits,
    concurrency: limits.concurrency,
  });
  let calls = 0;

  const run: CallRunner = (call, callOptions = {}) =>
    withRetry(
      () =>
        limiter.schedule(() => {
          calls++;
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

  const pageSizeFor = (requested: number | undefined): number =>
    Math.max(1, Math.min(requested ?? options.pageSize ?? limits.maxPageSize, limits.maxPageSize));

  return {
    kind: 'memory',
    limits,
    async check() {
      try {
        await run(() => backend.api.ping());
        return { ok: true, account: 'memory' };
      } catch (error) {
        return checkFailure(error);
      }
    },
    discover: () => run(() => backend.api.describe()),
    read: (request) => readChanges(backend.api, run, request, pageSizeFor(request.pageSize)),
    readTraits: () => ({ ordering: 'cursor', timestampPrecisionMs: 1 }),
    readDeleted: (request) => readDeletions(backend.api, run, request, pageSizeFor(undefined)),
    async lookup(request: LookupRequest): Promise<ConnectorRecord[]> {
      const found: ConnectorRecord[] = [];
      const seen = new Set<string>();
      for (const values of chunks([...new Set(request.values)], LOOKUP_BATCH)) {
        const records = await run(() =>
          backend.api.search(request.object, request.field, values, request.fields),
        );
        for (const record of records) {
          if (seen.has(record.id)) continue;
          seen.add(record.id);
          found.push(record);
        }
      }
      return found;
    },
    async get(object, ids, fields) {
      const found: ConnectorRecord[] = [];
      for (const batch of chunks([...new Set(ids)], GET_BATCH)) {
        found.push(...(await run(() => backend.api.fetch(object, batch, fields))));
      }
      return found;
    },
    async write(request: WriteRequest): Promise<WriteResult[]> {
      const max = limits.maxBatch[request.mode];
      if (max === undefined)
        throw new ConnectorError('bad_request', `memory does not support ${request.mode} writes`);
      if (request.operations.length > max) {
        throw new ConnectorError(
          'bad_request',
          `a ${request.mode} batch holds at most ${max} operations, got ${request.operations.length}`,
        );
      }
      if (request.operations.length === 0) return [];
      // A write that failed in flight may have been applied: retried only when the vendor surely did not act.
      return run(() => backend.api.batchWrite(request), { idempotent: false });
    },
    callCount: () => calls,
  };
}
