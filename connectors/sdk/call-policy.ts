/**
 * The one call policy around every vendor call, whatever makes it (our HTTP client, an official
 * SDK without a fetch hook): the connection's rate limiter, a timeout per attempt, retries with
 * Retry-After and backoff, one token refresh, the vendor's budget headers as its limits declare
 * them, and counts per endpoint.
 */
import type { Clock, ConnectorLogger, RateLimitSpec } from './contract';
import type { CallStats } from './define';
import { ConnectorError } from './errors';
import { RateLimiter, type VendorBudget } from './rate-limiter';
import { type RetryPolicy, withRetry } from './retry';
import type { TokenSession } from './tokens';
import { type BudgetHeader, parseVendorBudgets } from './vendor-budgets';

const DEFAULT_TIMEOUT_MS = 30_000;

export interface CallPolicyOptions {
  clock: Clock;
  rateLimiter?: RateLimiter;
  /** Per attempt; 30 s by default. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Renews the access token after `auth_expired` (once per call). */
  refreshAuth?: () => Promise<void>;
  /** The budget headers the vendor sends (from the connector's limits). */
  budgetHeaders?: readonly BudgetHeader[];
  /** Limits of families of endpoints (from the connector's limits), by family. */
  familyLimits?: Readonly<Record<string, RateLimitSpec>>;
  /** Aborts everything (the run was cancelled). */
  signal?: AbortSignal;
  logger?: ConnectorLogger;
  /** Jitter source for the retry policy. */
  random?: () => number;
}

export interface CallSpec {
  /** For per-endpoint counts: `POST /crm/v3/objects/contacts/batch/upsert`. */
  endpoint: string;
  /** Whether repeating the call is harmless (false for creates). */
  idempotent: boolean;
  /** The family of endpoints whose own limit this call counts against (the limits name it). */
  family?: string;
  /** False for the token endpoint itself: an expired token is not renewed by asking it again. */
  refresh?: boolean;
}

/**
 * One attempt: gets a signal that aborts at the timeout or on cancellation, and throws a
 * ConnectorError (the vendor's error mapped to our code) when the vendor refuses.
 */
export type Attempt<T> = (signal: AbortSignal) => Promise<T>;

/** What an SDK call answers: its body, and the headers the SDK exposes. */
export interface SdkAnswer<T> {
  body: T;
  headers: Headers | Record<string, string>;
}

/** How an SDK's errors read: their answer's headers, and the ConnectorError they mean. */
export interface SdkBridge {
  headersOf(error: unknown): Headers | Record<string, string> | undefined;
  mapError(error: unknown, canRefresh: boolean): unknown;
}

export class CallPolicy implements CallStats {
  private readonly options: CallPolicyOptions;
  private readonly perEndpoint = new Map<string, number>();
  private readonly observed = new Map<string, VendorBudget>();
  private calls = 0;
  private readonly families = new Map<string, RateLimiter>();
  private session: TokenSession | undefined;

  constructor(options: CallPolicyOptions) {
    this.options = { ...options };
  }

  /**
   * The connection's access token: a call that starts without one waits for its first grant, and
   * an expired one is renewed through the session.
   */
  useTokens(session: TokenSession): void {
    this.session = session;
    this.options.refreshAuth = session.refresh;
  }

  /** Whether an expired token can be renewed (a 401 is then `auth_expired`, not `auth_invalid`). */
  get canRefresh(): boolean {
    return this.options.refreshAuth !== undefined;
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

  /** Counts a call made outside `run` (a token grant). */
  count(endpoint: string): void {
    this.calls++;
    this.perEndpoint.set(endpoint, (this.perEndpoint.get(endpoint) ?? 0) + 1);
  }

  /** Reads the vendor's budget figures from an answer's headers. */
  observe(headers: Headers | Record<string, string>): void {
    const specs = this.options.budgetHeaders ?? [];
    if (specs.length === 0) return;
    const all = headers instanceof Headers ? headers : new Headers(headers);
    for (const budget of parseVendorBudgets(all, this.options.clock.now(), specs)) {
      this.observed.set(budget.name, budget);
      this.options.rateLimiter?.observe(budget);
    }
  }

  /** The call with everything above; throws a ConnectorError once retries are spent. */
  run<T>(spec: CallSpec, attempt: Attempt<T>): Promise<T> {
    const { options } = this;
    return withRetry(() => this.once(spec, attempt), {
      clock: options.clock,
      policy: options.retry,
      signal: options.signal,
      refreshAuth: spec.refresh === false ? undefined : options.refreshAuth,
      idempotent: spec.idempotent,
      logger: options.logger,
      random: options.random,
    });
  }

  /**
   * A call through an official SDK with no fetch hook: the budget headers of its answer, or of
   * the error it throws, are read; the error is mapped to ours (`canRefresh`: a 401 is expired).
   */
  viaSdk<T>(spec: CallSpec, call: () => Promise<SdkAnswer<T>>, bridge: SdkBridge): Promise<T> {
    return this.run(spec, async () => {
      try {
        const answer = await call();
        this.observe(answer.headers);
        return answer.body;
      } catch (error) {
        const headers = bridge.headersOf(error);
        if (headers !== undefined) this.observe(headers);
        throw bridge.mapError(error, spec.refresh !== false && this.canRefresh);
      }
    });
  }

  private async once<T>(spec: CallSpec, attempt: Attempt<T>): Promise<T> {
    const release = await this.options.rateLimiter?.acquire(this.options.signal);
    try {
      // The token endpoint itself is called without a token.
      if (spec.refresh !== false) await this.session?.token();
      if (spec.family !== undefined) await this.spaced(spec.family);
      this.count(spec.endpoint);
      return await this.timed(spec.endpoint, attempt);
    } finally {
      release?.();
    }
  }

  /** Waits for the family's next slot: one call every window / limit, the slot given back at once. */
  private async spaced(family: string): Promise<void> {
    let limiter = this.families.get(family);
    if (limiter === undefined) {
      const spec = this.options.familyLimits?.[family];
      if (spec === undefined) return;
      const spacing = { ...spec, limit: 1, windowMs: spec.windowMs / spec.limit };
      limiter = new RateLimiter({ clock: this.options.clock, limits: [spacing] });
      this.families.set(family, limiter);
    }
    (await limiter.acquire(this.options.signal))();
  }

  /** Races the attempt with its timeout too, for SDKs that take no signal. */
  private timed<T>(endpoint: string, attempt: Attempt<T>): Promise<T> {
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const controller = new AbortController();
    const cancelled = this.options.signal;
    const onCancel = (): void => {
      controller.abort(cancelled?.reason);
    };
    cancelled?.addEventListener('abort', onCancel, { once: true });
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        const error = new ConnectorError('timeout', `${endpoint} timed out after ${timeoutMs} ms`);
        reject(error);
        controller.abort(error);
      }, timeoutMs);
      const settle = (): void => {
        clearTimeout(timer);
        cancelled?.removeEventListener('abort', onCancel);
      };
      let attempted: Promise<T>;
      try {
        attempted = attempt(controller.signal);
      } catch (error) {
        // An attempt that throws before it returns a promise fails like one that rejects.
        attempted = Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      attempted.then(
        (value) => {
          settle();
          resolve(value);
        },
        (error: unknown) => {
          settle();
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }
}
