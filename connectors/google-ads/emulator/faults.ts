/**
 * Fault injection for the Google Ads emulator: whole-call faults for the next matching calls (the
 * emulator kit's queue), answered as Google does, and conversions refused by their order id (one
 * error at that conversion's index, the others kept, as partial failure does).
 */
import {
  type CallInfo,
  type FaultOptions as KitFaultOptions,
  RecordFaultQueue,
} from '../../sdk/testing/emulator-kit';

export type GoogleAdsFaultKind =
  /** 429 RESOURCE_EXHAUSTED with quotaError RESOURCE_TEMPORARILY_EXHAUSTED and a retry delay. */
  | 'rate_limited'
  /** 500 INTERNAL (internalError INTERNAL_ERROR), or 503 UNAVAILABLE (TRANSIENT_ERROR). */
  | 'server_error'
  /** The call is held, then its connection dropped without an answer. */
  | 'timeout'
  /** 401 UNAUTHENTICATED, authenticationError OAUTH_TOKEN_EXPIRED: the access token must be renewed. */
  | 'token_expired'
  /** The call is carried out, then answered with a 502: the client cannot know it was applied. */
  | 'answer_lost';

export interface FaultDetails {
  /** rate_limited: the seconds `retryDelay` names (1 by default). */
  seconds?: number;
  /** server_error: 503 TRANSIENT_ERROR instead of 500 INTERNAL_ERROR. */
  transient?: boolean;
}

export type FaultOptions = KitFaultOptions<CallInfo, FaultDetails>;

/** Per-conversion refusals: a conversion (as sent) and the conversionUploadError code to give. */
export class GoogleAdsFaults extends RecordFaultQueue<
  GoogleAdsFaultKind,
  CallInfo,
  FaultDetails,
  Record<string, unknown>,
  string
> {}
