/**
 * Fault injection for the Salesforce emulator: whole-call failures (expired session,
 * REQUEST_LIMIT_EXCEEDED, 429, 5xx, a hang past the client's timeout), UNABLE_TO_LOCK_ROW on chosen
 * records, per-record rejections, and latency.
 */
import { Chaos } from '../../sdk/testing/chaos';
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

interface CallFault {
  kind: CallFaultKind;
  remaining: number;
  retryAfterMs?: number;
  endpoint?: RegExp;
}

/** Decides a record's error from its object, id (when known) and values. */
export type RecordRejection = (input: {
  object: string;
  id: string | undefined;
  values: Record<string, unknown>;
}) => SfError | undefined;

export class EmulatorFaults {
  /** Faults at random (the fault soak): see Chaos. */
  readonly chaos = new Chaos<CallFaultKind>();
  private calls: CallFault[] = [];
  private rejections: RecordRejection[] = [];
  /** Extra delay before every answer, in real ms. */
  latencyMs = 0;
  /** How long a `timeout` fault holds its answer, in real ms. */
  hangMs = 2_000;

  failNext(kind: CallFaultKind, options: CallFaultOptions = {}): void {
    this.calls.push({
      kind,
      remaining: options.count ?? 1,
      ...(options.retryAfterMs === undefined ? {} : { retryAfterMs: options.retryAfterMs }),
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    });
  }

  /** Records matching `predicate` fail with UNABLE_TO_LOCK_ROW on their next `times` writes. */
  lockRows(predicate: (input: Parameters<RecordRejection>[0]) => boolean, times = 1): void {
    const left = new Map<string, number>();
    this.rejections.push((input) => {
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
    this.rejections.push(rejection);
  }

  reset(): void {
    this.calls = [];
    this.chaos.set(undefined);
    this.rejections = [];
    this.latencyMs = 0;
  }

  private randomFault(): CallFault | undefined {
    const drawn = this.chaos.draw();
    if (drawn === undefined) return undefined;
    const { kind } = drawn;
    // Half the 429s say when to come back; the vendor's own do so only sometimes.
    return kind === 'rate_limited' && drawn.withHint
      ? { kind, remaining: 0, retryAfterMs: 1000 }
      : { kind, remaining: 0 };
  }

  /** The fault due for this call, consumed. */
  takeCallFault(endpoint: string): CallFault | undefined {
    const fault = this.calls.find(
      (candidate) => candidate.remaining > 0 && (candidate.endpoint?.test(endpoint) ?? true),
    );
    if (fault === undefined) return this.randomFault();
    fault.remaining--;
    if (fault.remaining === 0) this.calls = this.calls.filter((candidate) => candidate !== fault);
    return fault;
  }

  recordError(input: Parameters<RecordRejection>[0]): SfError | undefined {
    for (const rejection of this.rejections) {
      const error = rejection(input);
      if (error !== undefined) return error;
    }
    return undefined;
  }
}
