/**
 * HubSpot's calls through the SDK's call policy (limiter, timeout, retries, budgets, the search
 * endpoints' own limit, counts): the SDK's error turned into our code, and the OAuth token grant.
 */
import type { CallPolicy, CallSpec } from '../sdk/call-policy';
import type { Clock } from '../sdk/contract';
import { ConnectorError } from '../sdk/errors';
import { isApiException, toConnectorError } from './errors';
import type { Answer, HubSpotSdk } from './sdk-client';

/** HubSpot's calls: each through the call policy, the answer's budget headers read, errors mapped. */
export class HubSpotCalls {
  constructor(
    private readonly sdk: HubSpotSdk,
    private readonly policy: CallPolicy,
    private readonly clock: Clock,
  ) {}

  /** One SDK call through the policy; throws a ConnectorError once retries are spent. */
  run<T>(spec: CallSpec, call: (sdk: HubSpotSdk) => Promise<Answer<T>>): Promise<T> {
    return this.policy.run(spec, async () => {
      try {
        const answer = await call(this.sdk);
        this.policy.observe(answer.headers);
        return answer.body;
      } catch (error) {
        if (isApiException(error)) this.policy.observe(error.headers);
        const context = { what: spec.endpoint, canRefresh: this.policy.canRefresh };
        throw toConnectorError(error, { ...context, now: this.clock.now() }) ?? error;
      }
    });
  }
}

/** A new access token from the OAuth app's refresh token; undefined without one (a private app). */
export function hubspotGrant(
  sdk: HubSpotSdk,
  policy: CallPolicy,
  credentials: { refreshToken?: string; clientId?: string; clientSecret?: string },
  clock: Clock,
): (() => Promise<string>) | undefined {
  const { refreshToken, clientId, clientSecret } = credentials;
  if (refreshToken === undefined || clientId === undefined || clientSecret === undefined)
    return undefined;
  const what = 'POST /oauth/v1/token';
  return async () => {
    policy.count(what);
    try {
      const token = await sdk.refreshAccessToken({ clientId, clientSecret, refreshToken });
      sdk.setAccessToken(token.accessToken);
      return token.accessToken;
    } catch (error) {
      // A refused refresh token means a person must reconnect the portal.
      if (isApiException(error) && error.code >= 400 && error.code < 500)
        throw new ConnectorError(
          'auth_invalid',
          `HubSpot refused the refresh token (${error.code})`,
          {
            status: error.code,
          },
        );
      throw toConnectorError(error, { what, canRefresh: false, now: clock.now() }) ?? error;
    }
  };
}
