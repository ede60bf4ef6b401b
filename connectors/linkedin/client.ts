/**
 * Calls to LinkedIn's versioned Marketing API ("LinkedIn Marketing API Versioning", "Protocol
 * Version", "API Error Handling"): `https://api.linkedin.com/rest/…` with the member's OAuth 2
 * token as a Bearer header, `LinkedIn-Version: YYYYMM` and `X-Restli-Protocol-Version: 2.0.0`;
 * a batch create is a POST with `X-RestLi-Method: BATCH_CREATE` whose answer holds one status per
 * element. LinkedIn's errors are `{status, serviceErrorCode, code, message}`.
 */
import type { PolicyHttpOptions } from '../sdk/define';
import type { ErrorCode } from '../sdk/errors';
import type { HttpClient } from '../sdk/http';

/** One element's answer in a BATCH_CREATE. */
export interface ElementAnswer {
  status: number;
  error?: { message?: string };
}

export interface LinkedInClient {
  get<T>(path: string, query: Record<string, string>): Promise<T>;
  batchCreate(path: string, elements: unknown[]): Promise<ElementAnswer[]>;
}

/** The SDK's code for a LinkedIn error answer. */
export function linkedInCode(status: number): ErrorCode | undefined {
  switch (status) {
    case 401:
      // A member's token lasts 60 days; the connection needs a new one.
      return 'auth_invalid';
    case 403:
      return 'permission_denied';
    case 426:
      // The version was sunset: the connection's apiVersion must move on.
      return 'bad_request';
    case 429:
      return 'rate_limited';
    default:
      return undefined;
  }
}

export function linkedInClient(input: {
  root: string;
  version: string;
  accessToken: string;
  http: (options: PolicyHttpOptions) => HttpClient;
}): LinkedInClient {
  const http = input.http({
    baseUrl: input.root,
    headers: () =>
      Promise.resolve({
        authorization: `Bearer ${input.accessToken}`,
        'linkedin-version': input.version,
        'x-restli-protocol-version': '2.0.0',
      }),
    classify: linkedInCode,
  });
  return {
    get: async (path, query) => (await http.request<never>({ method: 'GET', path, query })).body,
    batchCreate: async (path, elements) =>
      (
        await http.request<{ elements?: ElementAnswer[] }>({
          method: 'POST',
          path,
          body: { elements },
          headers: { 'x-restli-method': 'BATCH_CREATE' },
          // Conversions are deduplicated by eventId and streaming a user twice changes nothing.
          idempotent: true,
        })
      ).body.elements ?? [],
  };
}
