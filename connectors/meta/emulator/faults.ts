/**
 * Fault injection for the Meta emulator: whole-call faults for the next matching calls (the
 * emulator kit's queue), answered as Meta does, and events refused by their id (Meta then fails
 * the whole request, as it does for any invalid event).
 */
import {
  type CallInfo,
  type FaultOptions as KitFaultOptions,
  RecordFaultQueue,
} from '../../sdk/testing/emulator-kit';

export type MetaFaultKind =
  /** Throttled: code 17 (80003 on custom audiences) with the usage header's wait. */
  | 'rate_limited'
  /** Code 2, "Service temporarily unavailable", with a 503; or code 1 with a 500. */
  | 'server_error'
  /** The call is held, then its connection dropped without an answer. */
  | 'timeout'
  /** Code 190: the access token expired or was revoked. */
  | 'token_invalid'
  /** The call is carried out, then answered with a 502: the client cannot know it was applied. */
  | 'answer_lost';

export interface FaultDetails {
  /** rate_limited: the minutes `estimated_time_to_regain_access` names (0 by default). */
  minutes?: number;
  /** server_error: 500 with code 1 instead of 503 with code 2. */
  unknown?: boolean;
}

export type FaultOptions = KitFaultOptions<CallInfo, FaultDetails>;

/** Per-event rejections: an event id and the reason Meta gives. */
export class MetaFaults extends RecordFaultQueue<
  MetaFaultKind,
  CallInfo,
  FaultDetails,
  Record<string, unknown>,
  string
> {}
