/**
 * How an HTTP answer or a fetch failure becomes a ConnectorError code. A connector adds its
 * vendor's quirks through `classify`; these defaults follow RFC 9110 and common vendor practice.
 */
import { ConnectorError, type ErrorCode } from './errors';

/** The code for an HTTP status, or undefined for a success. */
export function classifyStatus(status: number, canRefresh: boolean): ErrorCode | undefined {
  if (status < 400) return undefined;
  switch (status) {
    case 401:
      // Only a token we can refresh is "expired"; otherwise a person must fix the credentials.
      return canRefresh ? 'auth_expired' : 'auth_invalid';
    case 403:
      return 'permission_denied';
    case 404:
    case 410:
      return 'not_found';
    case 408:
      return 'timeout';
    case 409:
      return 'duplicate';
    case 423:
      return 'locked';
    case 429:
      return 'rate_limited';
    case 400:
    case 405:
    case 406:
    case 411:
    case 413:
    case 414:
    case 415:
    case 422:
      return 'bad_request';
    default:
      return status >= 500 ? 'server_error' : 'unknown';
  }
}

/** A short, secret-free description of an error body for messages and logs. */
export function describeBody(body: unknown): string {
  if (body === undefined || body === null || body === '') return '';
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/**
 * A fetch that rejected: our timeout, the run's cancellation, or the network. `timedOut` and
 * `cancelled` are read from the signals, which is more reliable than the error's name.
 */
export function fetchFailure(
  error: unknown,
  state: { timedOut: boolean; cancelled: boolean },
  what: string,
): ConnectorError {
  if (state.cancelled) return new ConnectorError('cancelled', `${what} was cancelled`);
  if (state.timedOut) return new ConnectorError('timeout', `${what} timed out`);
  const cause =
    error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  const message = error instanceof Error ? error.message : 'fetch failed';
  return new ConnectorError('network', `${what} failed: ${message}${cause}`);
}
