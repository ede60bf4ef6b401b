/**
 * The HTTP helper every HTTP connector shares, on Node's global fetch: auth headers, timeouts,
 * the one retry policy (Retry-After, backoff, token refresh), the connection's rate limiter,
 * vendor budget headers, and call counts. `client.fetch` applies the same to official SDKs.
 */
import { CallPolicy } from './call-policy';
import type { Clock, ConnectorLogger } from './contract';
import { ConnectorError, type ErrorCode } from './errors';
import { classifyStatus, describeBody, fetchFailure } from './http-errors';
import type { RateLimiter, VendorBudget } from './rate-limiter';
import type { RetryPolicy } from './retry';
import type { TokenSession } from './tokens';
import { type BudgetHeader, parseRetryAfter } from './vendor-budgets';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

export type QueryValue = string | number | boolean | readonly (string | number)[] | undefined;

export interface HttpRequest {
  method: HttpMethod;
  /** Relative to `baseUrl`, or an absolute URL (a vendor's next-page link). */
  path: string;
  query?: Record<string, QueryValue>;
  /** Sent as JSON; a string or URLSearchParams is sent as is. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Name for per-endpoint counts; defaults to the method and path with ids replaced by `:id`. */
  endpoint?: string;
  /** Whether repeating the call is harmless; defaults to true for GET, HEAD, PUT and DELETE. */
  idempotent?: boolean;
}

export interface HttpResponse<T> {
  status: number;
  headers: Headers;
  /** Parsed JSON, text, or undefined when empty; its shape is the caller's to check. */
  body: T;
}

export interface HttpClientOptions {
  baseUrl: string;
  clock: Clock;
  logger?: ConnectorLogger;
  rateLimiter?: RateLimiter;
  /** Per attempt; defaults to 30 s. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Auth and other headers, asked before every attempt so that a refreshed token is used. */
  headers?: () => Promise<Record<string, string>>;
  /** Refreshes the access token after a 401. */
  onUnauthorized?: () => Promise<void>;
  /** The vendor's own mapping of an error answer to a code; undefined falls back to the status. */
  classify?: (status: number, body: unknown, headers: Headers) => ErrorCode | undefined;
  /**
   * When to try an error answer again (ms), where the vendor says so other than by Retry-After
   * (Meta's usage header); a Retry-After header wins.
   */
  retryAfter?: (status: number, body: unknown, headers: Headers) => number | undefined;
  /**
   * For a vendor that answers 200 with its error in the body (Marketo's `success: false`): the
   * refusal a successful answer's body holds, else undefined. Retried, refreshed or thrown as its
   * code says, as an error status would be.
   */
  refusal?: (body: unknown) => Refusal | undefined;
  /** The vendor's own words for an error answer, said in place of its raw (cut) body. */
  describe?: (body: unknown) => string | undefined;
  /** Aborts everything (the run was cancelled). */
  signal?: AbortSignal;
  /** Jitter source for the retry policy. */
  random?: () => number;
  /** The budget headers the vendor sends (from the connector's limits). */
  budgetHeaders?: readonly BudgetHeader[];
  /**
   * Whether repeating a call is harmless, per operation: the vendor's word (an update by id or an
   * upsert by key is, whatever its method; a create is not). Absent: by method, as HTTP has it.
   */
  idempotent?: (method: string, url: URL) => boolean;
  /** A policy shared with the connection's other clients (limiter, counts, budgets, refresh). */
  policy?: CallPolicy;
  /** Sends `Authorization: Bearer` with the session's current token. */
  bearer?: TokenSession;
  /** The vendor's token endpoint: a 401 there is not answered by asking it for a token again. */
  tokenEndpoint?: boolean;
}

/** An error a vendor reports inside a successful answer. */
export interface Refusal {
  code: ErrorCode;
  message: string;
  /** When to try again, where the vendor's rules say (a rate window's length). */
  retryAfterMs?: number;
  vendorCode?: string;
  /** When a spent budget resets (ISO). */
  resetsAt?: string;
  /** The vendor says it did nothing of the call (it may be sent again, even a create). */
  notApplied?: boolean;
}

