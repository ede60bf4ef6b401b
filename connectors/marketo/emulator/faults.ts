/**
 * Fault injection for the Marketo emulator: whole-call faults for the next matching calls (the
 * emulator kit's queue), answered as Marketo does, and per-record rejections inside Sync Leads.
 */
import {
  type CallInfo,
  type FaultOptions as KitFaultOptions,
  RecordFaultQueue,
} from '../../sdk/testing/emulator-kit';
import type { LeadValue } from './fields';

export type MarketoFaultKind =
  /** 606: the 20-second window is spent; `forMs` keeps refusing for that long. */
  | 'rate_limited'
  /** 615: ten calls already in flight. */
  | 'concurrency'
  /** 607: the daily quota is spent. */
  | 'quota'
  /** 611 (or `code` 604, 608, 713) with HTTP 200, or an HTTP `status` (502) from the gateway. */
  | 'server_error'
  /** The call is held, then its connection dropped without an answer. */
  | 'timeout'
  /** The access token has expired (602). */
  | 'token_expired'
  /** The call is carried out, then answered with a 502: the client cannot know it was applied. */
  | 'answer_lost';

export type { CallInfo } from '../../sdk/testing/emulator-kit';

export interface FaultDetails {
  /** rate_limited: keep answering 606 for this long (emulator clock), as a spent window does. */
  forMs?: number;
  /** server_error: the response-level code (611 by default). */
  code?: '604' | '608' | '611' | '713';
  /** server_error: an HTTP status instead of a response-level error. */
  status?: number;
}

export type FaultOptions = KitFaultOptions<CallInfo, FaultDetails>;

/** Why Sync Leads skips one record: Marketo's record-level reason. */
export interface RecordReason {
  code: string;
  message: string;
}

export class MarketoFaults extends RecordFaultQueue<
  MarketoFaultKind,
  CallInfo,
  FaultDetails,
  Record<string, LeadValue>,
  RecordReason
> {}
