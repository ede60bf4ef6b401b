/**
 * Fault injection for the Salesforce emulator: whole-call failures (expired session,
 * REQUEST_LIMIT_EXCEEDED, 429, 5xx, a hang past the client's timeout), UNABLE_TO_LOCK_ROW on chosen
 * records, per-record rejections, and latency.
 */
import { FaultQueue, Rejections } from '../../sdk/testing/emulator-kit';
import type { SfError } from './store';

export type CallFaultKind =
  | 'session_expired'
  | 'request_limit'
  | 'rate_limited'
  | 'server_error'
  | 'timeout'
  /** The call is carried out, then answered 503: a write the client cannot know was applied. */
  | 'answer_lost';

export interface CallFaultOptions {
  count?: number;
  /** For `rate_limited`: the Retry-After sent, in ms (rounded up to seconds). */
  retryAfterMs?: number;
  /** Only calls whose endpoint (`GET /query`, `POST /composite/sobjects`…) matches. */
  endpoint?: RegExp;
}

/** Decides a record's error from its object, id (when known) and values. */
export type RecordRejection = (input: {
  object: string;
  id: string | undefined;
  values: Record<string, unknown>;
}) => SfError | undefined;

type RecordInput = Parameters<RecordRejection>[0];

/** Whole-call faults, latency and hangs (the emulator kit's queue), and per-record errors. */
export class EmulatorFaults extends FaultQueue<CallFaultKind, string, { retryAfterMs?: number }> {
  private readonly rejections = new Rejections<RecordInput, SfError>();

  constructor() {
    // Half the random 429s say when to come back; the vendor's own do so only sometimes.
    super((kind, withHint) => (kind === 'rate_limited' && withHint ? { retryAfterMs: 1000 } : {}));
  }

  failNext(kind: CallFaultKind, options: CallFaultOptions = {}): void {
    const { endpoint, count, retryAfterMs } = options;
    this.push(kind, retryAfterMs === undefined ? {} : { retryAfterMs }, {
      ...(count === undefined ? {} : { times: count }),
      ...(endpoint === undefined ? {} : { match: (called: string) => endpoint.test(called) }),
    });
  }

  /** Records matching `predicate` fail with UNABLE_TO_LOCK_ROW on their next `times` writes. */
  lockRows(predicate: (input: RecordInput) => boolean, times = 1): void {
    const left = new Map<string, number>();
    this.rejections.add((input) => {
      if (!predicate(input)) return undefined;
      const key = input.id ?? JSON.stringify(input.values);
      const remaining = left.get(key) ?? times;
      if (remaining <= 0) return undefined;
      left.set(key, remaining - 1);
      return {
        statusCode: 'UNABLE_TO_LOCK_ROW',
        message: `unable to obtain exclusive access to this record or 1 records: ${input.id ?? 'new record'}`,
        fields: [],
      };
    });
  }

  rejectRecords(rejection: RecordRejection): void {
    this.rejections.add(rejection);
  }

  /** The next Bulk API 2.0 ingest job writes its first `afterRows` rows, then ends Failed. */
  private bulkJobFailure: { afterRows: number; message: string } | undefined;

  failNextBulkJob(
    afterRows: number,
    message = 'InternalServerError : job failed while processing',
  ): void {
    this.bulkJobFailure = { afterRows, message };
  }

  /** The failure due for the ingest job starting now, consumed. */
  takeBulkJobFailure(): { afterRows: number; message: string } | undefined {
    const failure = this.bulkJobFailure;
    this.bulkJobFailure = undefined;
    return failure;
  }

  override reset(): void {
    super.reset();
    this.rejections.reset();
    this.bulkJobFailure = undefined;
  }

  /** The fault due for this call (by its endpoint), consumed. */
  takeCallFault(endpoint: string) {
    return this.take(endpoint);
  }

  recordError(input: RecordInput): SfError | undefined {
    return this.rejections.first(input);
  }
}
