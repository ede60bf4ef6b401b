/**
 * Calls to the Google Ads API's REST interface for one connection ("REST interface", "Call
 * structure", "API errors", "Quotas and limits"): `https://googleads.googleapis.com/{version}/…`
 * with an OAuth access token (granted from the connection's refresh token at Google's token
 * endpoint, again when Google says it expired), the `developer-token` header and, for a client
 * account reached through a manager, `login-customer-id`. Google answers errors as
 * `{error: {code, status, details: [{errors: [{errorCode: {family: NAME}, message}]}]}}`.
 *
 * Google's Node client (google-ads-api, google-gax) speaks gRPC to a fixed host; it cannot be
 * pointed at the emulator over plain HTTP, so the REST bindings go through the SDK's HTTP client.
 */
import type { PolicyHttpOptions } from '../sdk/define';
import { ConnectorError, type ErrorCode } from '../sdk/errors';
import type { HttpClient } from '../sdk/http';
import type { TokenSession, TokenSessionOptions } from '../sdk/tokens';

export interface GoogleAdsError {
  /** `family.NAME`, as `conversionUploadError.UNPARSEABLE_GCLID`. */
  code: string;
  message: string;
  /** `conversions[3]`: the index of the repeated field's element the error is about. */
  index?: number;
  retryDelayMs?: number;
}

interface ErrorEntry {
  errorCode?: Record<string, unknown>;
  message?: unknown;
  location?: { fieldPathElements?: { fieldName?: unknown; index?: unknown }[] };
  details?: { quotaErrorDetails?: { retryDelay?: unknown } };
}

/** The Google Ads errors of a `google.rpc.Status` (an error body's `error`, or a partial failure). */
export function adsErrorsOf(status: unknown): GoogleAdsError[] {
  const details = (status as { details?: unknown } | undefined)?.details;
  if (!Array.isArray(details)) return [];
  return details.flatMap((detail: { errors?: ErrorEntry[] }) =>
    (Array.isArray(detail.errors) ? detail.errors : []).map((entry) => {
      const [family, name] = Object.entries(entry.errorCode ?? {}).at(0) ?? ['unknown', ''];
      const index = entry.location?.fieldPathElements?.at(0)?.index;
      const retryDelay = entry.details?.quotaErrorDetails?.retryDelay;
      const delay = typeof retryDelay === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(retryDelay) : null;
      return {
        code: `${family}.${String(name)}`,
        message: typeof entry.message === 'string' ? entry.message : '',
        ...(typeof index === 'number' ? { index } : {}),
        ...(delay === null ? {} : { retryDelayMs: Number(delay.at(1)) * 1000 }),
      };
    }),
  );
}

const errorsOfBody = (body: unknown): GoogleAdsError[] =>
  adsErrorsOf((body as { error?: unknown } | undefined)?.error);

/** The SDK's code for a failed Google Ads call. */
export function googleAdsCode(status: number, body: unknown): ErrorCode | undefined {
  const codes = errorsOfBody(body).map((error) => error.code);
  if (codes.includes('quotaError.RESOURCE_EXHAUSTED')) return 'budget_exhausted';
  if (codes.some((code) => code.startsWith('quotaError.'))) return 'rate_limited';
  if (codes.some((code) => /^authenticationError\.OAUTH_TOKEN_(EXPIRED|INVALID)$/.test(code)))
    return 'auth_expired';
  if (codes.some((code) => code.startsWith('authenticationError.'))) return 'auth_invalid';
  if (codes.some((code) => code.startsWith('authorizationError.'))) return 'permission_denied';
  if (codes.some((code) => code.startsWith('internalError.'))) return 'server_error';
  if (status === 400 && codes.length > 0) return 'bad_request';
  return undefined;
}

/** Google's words for a failed call: each error's code and message, its status when it has none. */
export function describeGoogleAds(body: unknown): string | undefined {
  const errors = errorsOfBody(body);
  if (errors.length === 0) return undefined;
  return errors.map((error) => `${error.code}: ${error.message}`).join('; ');
}

/** The wait Google names in a quota error (`quotaErrorDetails.retryDelay`). */
export function googleAdsRetryAfter(_status: number, body: unknown): number | undefined {
  return errorsOfBody(body).find((error) => error.retryDelayMs !== undefined)?.retryDelayMs;
}

export interface GoogleAdsClient {
  /** POST `{version}/{path}` (a customer's resource and its `:verb`). */
  post<T>(path: string, body: unknown, options: { idempotent: boolean }): Promise<T>;
  /** GAQL rows, every page. */
  search<T>(query: string): Promise<T[]>;
  /** The customer's id, digits only. */
  readonly customerId: string;
}

export function googleAdsClient(input: {
  apiRoot: string;
  tokenUrl: string;
  customerId: string;
  loginCustomerId: string | undefined;
  developerToken: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  accessToken: string | undefined;
  http: (options: PolicyHttpOptions) => HttpClient;
  tokens: (options: TokenSessionOptions) => TokenSession;
}): GoogleAdsClient {
  const auth = input.http({ baseUrl: input.tokenUrl, tokenEndpoint: true });
  const session = input.tokens({
    token: input.accessToken,
    grant: async () => {
      const answer = await auth.request<{ access_token?: unknown; expires_in?: unknown }>({
        method: 'POST',
        path: input.tokenUrl,
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          client_id: input.clientId,
          client_secret: input.clientSecret,
          refresh_token: input.refreshToken,
        }),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        idempotent: true,
        endpoint: 'POST oauth2/token',
      });
      const token = answer.body.access_token;
      if (typeof token !== 'string' || token === '')
        throw new ConnectorError(
          'auth_invalid',
          "Google's token endpoint answered without a token",
        );
      const left = answer.body.expires_in;
      return typeof left === 'number' ? { token, expiresInMs: left * 1000 } : { token };
    },
  });
  const api = input.http({
    baseUrl: input.apiRoot,
    bearer: session,
    headers: () =>
      Promise.resolve({
        'developer-token': input.developerToken,
        ...(input.loginCustomerId === undefined
          ? {}
          : { 'login-customer-id': input.loginCustomerId }),
      }),
    classify: googleAdsCode,
    describe: describeGoogleAds,
    retryAfter: googleAdsRetryAfter,
  });
  const post = async <T>(path: string, body: unknown, options: { idempotent: boolean }) =>
    (
      await api.request<T>({
        method: 'POST',
        path,
        body,
        idempotent: options.idempotent,
        endpoint: `POST ${path.replace(/\d+/g, ':id')}`,
      })
    ).body;
  return {
    customerId: input.customerId,
    post,
    search: async <T>(query: string) => {
      const rows: T[] = [];
      let pageToken: string | undefined;
      do {
        const page: { results?: T[]; nextPageToken?: string } = await post(
          `customers/${input.customerId}/googleAds:search`,
          { query, ...(pageToken === undefined ? {} : { pageToken }) },
          { idempotent: true },
        );
        rows.push(...(page.results ?? []));
        pageToken = page.nextPageToken;
      } while (pageToken !== undefined && pageToken !== '');
      return rows;
    },
  };
}
