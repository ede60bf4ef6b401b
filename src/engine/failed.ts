/**
 * Failed records: per-record write failures queued for later runs with exponential backoff, and
 * marked dead (kept, listed, no longer retried) after `maxAttempts`.
 */
import type { ErrorCode } from '../../connectors/sdk/errors';
import type { Side } from './definition';
import type { FailedRecord } from './ports';

export const RETRY_BASE_MS = 60_000;
export const RETRY_MAX_MS = 6 * 60 * 60 * 1000;

/** Wait before attempt `attempts + 1`: 1 min, 2, 4, … capped at 6 h. */
export function retryDelayMs(attempts: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

export function failedKey(side: Side, recordId: string): string {
  return `${side}:${recordId}`;
}

export interface FailureInput {
  syncId: string;
  side: Side;
  recordId: string;
  errorCode: ErrorCode;
  message: string;
  operation: 'change' | 'delete';
  /** ISO. */
  now: string;
  maxAttempts: number;
  previous: FailedRecord | undefined;
}

/**
 * Errors no retry of the same version passes until a person acts in the vendor (a converted lead,
 * an approval lock, a record the integration user may not edit): given up at once, not after
 * `maxAttempts`. A newer version of the record is still tried, and a person may retry it.
 */
const GIVEN_UP_AT_ONCE: ReadonlySet<ErrorCode> = new Set(['permission_denied']);

export function nextFailedRecord(input: FailureInput): FailedRecord {
  const attempts = (input.previous?.attempts ?? 0) + 1;
  const now = Date.parse(input.now);
  return {
    syncId: input.syncId,
    side: input.side,
    recordId: input.recordId,
    attempts,
    nextAttemptAt: new Date(now + retryDelayMs(attempts)).toISOString(),
    errorCode: input.errorCode,
    message: input.message,
    dead: GIVEN_UP_AT_ONCE.has(input.errorCode) || attempts >= input.maxAttempts,
    operation: input.operation,
    firstFailedAt: input.previous?.firstFailedAt ?? input.now,
    lastFailedAt: input.now,
  };
}
