/**
 * Which way a write goes: an upsert on an external id (or Id) is Salesforce's own, on any other
 * field it is a lookup then updates and creates (upsert.ts); a call of at least the bulk threshold
 * is a Bulk API 2.0 job the engine starts, polls and collects (bulk.ts), any other goes through
 * sObject Collections (write.ts).
 */
import type {
  Clock,
  JobTicket,
  JobsCapability,
  RecordDestinationCapability,
  WriteOperation,
  WriteRequest,
  WriteResult,
} from '../sdk/contract';
import { finishJob } from '../sdk/jobs';
import { bulkResults, pollBulk, startBulk } from './bulk';
import { type QueryRunner, findIn } from './read';
import { upsertById, upsertByLookup } from './upsert';
import { upsertKey, writeCollections } from './write';

/** A job still running after this long is given up (Bulk API 2.0 jobs may run for hours). */
const BULK_MAX_WAIT_MS = 30 * 60 * 1000;

export interface WriteRouteOptions {
  /** Write calls with at least this many operations go through Bulk API 2.0. */
  bulkThreshold: number;
  pollIntervalMs: number;
  clock: Clock;
  signal?: AbortSignal | undefined;
}

export function salesforceWrites(
  runner: QueryRunner,
  options: WriteRouteOptions,
): RecordDestinationCapability & JobsCapability {
  const { connection, version, describe } = runner;

  /** The native upsert key of an upsert (undefined for other modes); null: upserted by lookup. */
  const nativeKey = async (request: WriteRequest): Promise<string | undefined | null> => {
    if (request.mode !== 'upsert') return undefined;
    const key = upsertKey(request, await describe.fields(request.object));
    return key.native ? key.name : null;
  };

  const jobs: JobsCapability = {
    pollIntervalMs: options.pollIntervalMs,
    maxWaitMs: BULK_MAX_WAIT_MS,
    async prefersJob(request: WriteRequest): Promise<boolean> {
      return (
        request.operations.length >= options.bulkThreshold && (await nativeKey(request)) !== null
      );
    },
    async start(request: WriteRequest, created?: (ticket: JobTicket) => Promise<void>) {
      const key = (await nativeKey(request)) ?? undefined;
      return startBulk(connection, version, request, key, created);
    },
    poll: (ticket: JobTicket) => pollBulk(connection, version, ticket),
    results: (ticket: JobTicket, operations: readonly WriteOperation[]) =>
      bulkResults(connection, version, ticket, operations),
  };

  const write = async (request: WriteRequest): Promise<WriteResult[]> => {
    if (request.operations.length === 0) return [];
    const key = await nativeKey(request);
    if (key === null) {
      const field = upsertKey(request, await describe.fields(request.object)).name;
      return upsertByLookup(
        request,
        field,
        (values) => findIn(runner, request.object, field, values, [field]),
        (mode, operations) => write({ object: request.object, mode, operations }),
      );
    }
    if (await jobs.prefersJob(request)) {
      // A caller that does not run jobs itself (the engine does) waits here.
      const ticket = await jobs.start(request);
      await finishJob(jobs, ticket, options.clock, options.signal);
      return jobs.results(ticket, request.operations);
    }
    // Bulk API 2.0 upserts on Id; sObject Collections only on an external id.
    if (key !== undefined && key.toLowerCase() === 'id')
      return upsertById(request, key, (mode, operations) =>
        writeCollections(
          connection,
          version,
          { object: request.object, mode, operations },
          undefined,
        ),
      );
    return writeCollections(connection, version, request, key);
  };

  return { write, ...jobs };
}
