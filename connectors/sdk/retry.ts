/**
 * The one retry policy of all connectors: exponential backoff with full jitter, Retry-After hints,
 * one auth refresh, caps on attempts and on total wait. What to do with an error is decided by
 * `actionFor` (errors.ts), never here.
 */
import type { Clock, ConnectorLogger } from './contract';
import { ConnectorError, type ErrorCode } from './errors';

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /** Ceiling of the first backoff; doubles with each retry. */
  baseDelayMs: number;
  /** Ceiling of any single backoff (a vendor's Retry-After is honoured even when longer). */
  maxDelayMs: number;
  /** Give up rather than wait more than this in all, Retry-After included. */
  maxTotalWaitMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  // Two minutes covers HubSpot's 10 s window and Salesforce's 429s without stalling a run for long.
  maxTotalWaitMs: 120_000,
};

export interface RetryEvent {
  attempt: number;
  error: ConnectorError;
  /** How long we wait before the next attempt; 0 for an immediate retry after an auth refresh. */
  delayMs: number;
}

export interface RetryOptions {
  clock: Clock;
  policy?: Partial<RetryPolicy>;
  signal?: AbortSignal;
  /** Refreshes the access token; called at most once per call, on `auth_expired`. */
  refreshAuth?: () => Promise<void>;
  /**
   * False when the call may have been applied although it failed (a POST that timed out): then only
   * errors that prove the vendor did nothing (429, expired token) are retried. Defaults to true.
   */
  idempotent?: boolean;
  logger?: ConnectorLogger;
  onRetry?: (event: RetryEvent) => void;
  /** Source of jitter in [0, 1); injectable for deterministic tests. */
  random?: () => number;
}

/** Codes that prove the vendor did not act on the request, so even a non-idempotent call may retry. */
const NOT_APPLIED: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['rate_limited', 'auth_expired']);

/** Full jitter (AWS architecture blog): a uniform wait in [0, min(cap, base · 2^retry)). */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/** A function, not an inline test, so the compiler does not assume `aborted` stays false across awaits. */
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

function cancelled(signal: AbortSignal | undefined): ConnectorError {
  const reason: unknown = signal?.reason;
  const message = reason instanceof Error ? reason.message : 'the call was cancelled';
  return new ConnectorError('cancelled', message);
}

/**
 * Runs `operation` until it succeeds or the policy gives up, then throws the last ConnectorError.
 * Errors that are not ConnectorErrors are bugs, not vendor trouble: they are rethrown untouched.
 */
export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...options.policy };
  const random = options.random ?? Math.random;
  const idempotent = options.idempotent ?? true;
  const { signal } = options;
  let waitedMs = 0;
  let refreshed = false;
  let retries = 0;

  for (let attempt = 1; ; attempt++) {
    if (isAborted(signal)) throw cancelled(signal);
    let error: ConnectorError;
    try {
      return await operation(attempt);
    } catch (thrown) {
      if (isAborted(signal) && !(thrown instanceof ConnectorError)) throw cancelled(signal);
      if (!(thrown instanceof ConnectorError)) throw thrown;
      error = thrown;
    }

    const action = error.action;
    let delayMs: number;
    switch (action.kind) {
      case 'retry': {
        if (!idempotent && !NOT_APPLIED.has(error.code) && error.details.notApplied !== true)
          throw error;
        delayMs = action.afterMs ?? backoffDelay(retries, policy, random);
        break;
      }
      case 'refresh_auth': {
        if (options.refreshAuth === undefined) throw error;
        if (refreshed) {
          // A fresh token rejected again means the grant itself is bad: a person must reconnect.
          throw new ConnectorError(
            'auth_invalid',
            `still unauthorised after a refresh: ${error.message}`,
            error.details,
          );
        }
        await options.refreshAuth();
        refreshed = true;
        delayMs = 0;
        break;
      }
      case 'fail_record':
      case 'fail_run':
        throw error;
      default: {
        const unreachable: never = action;
        return unreachable;
      }
    }

    if (attempt >= policy.maxAttempts) throw error;
    if (waitedMs + delayMs > policy.maxTotalWaitMs) throw error;
    options.onRetry?.({ attempt, error, delayMs });
    options.logger?.warn('retrying a vendor call', { attempt, code: error.code, delayMs });
    if (delayMs > 0) {
      try {
        await options.clock.sleep(delayMs, signal);
      } catch (sleepError) {
        if (isAborted(signal) || isAbortError(sleepError)) {
          throw cancelled(signal);
        }
        throw sleepError;
      }
      waitedMs += delayMs;
      retries++;
    }
  }
}
