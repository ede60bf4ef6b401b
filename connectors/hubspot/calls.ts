/**
 * HubSpot's calls through the SDK's call policy (limiter, timeout, retries, budgets, the search
 * endpoints' own limit, counts): the SDK's error turned into our code, and the OAuth token grant.
 */
import type { CallPolicy, CallSpec, SdkBridge } from '../sdk/call-policy';
import type { Clock } from '../sdk/contract';
import type { GrantedToken } from '../sdk/tokens';
import { isApiException, toConnectorError } from './errors';
import type { Answer, HubSpotSdk } from './sdk-client';

/** How @hubspot/api-client's errors read: the answer's headers, and our code for them. */
function bridge(what: string, clock: Clock): SdkBridge {
  return {
    headersOf: (error) => (isApiException(error) ? error.headers : undefined),
    mapError: (error, canRefresh) =>
      toConnectorError(error, { what, canRefresh, now: clock.now() }) ?? error,
  };
}

/** HubSpot's calls through the policy: the answer's budget headers read, errors mapped. */
export interface HubSpotCalls {
  /** One SDK call; throws a ConnectorError once retries are spent. */
  run<T>(spec: CallSpec, call: (sdk: HubSpotSdk) => Promise<Answer<T>>): Promise<T>;
}

export function hubspotCalls(sdk: HubSpotSdk, policy: CallPolicy, clock: Clock): HubSpotCalls {
  return {
    run: (spec, call) => policy.viaSdk(spec, () => call(sdk), bridge(spec.endpoint, clock)),
  };
}

/** A new access token from the OAuth app's refresh token; undefined without one (a private app). */
export function hubspotGrant(
  sdk: HubSpotSdk,
  policy: CallPolicy,
  credentials: { refreshToken?: string; clientId?: string; clientSecret?: string },
  clock: Clock,
): (() => Promise<GrantedToken>) | undefined {
  const { refreshToken, clientId, clientSecret } = credentials;
  if (refreshToken === undefined || clientId === undefined || clientSecret === undefined)
    return undefined;
  // HubSpot's refresh tokens do not rotate: asking again after a failure is harmless.
  const spec = { endpoint: 'POST /oauth/v1/token', idempotent: true, refresh: false };
  return async () => {
    const token = await policy.viaSdk(
      spec,
      async () => ({
        body: await sdk.refreshAccessToken({ clientId, clientSecret, refreshToken }),
        headers: {},
      }),
      bridge(spec.endpoint, clock),
    );
    // expires_in: seconds (HubSpot's OAuth guide: access tokens last 30 minutes).
    return { token: token.accessToken, expiresInMs: token.expiresIn * 1000 };
  };
}
