/**
 * Error codes shared by all connectors, and the one place that maps a code to an action
 * (like Airbyte's ResponseAction): the HTTP helper, the engine and the API all ask `actionFor`.
 */
import type { CheckResult } from './contract';

export type ErrorCode =
  /** 429 or the vendor's equivalent; wait and try again. */
  | 'rate_limited'
  /** The daily / 24 h API budget is spent; nothing will succeed until it resets. */
  | 'budget_exhausted'
  /** Access token expired or revoked but refreshable. */
  | 'auth_expired'
  /** Credentials are wrong; a person must fix the connection. */
  | 'auth_invalid'
  /** The credentials lack a permission. */
  | 'permission_denied'
  /** 5xx from the vendor. */
  | 'server_error'
  /** No answer in time. */
  | 'timeout'
  /** Connection refused, reset, DNS. */
  | 'network'
  /** The vendor rejected a record's values (unknown field, bad picklist value, bad email…). */
  | 'invalid_value'
  /** A required field is missing. */
  | 'required_field_missing'
  /** A unique key is already taken (duplicate email on create). */
  | 'duplicate'
  /** The record does not exist (anymore). */
  | 'not_found'
  /** The record is locked by another process (Salesforce UNABLE_TO_LOCK_ROW). */
  | 'locked'
  /** The request itself is malformed (our bug, or an unsupported query). */
  | 'bad_request'
  /** The run was cancelled. */
  | 'cancelled'
  /** A sync's first run waits for a person to confirm it (too few records would match). */
  | 'confirmation_required'
  | 'unknown';

export const ERROR_CODES: readonly ErrorCode[] = [
  'rate_limited',
  'budget_exhausted',
  'auth_expired',
  'auth_invalid',
  'permission_denied',
  'server_error',
  'timeout',
  'network',
  'invalid_value',
  'required_field_missing',
  'duplicate',
  'not_found',
  'locked',
  'bad_request',
  'cancelled',
  'confirmation_required',
  'unknown',
];

export type ErrorAction =
  /** Try the same call again after `afterMs` (the caller's backoff decides when absent). */
  | { kind: 'retry'; afterMs?: number }
  /** Refresh the access token, then try once more. */
  | { kind: 'refresh_auth' }
  /** Give up on this record; `retryable` says whether a later run may try it again. */
  | { kind: 'fail_record'; retryable: boolean }
  /** Stop the run: nothing else can succeed. */
  | { kind: 'fail_run' };

/** The action for a code. `retryAfterMs` is the vendor's hint (Retry-After), when it gave one. */
export function actionFor(code: ErrorCode, retryAfterMs?: number): ErrorAction {
  switch (code) {
    case 'rate_limited':
      return retryAfterMs === undefined
        ? { kind: 'retry' }
        : { kind: 'retry', afterMs: retryAfterMs };
    case 'server_error':
    case 'timeout':
    case 'network':
      return { kind: 'retry' };
    case 'auth_expired':
      return { kind: 'refresh_auth' };
    case 'locked':
      return { kind: 'fail_record', retryable: true };
    case 'invalid_value':
    case 'required_field_missing':
    case 'duplicate':
    case 'not_found':
      return { kind: 'fail_record', retryable: false };
    case 'budget_exhausted':
    case 'auth_invalid':
    case 'permission_denied':
    case 'bad_request':
    case 'cancelled':
    case 'confirmation_required':
      return { kind: 'fail_run' };
    case 'unknown':
      return { kind: 'fail_record', retryable: true };
    default: {
      const unreachable: never = code;
      return unreachable;
    }
  }
}

/** Whether a failed write with this code may succeed when tried again by a later run. */
export function isRetryable(code: ErrorCode): boolean {
  const action = actionFor(code);
  switch (action.kind) {
    case 'retry':
    case 'refresh_auth':
      return true;
    case 'fail_record':
      return action.retryable;
    case 'fail_run':
      return false;
    default: {
      const unreachable: never = action;
      return unreachable;
    }
  }
}

/** An error thrown by a connector when a whole call failed. */
export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: {
      status?: number;
      retryAfterMs?: number;
      vendorCode?: string;
      /** When a spent budget resets (ISO), where the vendor says: `budget_exhausted`. */
      resetsAt?: string;
      /** The vendor says it did nothing of the call, so even a create may be sent again. */
      notApplied?: boolean;
    } = {},
  ) {
    super(message);
  }

  get action(): ErrorAction {
    return actionFor(this.code, this.details.retryAfterMs);
  }
}

/**
 * The result of a check that threw: a connector error says why; anything else (an answer the
 * connector could not read) is a failed check with its message, never an error of the API.
 */
export function checkFailure(error: unknown): CheckResult {
  if (error instanceof ConnectorError)
    return { ok: false, code: error.code, reason: error.message };
  return {
    ok: false,
    code: 'unknown',
    reason: `The answer could not be read: ${error instanceof Error ? error.message : String(error)}`,
  };
}
