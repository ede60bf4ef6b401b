/**
 * Fault injection for the Mailchimp emulator: whole-call faults for the next matching calls (the
 * emulator kit's queue), answered as Mailchimp does, and per-member rejections inside writes.
 */
import {
  type CallInfo,
  type FaultOptions as KitFaultOptions,
  RecordFaultQueue,
} from '../../sdk/testing/emulator-kit';
import type { FieldProblem } from './problems';

export type MailchimpFaultKind =
  /** 429 Too Many Requests; `forMs` keeps refusing for that long (Mailchimp names no wait). */
  | 'rate_limited'
  /** A 500 problem document, or an HTTP `status` (502, 503) from the edge. */
  | 'server_error'
  /** The call is held, then its connection dropped without an answer. */
  | 'timeout'
  /** The API key or token was revoked: 401 API Key Invalid. */
  | 'key_revoked'
  /** The call is carried out, then answered with a 502: the client cannot know it was applied. */
  | 'answer_lost';

export type { CallInfo } from '../../sdk/testing/emulator-kit';

export interface FaultDetails {
  /** rate_limited: keep answering 429 for this long (emulator clock). */
  forMs?: number;
  /**
   * rate_limited: a Retry-After header (seconds) on the first 429. Mailchimp documents none; the
   * contract kit uses it for a vendor that names its wait.
   */
  retryAfterS?: number;
  /** server_error: an HTTP status from the edge instead of Mailchimp's own 500. */
  status?: number;
}

export type FaultOptions = KitFaultOptions<CallInfo, FaultDetails>;

export class MailchimpFaults extends RecordFaultQueue<
  MailchimpFaultKind,
  CallInfo,
  FaultDetails,
  Record<string, unknown>,
  FieldProblem
> {}
