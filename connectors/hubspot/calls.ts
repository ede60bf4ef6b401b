/**
 * HubSpot's calls through the SDK's call policy (limiter, timeout, retries, budgets, counts): the
 * SDK's error turned into our code, the search endpoints' own limit, and the OAuth token refresh.
 */
import { type CallPolicy } from '../sdk/call-policy';
import type { Clock } from '../sdk/contract';
import { ConnectorError } from '../sdk/errors';
import { RateLimiter } from '../sdk/rate-limiter';
import { isApiException, toConnectorError } from './errors';
import { SEARCH_RATE_LIMIT } from './limits';
import type { Answer, HubSpotSdk } from './sdk-client';

export interface HubSpotCredentials {
  accessToken?: string;
  refreshToken?: string;
  clientId?: string;
  clientSecret?: string;
}

export interface CallSpec {
  /** For per-endpoint counts: `POST /crm/v3/objects/contacts/batch/upsert`. */
  endpoint: string;
  /** Whether repeating the call is harmless (false for creates). */
  idempotent: boolean;
  search?: boolean;
}

export class HubSpotCalls {
  private readonly searchLimiter: RateLimiter;
  private refreshing: Promise<void> | undefined;
  private hasToken: boolean;

  constructor(
    private readonly sdk: HubSpotSdk,
    private readonly policy: CallPolicy,
    private readonly credentials: HubSpotCredentials,
    private readonly clock: Clock,
  ) {
    // HubSpot counts searches in a sliding second; a bucket of one token spaced 1/4 s apart never
    // puts five in any second, where a bucket of four could (four at once, a fifth 250 ms later).
    const spacing = SEARCH_RATE_LIMIT.windowMs / SEARCH_RATE_LIMIT.limit;
    this.searchLimiter = new RateLimiter({
      clock,
      limits: [{ ...SEARCH_RATE_LIMIT, limit: 1, windowMs: spacing }],
    });
    this.hasToken = credentials.accessToken !== undefined;
  }

  get canRefresh(): boolean {
    const { refreshToken, clientId, clientSecret } = this.credentials;
    return refreshToken !== undefined && clientId !== undefined && clientSecret !== undefined;
  }

  /** One SDK call through the policy; throws a ConnectorError once retries are spent. */
  run<T>(spec: CallSpec, call: (sdk: HubSpotSdk) => Promise<Answer<T>>): Promise<T> {
    const gate = async (): Promise<void> => {
      if (!this.hasToken && this.canRefresh) await this.refresh();
      // Spacing only: the search slot is given back at once.
      if (spec.search === true) (await this.searchLimiter.acquire())();
    };
    return this.policy.run(
      { endpoint: spec.endpoint, idempotent: spec.idempotent, gate },
      async () => {
        try {
          const answer = await call(this.sdk);
          this.policy.observe(answer.headers);
          return answer.body;
        } catch (error) {
          if (isApiException(error)) this.policy.observe(error.headers);
          throw this.mapped(error, spec.endpoint, this.canRefresh);
        }
      },
    );
  }

  /** Fetches a new access token with the refresh token; concurrent callers share one refresh. */
  refresh(): Promise<void> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private mapped(error: unknown, what: string, canRefresh: boolean): unknown {
    return toConnectorError(error, { what, canRefresh, now: this.clock.now() }) ?? error;
  }

  private async doRefresh(): Promise<void> {
    const { refreshToken, clientId, clientSecret } = this.credentials;
    if (refreshToken === undefined || clientId === undefined || clientSecret === undefined)
      throw new ConnectorError(
        'auth_invalid',
        'no refresh token to renew the HubSpot access token',
      );
    this.policy.count('POST /oauth/v1/token');
    try {
      const token = await this.sdk.refreshAccessToken({ clientId, clientSecret, refreshToken });
      this.sdk.setAccessToken(token.accessToken);
      this.hasToken = true;
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
      throw this.mapped(error, 'POST /oauth/v1/token', false);
    }
  }
}
