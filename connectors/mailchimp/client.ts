/**
 * Calls to one Mailchimp account ("Marketing API: Quick start", "Authentication"): the API root
 * is `https://<dc>.api.mailchimp.com/3.0`, the data centre being the end of the API key
 * (`…-us21`); an API key goes as HTTP Basic (any user name), an OAuth 2 access token as a Bearer
 * token (it does not expire, so a 401 means the connection must be fixed). Every call goes through
 * the connection's call policy; problem documents become the SDK's error codes.
 */
import type { PolicyHttpOptions } from '../sdk/define';
import { ConnectorError, type ErrorCode } from '../sdk/errors';
import type { HttpClient, QueryValue } from '../sdk/http';

export interface MailchimpClient {
  get<T>(path: string, query?: Record<string, QueryValue>): Promise<T>;
  /** `idempotent`: repeating it is harmless (an upsert by email, a tag change). */
  send<T>(
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body: unknown,
    options?: { idempotent?: boolean; endpoint?: string },
  ): Promise<T>;
}

/** The API root of a key's data centre, or undefined when the key names none. */
export function apiRootOfKey(apiKey: string): string | undefined {
  const dc = /-([a-z]{2}\d{1,3})$/.exec(apiKey.trim())?.[1];
  return dc === undefined ? undefined : `https://${dc}.api.mailchimp.com/3.0`;
}

/** The API root from the settings (a test's emulator, an OAuth app's `api_endpoint`) or the key. */
export function apiRoot(apiUrl: string | undefined, apiKey: string | undefined): string {
  if (apiUrl !== undefined) {
    const root = apiUrl.replace(/\/+$/, '');
    return root.endsWith('/3.0') ? root : `${root}/3.0`;
  }
  const fromKey = apiKey === undefined ? undefined : apiRootOfKey(apiKey);
  if (fromKey !== undefined) return fromKey;
  throw new ConnectorError(
    'auth_invalid',
    apiKey === undefined
      ? 'with an OAuth access token, give the API URL: the api_endpoint that https://login.mailchimp.com/oauth2/metadata answers for the token, followed by /3.0'
      : 'the API key does not end in its data centre (…-us21); copy the whole key from Account > Extras > API keys',
  );
}

interface ProblemDocument {
  title?: unknown;
  detail?: unknown;
}

/** The SDK's code for a Mailchimp problem document ("Errors", the error glossary). */
export function problemCode(status: number, body: unknown): ErrorCode | undefined {
  const title = typeof body === 'object' && body !== null ? (body as ProblemDocument).title : '';
  switch (status) {
    case 401:
      // API keys and OAuth tokens do not expire: a person must fix the connection.
      return 'auth_invalid';
    case 403:
      return title === 'User Disabled' ? 'auth_invalid' : 'permission_denied';
    case 429:
      return 'rate_limited';
    case 400:
      if (title === 'Member Exists') return 'duplicate';
      if (title === 'Member In Compliance State' || title === 'Forgotten Email Not Subscribed')
        return 'invalid_value';
      if (title === 'Invalid Resource') return 'invalid_value';
      return 'bad_request';
    default:
      return undefined;
  }
}

export function mailchimpClient(input: {
  root: string;
  apiKey: string | undefined;
  accessToken: string | undefined;
  http: (options: PolicyHttpOptions) => HttpClient;
}): MailchimpClient {
  const authorization =
    input.apiKey !== undefined
      ? `Basic ${Buffer.from(`syncline:${input.apiKey}`).toString('base64')}`
      : `Bearer ${input.accessToken ?? ''}`;
  const http = input.http({
    baseUrl: input.root,
    headers: () => Promise.resolve({ authorization }),
    classify: problemCode,
    // PUT and PATCH of a member by hash, DELETE, and batch subscribe with update_existing all
    // land the same member once; a POST that creates (a member, a segment) is not.
    idempotent: (method) => method !== 'POST',
  });
  return {
    get: async (path, query = {}) =>
      (await http.request<never>({ method: 'GET', path, query })).body,
    send: async (method, path, body, options = {}) =>
      (
        await http.request<never>({
          method,
          path,
          body,
          ...(options.idempotent === undefined ? {} : { idempotent: options.idempotent }),
          ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
        })
      ).body,
  };
}
