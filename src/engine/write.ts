/**
 * Batch writes (DESIGN.md step 6): operations per target side and mode, in batches up to the
 * vendor's limit. A bad record fails alone (its WriteResult). A call that failed as a whole fails
 * its batch, not the run, unless nothing else can succeed (bad credentials, a spent budget).
 *
 * Before a batch is sent, its intent (what it will write, and from which source values) is
 * recorded through the journal; the page's commit closes it. An intent left open tells a later
 * run that the write may have reached the vendor although no commit says so.
 */
import type {
  Clock,
  Fields,
  JobTicket,
  RecordConnector,
  WriteMode,
  WriteOperation,
  WriteRequest,
  WriteResult,
} from '../../connectors/sdk/contract';
import { ConnectorError } from '../../connectors/sdk/errors';
import { finishJob } from '../../connectors/sdk/jobs';
import type { Side } from './definition';

export interface PendingWrite {
  side: Side;
  mode: WriteMode;
  matchField?: string;
  operation: WriteOperation;
  /**
   * The record the values come from and its values of the same mappings: what the snapshot takes
   * if a later run finds this write applied although its page never committed.
   */
  origin?: { id: string; fields: Fields };
  /** Filled by executeWrites. */
  result?: WriteResult;
  /** Filled by executeWrites: the intent recorded for this write's batch. */
  intentId?: string;
  /** Filled by executeWrites: the vendor's answer never came, so the write may have applied. */
  unanswered?: boolean;
}

/** What executeWrites records as it goes, and the clock it waits on for vendor jobs. */
export interface WriteJournal {
  /**
   * Records the intents of these batches before any is sent, in one store write; answers each
   * batch's intent id (undefined for a batch that needs none).
   */
  open(batches: ReadonlyArray<readonly PendingWrite[]>): Promise<Array<string | undefined>>;
  /** Records the vendor job an intent's batch became, before anything waits on it. */
  jobStarted(intentId: string, ticket: JobTicket): Promise<void>;
  clock: Clock;
}

export class CancelledError extends Error {
  override readonly name = 'CancelledError';
}

function groupKey(write: PendingWrite): string {
  return `${write.side}\u0000${write.mode}\u0000${write.matchField ?? ''}`;
}

export function batchSize(connector: RecordConnector, mode: WriteMode): number {
  const limit = connector.limits.maxBatch[mode];
  return limit === undefined || limit < 1 ? 1 : limit;
}

/**
 * Whether a call that failed as a whole fails only its batch: yes for faults a later try may get
 * through (5xx, timeouts, limits, locks), no where every other call would fail too.
 */
function failsBatchOnly(error: unknown): error is ConnectorError {
  if (!(error instanceof ConnectorError)) return false;
  const action = error.action;
  return action.kind !== 'fail_run';
}

/** Read through a call, so the check is not narrowed away across an await. */
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/**
 * One batch: as a vendor job where the connector prefers one (its ticket journaled first, so a run
 * that takes over waits for the same job), otherwise one write call.
 */
async function writeBatch(
  connector: RecordConnector,
  request: WriteRequest,
  signal: AbortSignal | undefined,
  journal: WriteJournal | undefined,
  intentId: string | undefined,
): Promise<WriteResult[]> {
  const { start, poll, results, prefersJob, pollIntervalMs, maxWaitMs } = connector;
  if (
    journal === undefined ||
    intentId === undefined ||
    start === undefined ||
    poll === undefined ||
    results === undefined ||
    prefersJob === undefined ||
    !(await prefersJob(request))
  )
    return connector.write(request);
  // Journaled as soon as the vendor created it; after the start for a connector that does not say.
  const journaled = { yet: false };
  const ticket = await start(request, async (created) => {
    await journal.jobStarted(intentId, created);
    journaled.yet = true;
  });
  if (!journaled.yet) await journal.jobStarted(intentId, ticket);
  await finishJob({ poll, pollIntervalMs, maxWaitMs }, ticket, journal.clock, signal);
  return results(ticket, request.operations);
}

/** The writes in batches: by side, mode and match field, each up to the connector's limit. */
function batchesOf(
  connectors: Record<Side, RecordConnector>,
  writes: readonly PendingWrite[],
): PendingWrite[][] {
  const groups = new Map<string, PendingWrite[]>();
  for (const write of writes) {
    const key = groupKey(write);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [write]);
    else group.push(write);
  }
  const batches: PendingWrite[][] = [];
  for (const group of groups.values()) {
    const first = group[0];
    const size = batchSize(connectors[first.side], first.mode);
    for (let start = 0; start < group.length; start += size) {
      batches.push(group.slice(start, start + size));
    }
  }
  return batches;
}

/**
 * Runs the writes, filling in each one's result; checks for cancellation between batches. The
 * intents of all batches are recorded before the first is sent.
 */
export async function executeWrites(
  connectors: Record<Side, RecordConnector>,
  objects: Record<Side, string>,
  writes: readonly PendingWrite[],
  signal?: AbortSignal,
  journal?: WriteJournal,
): Promise<number> {
  const batches = batchesOf(connectors, writes);
  const intentIds = journal === undefined ? [] : await journal.open(batches);
  let calls = 0;
  for (const [position, batch] of batches.entries()) {
    if (signal?.aborted === true) throw new CancelledError('run cancelled');
    const first = batch[0];
    const connector = connectors[first.side];
    const intentId = intentIds[position];
    if (intentId !== undefined) for (const write of batch) write.intentId = intentId;
    let results: WriteResult[];
    const request: WriteRequest = {
      object: objects[first.side],
      mode: first.mode,
      ...(first.matchField === undefined ? {} : { matchField: first.matchField }),
      operations: batch.map((write) => write.operation),
    };
    try {
      results = await writeBatch(connector, request, signal, journal, intentId);
    } catch (error) {
      if (isAborted(signal) || !failsBatchOnly(error)) throw error;
      // The vendor may have applied the batch before its answer was lost: the intent stays open.
      const failed: WriteResult = {
        status: 'failed',
        error: { code: error.code, message: error.message, retryable: true },
      };
      for (const write of batch) {
        write.result = failed;
        write.unanswered = true;
      }
      calls++;
      continue;
    }
    calls++;
    batch.forEach((write, index) => {
      write.result = results[index] ?? {
        status: 'failed',
        error: {
          code: 'unknown',
          message: 'the connector returned no result for this operation',
          retryable: true,
        },
      };
    });
  }
  return calls;
}
