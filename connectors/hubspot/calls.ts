/**
 * Every HubSpot call goes through here: our rate limiter (the 10 s window, the daily budget, and
 * the search limit for searches), a timeout, the SDK's error turned into our code, the one retry
 * policy (Retry-After, backoff, one token refresh), the vendor's budget headers, and call counts.
 */
import type { Clock, ConnectorLogger } from '../sdk/contract';
import { ConnectorError } from '../sdk/errors';
import { RateLimiter, type VendorBudget } from '../sdk/rate-limiter';
import { type RetryPolicy, withRetry } from '../sdk/retry';
import { parseVendorBudgets } from '../sdk/vendor-budgets';
import { isApiException, toConnectorError } from './errors';
import { SEARCH_RATE_LIMIT } from './limits';
import type { Answer, HubSpotSdk } from './sdk-client';

export interface HubSpotCredentials {
  accessToken?: string;
  refreshToken?: string;
  clientId?: string;
  clientSecret?: string;
}

export interface CallsOptions {
  clock: Clock;
  limiter: RateLimiter;
  credentials: HubSpotCredentials;
  retry?: Partial<RetryPolicy>;
  /** Real milliseconds per attempt before it counts as a timeout; 30 s by default. */
  timeoutMs?: number;
  signal?: AbortSignal;
  logger?: ConnectorLogger;
  random?: () => number;
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
  private readonly perEndpoint = new Map<string, number>();
  private readonly observed = new Map<string, VendorBudget>();
  private calls = 0;
  private refreshing: Promise<void> | undefined;
  private hasToken: boolean;

  constructor(
    private readonly sdk: HubSpotSdk,
    private readonly options: CallsOptions,
  ) {
    // HubSpot counts searches in a sliding second; a bucket of one token spaced 1/4 s apart never
    // puts five in any second, where a bucket of four could (four at once, a fifth 250 ms later).
    const spacing = SEARCH_RATE_LIMIT.windowMs / SEARCH_RATE_LIMIT.limit;
    this.searchLimiter = new RateLimiter({
      clock: options.clock,
      limits: [{ ...SEARCH_RATE_LIMIT, limit: 1, windowMs: spacing }],
    });
    this.hasToken = options.credentials.accessToken !== undefined;
  }

  get canRefresh(): boolean {
    const { refreshToken, clientId, clientSecret } = this.options.credentials;
    return refreshToken !== undefined && clientId !== undefined && clientSecret !== undefined;
  }

  callCount(): number {
    return this.calls;
  }

  callsByEndpoint(): Record<string, number> {
    return Object.fromEntries(this.perEndpoint);
  }

  budgets(): VendorBudget[] {
    return [...this.observed.values()];
  }

  /** One SDK call with everything above; throws a ConnectorError once retries are spent. */
  run<T>(spec: CallSpec, call: (sdk: HubSpotSdk) => Promise<Answer<T>>): Promise<T> {
    const { options } = this;
    return withRetry(() => this.attempt(spec, call), {
      clock: options.clock,
      policy: options.retry,
      signal: options.signal,
      refreshAuth: this.canRefresh ? () => this.refresh() : undefined,
      idempotent: spec.idempotent,
      logger: options.logger,
      random: options.random,
    });
  }

  /** Fetches a new access token with the refresh token; concurrent callers share one refresh. */
  refresh(): Promise<void> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    const { refreshToken, clientId, clientSecret } = this.options.credentials;
    if (refreshToken === undefined || clientId === undefined || clientSecret === undefined)
      throw new ConnectorError(
        'auth_invalid',
        'no refresh token to renew the HubSpot access token',
      );
    this.count('POST /oauth/v1/token');
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
      throw (
        toConnectorError(error, {
          what: 'POST /oauth/v1/token',
          canRefresh: false,
          now: this.options.clock.now(),
        }) ?? error
      );
    }
  }

  private count(endpoint: string): void {
    this.calls++;
    this.perEndpoint.set(endpoint, (this.perEndpoint.get(endpoint) ?? 0) + 1);
  }

  private observe(headers: Record<string, string>): void {
    for (const budget of parseVendorBudgets(new Headers(headers), this.options.clock.now())) {
      this.observed.set(budget.name, budget);
      this.options.limiter.observe(budget);
    }
  }

  private async attempt<T>(
    spec: CallSpec,
    call: (sdk: HubSpotSdk) => Promise<Answer<T>>,
  ): Promise<T> {
    if (!this.hasToken && this.canRefresh) await this.refresh();
    const release = await this.options.limiter.acquire(this.options.signal);
    try {
      if (spec.search === true) {
        // Spacing only: the search slot is given back at once.
        const done = await this.searchLimiter.acquire(this.options.signal);
        done();
      }
      this.count(spec.endpoint);
      const answer = await this.withTimeout(spec.endpoint, call(this.sdk));
      this.observe(answer.headers);
      return answer.body;
    } catch (error) {
      if (isApiException(error)) this.observe(error.headers);
      throw (
        toConnectorError(error, {
          what: spec.endpoint,
          canRefresh: this.canRefresh,
          now: this.options.clock.now(),
        }) ?? error
      );
    } finally {
      release();
    }
  }

  /** The SDK takes no signal, so a slow answer is abandoned (its connection is left to close). */
  private withTimeout<T>(what: string, promise: Promise<T>): Promise<T> {
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        reject(new ConnectorError('timeout', `${what} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
    });
    return Promise.race([promise, timeout]).finally(() => {
      clearTimeout(timer);
    });
  }
}