export interface HttpClient {
  request<T = unknown>(request: HttpRequest): Promise<HttpResponse<T>>;
  /** A fetch with the same auth, rate limiting, retry and counting, for official SDKs. */
  readonly fetch: typeof fetch;
  /** Attempts sent to the vendor, retries included. */
  callCount(): number;
  callsByEndpoint(): Record<string, number>;
  /** The vendor's latest budget figures from its headers. */
  budgets(): VendorBudget[];
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** `GET /crm/v3/objects/contacts/:id` — ids vary, endpoints should not. Version segments stay. */
export function endpointKey(method: string, url: URL): string {
  const path = url.pathname
    .split('/')
    .map((segment) => (/\d/.test(segment) && !/^v\d+(\.\d+)?$/.test(segment) ? ':id' : segment))
    .join('/');
  return `${method.toUpperCase()} ${path}`;
}

export function buildUrl(
  baseUrl: string,
  path: string,
  query: Record<string, QueryValue> = {},
): URL {
  const url = /^https?:\/\//.test(path)
    ? new URL(path)
    : new URL(path.replace(/^\//, ''), baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const values: readonly (string | number | boolean)[] = Array.isArray(value)
      ? (value as readonly (string | number)[])
      : [value as string | number | boolean];
    for (const item of values) url.searchParams.append(name, String(item));
  }
  return url;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  if ((response.headers.get('content-type') ?? '').includes('json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

interface Attempt {
  url: URL;
  method: string;
  headers: Headers;
  body: RequestInit['body'];
  endpoint: string;
  signal?: AbortSignal;
  /** Receives each error answer unread, for `client.fetch` to hand the last one back to an SDK. */
  onErrorAnswer?: (response: Response) => void;
}

/** The headers of the client's authentication: its bearer token and its own headers. */
async function authHeaders(options: HttpClientOptions): Promise<Record<string, string>> {
  const token = await options.bearer?.token();
  const own = (await options.headers?.()) ?? {};
  return token === undefined ? own : { authorization: `Bearer ${token}`, ...own };
}

/**
 * One try of a call: the answer when it is a success the vendor did not refuse in its body, else
 * a ConnectorError classified from the status and body (the policy decides whether to try again).
 */
async function send(
  options: HttpClientOptions,
  policy: CallPolicy,
  attempt: Attempt,
  signal: AbortSignal,
): Promise<Response> {
  const headers = new Headers(attempt.headers);
  for (const [name, value] of Object.entries(await authHeaders(options))) headers.set(name, value);
  const signals = [signal, attempt.signal].filter((each) => each !== undefined);
  const what = `${attempt.method} ${attempt.url.pathname}`;
  let response: Response;
  try {
    response = await fetch(attempt.url, {
      method: attempt.method,
      headers,
      body: attempt.body,
      signal: AbortSignal.any(signals),
    });
  } catch (error) {
    // The policy aborts with its own timeout error; a cancelled run or caller aborts otherwise.
    if (signal.reason instanceof ConnectorError) throw signal.reason;
    const cancelled = signal.aborted || attempt.signal?.aborted === true;
    throw fetchFailure(error, { timedOut: false, cancelled }, what);
  }
  policy.observe(response.headers);
  if (response.ok) {
    const refusal =
      options.refusal === undefined ? undefined : options.refusal(await readBody(response.clone()));
    if (refusal === undefined) return response;
    throw new ConnectorError(refusal.code, `${what} refused: ${refusal.message}`, {
      status: response.status,
      ...(refusal.retryAfterMs === undefined ? {} : { retryAfterMs: refusal.retryAfterMs }),
      ...(refusal.vendorCode === undefined ? {} : { vendorCode: refusal.vendorCode }),
      ...(refusal.resetsAt === undefined ? {} : { resetsAt: refusal.resetsAt }),
      ...(refusal.notApplied === true ? { notApplied: true } : {}),
    });
  }
  const body = await readBody(attempt.onErrorAnswer === undefined ? response : response.clone());
  attempt.onErrorAnswer?.(response);
  const code =
    options.classify?.(response.status, body, response.headers) ??
    classifyStatus(response.status, options.tokenEndpoint !== true && policy.canRefresh);
  const retryAfterMs =
    parseRetryAfter(response.headers.get('retry-after'), options.clock.now()) ??
    options.retryAfter?.(response.status, body, response.headers);
  throw new ConnectorError(
    code ?? 'unknown',
    `${what} answered ${response.status} ${options.describe?.(body) ?? describeBody(body)}`.trim(),
    retryAfterMs === undefined
      ? { status: response.status }
      : { status: response.status, retryAfterMs },
  );
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const policy =
    options.policy ?? new CallPolicy({ ...options, refreshAuth: options.onUnauthorized });
  const refresh = options.tokenEndpoint !== true;

  const isIdempotent = (method: string, url: URL): boolean =>
    options.idempotent?.(method, url) ?? IDEMPOTENT_METHODS.has(method.toUpperCase());

  const retrying = (idempotent: boolean, attempt: Attempt): Promise<Response> =>
    policy.run({ endpoint: attempt.endpoint, idempotent, refresh }, (signal) =>
      send(options, policy, attempt, signal),
    );

  const request = async <T>(call: HttpRequest): Promise<HttpResponse<T>> => {
    const url = buildUrl(options.baseUrl, call.path, call.query);
    const headers = new Headers({ accept: 'application/json', ...call.headers });
    let body: RequestInit['body'];
    if (typeof call.body === 'string' || call.body instanceof URLSearchParams) body = call.body;
    else if (call.body !== undefined) {
      body = JSON.stringify(call.body);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
    const endpoint = call.endpoint ?? endpointKey(call.method, url);
    const idempotent = call.idempotent ?? isIdempotent(call.method, url);
    const response = await retrying(idempotent, {
      url,
      method: call.method,
      headers,
      body,
      endpoint,
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await readBody(response)) as T,
    };
  };

  const wrappedFetch = async (
    input: string | URL | Request,
    init?: RequestInit,
  ): Promise<Response> => {
    const incoming = new Request(input, init);
    // Buffered so that every retry can send the body again.
    const body = incoming.body === null ? undefined : await incoming.arrayBuffer();
    const url = new URL(incoming.url);
    let lastAnswer: Response | undefined;
    const attempt: Attempt = {
      url,
      method: incoming.method,
      headers: new Headers(incoming.headers),
      body,
      endpoint: endpointKey(incoming.method, url),
      signal: incoming.signal,
      onErrorAnswer: (response) => {
        // Unread bodies hold their connection; only the last answer is kept.
        void lastAnswer?.body?.cancel().catch(() => undefined);
        lastAnswer = response;
      },
    };
    try {
      const response = await retrying(isIdempotent(incoming.method, url), attempt);
      void lastAnswer?.body?.cancel().catch(() => undefined);
      return response;
    } catch (error) {
      // Once retries are spent, an SDK expects the vendor's answer (its own error handling reads it).
      if (
        error instanceof ConnectorError &&
        error.details.status !== undefined &&
        lastAnswer !== undefined
      ) {
        return lastAnswer;
      }
      throw error;
    }
  };

  return {
    request,
    fetch: wrappedFetch,
    callCount: () => policy.callCount(),
    callsByEndpoint: () => policy.callsByEndpoint(),
    budgets: () => policy.budgets(),
  };
}
