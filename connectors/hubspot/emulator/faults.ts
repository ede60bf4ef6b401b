/**
 * Fault injection for the emulator: whole-call faults (429 with or without Retry-After, 5xx,
 * timeouts, token expiry) for the next matching calls, and per-record rejections inside batches.
 */
import { Chaos } from '../../sdk/testing/chaos';
import type { ObjectType } from './properties';

export type EmulatorFaultKind =
  | 'rate_limited'
  | 'server_error'
  | 'timeout'
  | 'token_expired'
  /** The call is carried out, then answered 502: a write the client cannot know was applied. */
  | 'answer_lost';

/** What a fault matcher sees of a call. */
export interface CallInfo {
  method: string;
  /** Path without the query. */
  path: string;
  /** `POST /crm/v3/objects/contacts/batch/upsert`, ids replaced by `:id`. */
  endpoint: string;
  query: URLSearchParams;
}

export interface FaultOptions {
  /** Seconds sent in Retry-After with a 429; none when absent (HubSpot's usual answer). */
  retryAfterSeconds?: number;
  /** The 5xx status for server_error; 502 by default. */
  status?: number;
  /** Which calls the fault hits; any call when absent. */
  match?: (call: CallInfo) => boolean;
  /** How many matching calls fail; 1 by default. */
  times?: number;
}

interface PendingFault extends FaultOptions {
  kind: EmulatorFaultKind;
  remaining: number;
}

/** A rejection for one batch input, as HubSpot's per-record error. */
export interface RecordRejection {
  category: 'VALIDATION_ERROR' | 'CONFLICT' | 'OBJECT_NOT_FOUND';
  message: string;
  code?: string;
  propertyName?: string;
}

export type RecordRejector = (
  input: { id?: string; properties: Record<string, unknown> },
  type: ObjectType,
) => RecordRejection | undefined;

export class EmulatorFaults {
  /** Faults at random (the fault soak): see Chaos. */
  readonly chaos = new Chaos<EmulatorFaultKind>();
  private queue: PendingFault[] = [];
  private rejectors: RecordRejector[] = [];
  /** Real milliseconds added before every answer. */
  latencyMs = 0;
  /** Real milliseconds a timed-out call is held before its connection is dropped. */
  hangMs = 2_000;

  /** The next `times` calls matching `match` fail with `kind`. */
  next(kind: EmulatorFaultKind, options: FaultOptions = {}): void {
    this.queue.push({ ...options, kind, remaining: options.times ?? 1 });
  }

  rejectRecords(rejector: RecordRejector): void {
    this.rejectors.push(rejector);
  }

  reset(): void {
    this.queue = [];
    this.chaos.set(undefined);
    this.rejectors = [];
    this.latencyMs = 0;
  }

  /** The fault for this call, if one is due; consumes it. */
  take(call: CallInfo): PendingFault | undefined {
    const fault = this.queue.find((candidate) => candidate.match?.(call) ?? true);
    if (fault === undefined) return this.randomFault();
    fault.remaining--;
    if (fault.remaining <= 0) this.queue.splice(this.queue.indexOf(fault), 1);
    return fault;
  }

  private randomFault(): PendingFault | undefined {
    const drawn = this.chaos.draw();
    if (drawn === undefined) return undefined;
    const { kind } = drawn;
    // Half the 429s say when to come back; the vendor's own do so only sometimes.
    return kind === 'rate_limited' && drawn.withHint
      ? { kind, remaining: 0, retryAfterSeconds: 1 }
      : { kind, remaining: 0 };
  }

  rejection(
    input: { id?: string; properties: Record<string, unknown> },
    type: ObjectType,
  ): RecordRejection | undefined {
    for (const rejector of this.rejectors) {
      const rejection = rejector(input, type);
      if (rejection !== undefined) return rejection;
    }
    return undefined;
  }
}
