/**
 * Fault injection for the emulator: whole-call faults (429 with or without Retry-After, 5xx,
 * timeouts, token expiry) for the next matching calls, and per-record rejections inside batches.
 */
import { FaultQueue, Rejections } from '../../sdk/testing/emulator-kit';
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

type RecordInput = { id?: string; properties: Record<string, unknown> };

/** Whole-call faults, latency and hangs (the emulator kit's queue), and per-record rejections. */
export class EmulatorFaults extends FaultQueue<
  EmulatorFaultKind,
  CallInfo,
  Pick<FaultOptions, 'retryAfterSeconds' | 'status'>
> {
  private readonly rejections = new Rejections<
    { input: RecordInput; type: ObjectType },
    RecordRejection
  >();

  constructor() {
    // Half the random 429s say when to come back; the vendor's own do so only sometimes.
    super((kind, withHint) =>
      kind === 'rate_limited' && withHint ? { retryAfterSeconds: 1 } : {},
    );
  }

  /** The next `times` calls matching `match` fail with `kind`. */
  next(kind: EmulatorFaultKind, options: FaultOptions = {}): void {
    const { match, times, ...details } = options;
    this.push(kind, details, {
      ...(times === undefined ? {} : { times }),
      ...(match === undefined ? {} : { match }),
    });
  }

  rejectRecords(rejector: RecordRejector): void {
    this.rejections.add(({ input, type }) => rejector(input, type));
  }

  override reset(): void {
    super.reset();
    this.rejections.reset();
  }

  rejection(input: RecordInput, type: ObjectType): RecordRejection | undefined {
    return this.rejections.first({ input, type });
  }
}
