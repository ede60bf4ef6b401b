/**
 * Calls to one Marketo instance: a client-credentials token from the Identity service (renewed
 * when Marketo says it expired: 601, 602), every REST call through the connection's call policy,
 * Marketo's request-level errors read from its 200 answers, and Get requests too long for a URI
 * sent as a POST with `_method=GET` ("Error Codes", 414).
 */
import type { HttpClient, QueryValue } from '../sdk/http';
import { ConnectorError } from '../sdk/errors';
import type { PolicyHttpOptions } from '../sdk/define';
import type { TokenSession, TokenSessionOptions } from '../sdk/tokens';
import { marketoRefusal } from './errors';

/** Marketo refuses URIs over 8 KB; past this a Get goes as a POST with `_method=GET`. */
const LONG_URI = 7 * 1024;

export interface MarketoAnswer<T> {
  success: boolean;
  result?: T[];
  nextPageToken?: string;
  moreResult?: boolean;
}

export interface MarketoClient {
  get<T>(path: string, query?: Record<string, QueryValue>): Promise<MarketoAnswer<T>>;
  /** `idempotent`: repeating it is harmless (an upsert by key, a membership change). */
  post<T>(
    path: string,
    body: unknown,
    options?: { idempotent?: boolean },
  ): Promise<MarketoAnswer<T>>;
  delete<T>(path: string, body: unknown): Promise<MarketoAnswer<T>>;
}

/** `https://123-ABC-456.mktorest.com/rest` or `/identity` as Marketo's pages show them: the host. */
export function instanceBase(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/(rest|identity)$/i, '');
}

function encoded(query: Record<string, QueryValue>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    params.append(name, Array.isArray(value) ? value.join(',') : String(value));
  }
  return params;
}

export function marketoClient(input: {
  instanceUrl: string;
  /** Told when Marketo says the daily quota is spent (607); answers when it resets. */
  quotaSpent: () => Date;
  now: () => Date;
  clientId: string | undefined;
  clientSecret: string | undefined;
  http: (options: PolicyHttpOptions) => HttpClient;
  tokens: (options: TokenSessionOptions) => TokenSession;
}): MarketoClient {
  const base = instanceBase(input.instanceUrl);
  const identity = input.http({ baseUrl: `${base}/identity`, tokenEndpoint: true });
  const tokens = input.tokens({
    grant: async () => {
      // A POST with a form body (RFC 6749's token request), so the secret is in no URL.
      const answer = await identity.request<{ access_token?: unknown; expires_in?: unknown }>({
        method: 'POST',
        path: 'oauth/token',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: input.clientId ?? '',
          client_secret: input.clientSecret ?? '',
        }),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        idempotent: true,
        endpoint: 'POST /identity/oauth/token',
      });
      const token = answer.body.access_token;
      if (typeof token !== 'string' || token === '')
        throw new ConnectorError(
          'auth_invalid',
          'Marketo Identity answered without an access token',
        );
      // expires_in: the seconds the token has left (an hour when new).
      const left = answer.body.expires_in;
      return typeof left === 'number' ? { token, expiresInMs: left * 1000 } : { token };
    },
  });
  const rest = input.http({
    baseUrl: `${base}/rest`,
    bearer: tokens,
    refusal: (body) => {
      const refusal = marketoRefusal(body);
      // Spent until the reset: the run stops, and says when it may go on.
      if (refusal?.vendorCode !== '607') return refusal;
      const resets = input.quotaSpent();
      return {
        ...refusal,
        retryAfterMs: Math.max(0, resets.getTime() - input.now().getTime()),
        resetsAt: resets.toISOString(),
      };
    },
    // A POST may create (Sync Leads); a read sent as a POST and Delete Leads are safe to repeat.
    idempotent: (method, url) =>
      method !== 'POST' ||
      url.searchParams.get('_method') === 'GET' ||
      url.pathname.endsWith('/delete.json'),
  });
  const call = async <T>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    options: { query?: Record<string, QueryValue>; body?: unknown; idempotent?: boolean },
  ): Promise<MarketoAnswer<T>> => {
    const answer = await rest.request<MarketoAnswer<T>>({
      method,
      path,
      ...(options.query === undefined ? {} : { query: options.query }),
      ...(options.body === undefined ? {} : { body: options.body }),
      ...(options.idempotent === undefined ? {} : { idempotent: options.idempotent }),
    });
    return answer.body;
  };
  return {
    get: (path, query = {}) => {
      const params = encoded(query);
      if (path.length + params.toString().length < LONG_URI) return call('GET', path, { query });
      return rest
        .request<MarketoAnswer<never>>({
          method: 'POST',
          path,
          query: { _method: 'GET' },
          body: params,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          idempotent: true,
          endpoint: `GET /rest/${path}`,
        })
        .then((answer) => answer.body);
    },
    post: (path, body, options = {}) => call('POST', path, { body, ...options }),
    delete: (path, body) => call('DELETE', path, { body, idempotent: true }),
  };
}
