/**
 * HubSpot's errors as our codes: whole-call failures (the SDK's ApiException, fetch failures) and
 * the per-record errors of a 207 batch answer.
 */
import { ConnectorError, type ErrorCode, isRetryable } from '../sdk/errors';
import { classifyStatus } from '../sdk/http-errors';
import type { WriteError, WriteResult } from '../sdk/contract';
import { parseRetryAfter } from '../sdk/vendor-budgets';
import { HUBSPOT } from './limits';
import type { WireError } from './sdk-client';

/** The SDK's ApiException, by shape: each generated module has its own class. */
export interface ApiExceptionShape {
  code: number;
  body: unknown;
  headers: Record<string, string>;
}

export function isApiException(error: unknown): error is Error & ApiExceptionShape {
  return (
    error instanceof Error &&
    typeof (error as Partial<ApiExceptionShape>).code === 'number' &&
    'body' in error &&
    typeof (error as Partial<ApiExceptionShape>).headers === 'object'
  );
}

function field(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

function header(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers))
    if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/**
 * How long to wait after a 429: Retry-After when HubSpot sends it; otherwise the policy's window
 * (HubSpot usually sends none: a rolling 10 s window frees up within its interval, search within 1 s).
 */
function rateLimitWait(message: string, headers: Record<string, string>, now: Date): number {
  const retryAfter = parseRetryAfter(header(headers, 'retry-after') ?? null, now);
  if (retryAfter !== undefined) return retryAfter;
  if (/secondly limit/i.test(message) && !/ten_secondly/i.test(message)) return 1_000;
  const interval = Number(header(headers, 'x-hubspot-ratelimit-interval-milliseconds'));
  return Number.isFinite(interval) && interval > 0 ? interval : HUBSPOT.intervalMs;
}

/** The ConnectorError for a failed SDK call; undefined for errors that are our own bugs. */
export function toConnectorError(
  error: unknown,
  context: { what: string; canRefresh: boolean; now: Date },
): ConnectorError | undefined {
  if (error instanceof ConnectorError) return error;
  if (isApiException(error)) {
    const status = error.code;
    const message = field(error.body, 'message') ?? error.message;
    const category = field(error.body, 'category');
    const text = `${context.what} answered ${status}${category === undefined ? '' : ` ${category}`}: ${message}`;
    if (status === 429) {
      const dailyRemaining = header(error.headers, 'x-hubspot-ratelimit-daily-remaining');
      if (/daily limit/i.test(message) || dailyRemaining === '0')
        return new ConnectorError('budget_exhausted', text, { status, vendorCode: 'DAILY' });
      return new ConnectorError('rate_limited', text, {
        status,
        retryAfterMs: rateLimitWait(message, error.headers, context.now),
      });
    }
    const code: ErrorCode =
      status === 401 && !context.canRefresh
        ? 'auth_invalid'
        : (classifyStatus(status, context.canRefresh) ?? 'unknown');
    return new ConnectorError(
      code,
      text,
      category === undefined ? { status } : { status, vendorCode: category },
    );
  }
  if (
    error instanceof Error &&
    (error.name === 'FetchError' || /ECONNRESET|ECONNREFUSED|socket hang up/.test(error.message))
  )
    return new ConnectorError('network', `${context.what} failed: ${error.message}`);
  return undefined;
}

/** A 207 batch error as the per-record WriteError. */
export function toWriteError(error: WireError): WriteError {
  let code: ErrorCode;
  switch (error.category) {
    case 'VALIDATION_ERROR': {
      const codes = error.errors.map((detail) => detail.code ?? '');
      // Unknown property, option not in the enumeration, invalid email, read-only value…
      code = codes.some(
        (item) => item === 'REQUIRED_PROPERTY' || item === 'MISSING_REQUIRED_PROPERTY',
      )
        ? 'required_field_missing'
        : 'invalid_value';
      break;
    }
    case 'CONFLICT':
      code = 'duplicate';
      break;
    case 'OBJECT_NOT_FOUND':
      code = 'not_found';
      break;
    case 'RATE_LIMITS':
      code = 'rate_limited';
      break;
    default:
      code = 'unknown';
  }
  const fields = [
    ...new Set([
      ...(error.context['propertyName'] ?? []),
      ...error.errors.flatMap((detail) => detail.context?.['propertyName'] ?? []),
    ]),
  ];
  const details = error.errors
    .map((detail) => detail.message)
    .filter((message) => message !== error.message);
  const message = [error.message, ...details].join(' ');
  return fields.length > 0
    ? { code, message, retryable: isRetryable(code), fields }
    : { code, message, retryable: isRetryable(code) };
}

/**
 * A refused call made through the SDK's generic request, shaped as the SDK's own ApiException
 * (`code`, `body`, `headers`), so HubSpot's errors read the same whichever way the call went.
 */
export class SubscriptionRefusal extends Error {
  readonly body: unknown;

  constructor(
    readonly code: number,
    text: string,
    readonly headers: Record<string, string>,
  ) {
    super(`HubSpot answered ${String(code)}: ${text.slice(0, 300)}`);
    try {
      this.body = JSON.parse(text) as unknown;
    } catch {
      this.body = text;
    }
  }
}

/** A write's failure result, with the record's id when it has one. */
export function failed(error: ConnectorError, id?: string): WriteResult {
  const result: WriteResult = {
    status: 'failed',
    error: { code: error.code, message: error.message, retryable: isRetryable(error.code) },
  };
  if (id !== undefined) result.id = id;
  return result;
}
