/**
 * Marketo's errors ("Error Codes") in the SDK's words: a request-level error (HTTP 200,
 * `success: false`) becomes a refusal the call policy retries, refreshes or throws; a record-level
 * reason (`status: skipped`) becomes that record's WriteError.
 */
import type { WriteError } from '../sdk/contract';
import type { ErrorCode } from '../sdk/errors';
import { isRetryable } from '../sdk/errors';
import type { Refusal } from '../sdk/http';

/** A value from Marketo's JSON as text (codes and messages are strings; a number is written out). */
export function wireText(value: unknown, fallback = ''): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === undefined || value === null ? fallback : JSON.stringify(value);
}

/** Marketo's rate window: after a 606, its calls free up within 20 seconds. */
export const RATE_WINDOW_MS = 20_000;

interface MarketoReason {
  code?: unknown;
  message?: unknown;
}

/** The code for a request-level error. */
export function requestErrorCode(code: string): ErrorCode {
  switch (code) {
    case '601': // token invalid: a client-credentials connection can always ask for another
    case '602': // token expired
      return 'auth_expired';
    case '603':
      return 'permission_denied';
    case '604': // request time-out
    case '608': // API temporarily unavailable
    case '611': // system error
    case '614': // subscription temporarily unreachable
    case '713': // transient error
      return 'server_error';
    case '606': // 100 calls per 20 s
    case '615': // 10 concurrent calls
      return 'rate_limited';
    case '607':
      return 'budget_exhausted';
    case '702':
    case '1013':
      return 'not_found';
    default:
      // 605, 609, 610, 612, 613, 701, 704, 1003, 1006, 1011…: the request itself is wrong.
      return /^(6|7)\d\d$|^1\d{3}$/.test(code) ? 'bad_request' : 'unknown';
  }
}

/** The refusal a Marketo answer holds, or undefined when it succeeded. */
export function marketoRefusal(body: unknown): Refusal | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const answer = body as { success?: unknown; errors?: unknown };
  if (answer.success !== false) return undefined;
  const first = (Array.isArray(answer.errors) ? answer.errors[0] : undefined) as
    MarketoReason | undefined;
  const vendorCode = wireText(first?.code);
  const message = `${vendorCode} ${wireText(first?.message, 'request failed')}`.trim();
  const code = requestErrorCode(vendorCode);
  return {
    code,
    message,
    vendorCode,
    // "A 6xx code indicates that the entire request failed and was not executed" (Error Codes).
    ...(/^6\d\d$/.test(vendorCode) ? { notApplied: true } : {}),
    ...(vendorCode === '606' ? { retryAfterMs: RATE_WINDOW_MS } : {}),
  };
}

/** The field a reason's message names (`Field 'x' not found`, `… for field 'x'`). */
function fieldOf(message: string): string[] | undefined {
  const named = /[Ff]ield '([^']+)'/.exec(message);
  return named?.[1] === undefined ? undefined : [named[1]];
}

function reasonCode(code: string): ErrorCode {
  switch (code) {
    case '1001':
    case '1003':
    case '1006':
    case '1011':
      return 'invalid_value';
    case '1002':
      return 'required_field_missing';
    case '1004':
    case '1013':
    case '1015':
      return 'not_found';
    case '1005':
    case '1007':
    case '1036':
      return 'duplicate';
    case '1008':
    case '1010':
      return 'permission_denied';
    default:
      return 'unknown';
  }
}

/** A record's `reasons` as its WriteError. */
export function recordError(reasons: unknown): WriteError {
  const first = (Array.isArray(reasons) ? reasons[0] : undefined) as MarketoReason | undefined;
  const vendorCode = wireText(first?.code);
  const message = `${vendorCode} ${wireText(first?.message, 'skipped by Marketo')}`.trim();
  const code = reasonCode(vendorCode);
  const fields = fieldOf(message);
  return {
    code,
    message,
    retryable: isRetryable(code),
    ...(fields === undefined ? {} : { fields }),
  };
}
