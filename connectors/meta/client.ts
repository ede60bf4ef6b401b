/**
 * Calls to the Graph API for one Meta connection ("Graph API: Overview", "Handling Errors",
 * "Marketing API: Rate Limiting"): `https://graph.facebook.com/{version}/…` with a system user's
 * access token as a Bearer header. Meta answers errors as `{error: {code, error_subcode, message}}`
 * and throttles with codes 4, 17, 32, 613 and 80000–80014, naming the minutes to wait in the
 * `X-Business-Use-Case-Usage` header (`estimated_time_to_regain_access`).
 *
 * Meta's Node SDK (facebook-nodejs-business-sdk) is not used: its Graph host is a constant
 * (`FacebookAdsApi.GRAPH`, https://graph.facebook.com), so it cannot be pointed at the emulator
 * unmodified, and it keeps one default account per process.
 */
import type { PolicyHttpOptions } from '../sdk/define';
import type { ErrorCode } from '../sdk/errors';
import type { HttpClient } from '../sdk/http';

export interface MetaClient {
  get<T>(path: string, query?: Record<string, string>): Promise<T>;
  send<T>(
    method: 'POST' | 'DELETE',
    path: string,
    body: Record<string, unknown>,
    options: { idempotent: boolean },
  ): Promise<T>;
}

interface MetaErrorBody {
  error?: { code?: unknown; error_subcode?: unknown; message?: unknown; error_user_msg?: unknown };
}

/** Meta's error of an answer, if it has one. */
export function metaErrorOf(
  body: unknown,
): { code: number; subcode?: number; message: string } | undefined {
  const error = (typeof body === 'object' && body !== null ? (body as MetaErrorBody) : {}).error;
  if (error === undefined || typeof error.code !== 'number') return undefined;
  const message = [error.message, error.error_user_msg]
    .filter((part) => typeof part === 'string' && part !== '')
    .join(': ');
  return {
    code: error.code,
    ...(typeof error.error_subcode === 'number' ? { subcode: error.error_subcode } : {}),
    message,
  };
}

const THROTTLING = new Set([4, 17, 32, 613]);

/** The SDK's code for a Meta error ("Handling Errors", "Rate Limiting"). */
export function metaCode(status: number, body: unknown): ErrorCode | undefined {
  const error = metaErrorOf(body);
  if (error === undefined) return undefined;
  if (THROTTLING.has(error.code) || (error.code >= 80000 && error.code <= 80014))
    return 'rate_limited';
  switch (error.code) {
    case 190:
    case 102:
      // A system user's token does not refresh: someone must give a new one.
      return 'auth_invalid';
    case 10:
    case 200:
    case 294:
      return 'permission_denied';
    case 1:
    case 2:
      return 'server_error';
    case 100:
      return status === 404 ? 'not_found' : 'bad_request';
    default:
      return undefined;
  }
}

/** The wait Meta names for a throttled call: the longest `estimated_time_to_regain_access`. */
export function regainAccessMs(
  _status: number,
  _body: unknown,
  headers: Headers,
): number | undefined {
  const header = headers.get('x-business-use-case-usage');
  if (header === null) return undefined;
  try {
    const usage = JSON.parse(header) as Record<
      string,
      { estimated_time_to_regain_access?: number }[]
    >;
    const minutes = Object.values(usage)
      .flat()
      .map((entry) => entry.estimated_time_to_regain_access ?? 0);
    return minutes.length === 0 ? undefined : Math.max(...minutes) * 60_000;
  } catch {
    return undefined;
  }
}

export function metaClient(input: {
  root: string;
  accessToken: string;
  http: (options: PolicyHttpOptions) => HttpClient;
}): MetaClient {
  const http = input.http({
    baseUrl: input.root,
    headers: () => Promise.resolve({ authorization: `Bearer ${input.accessToken}` }),
    classify: metaCode,
    retryAfter: regainAccessMs,
  });
  return {
    get: async (path, query = {}) =>
      (await http.request<never>({ method: 'GET', path, query })).body,
    send: async (method, path, body, options) =>
      (await http.request<never>({ method, path, body, idempotent: options.idempotent })).body,
  };
}
