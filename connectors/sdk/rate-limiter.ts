/**
 * A token-bucket rate limiter per connection: one bucket per declared window (HubSpot has a 10 s
 * burst window and a daily one at once), a concurrency limit, and the vendor's own view of the
 * budget as reported in response headers. Waiting is done on the injected Clock.
 */
import { abortReason } from './clock';
import type { Clock, ConnectorLimits, RateLimitSpec } from './contract';

/** The vendor's view of one budget, from response headers (see vendor-budgets.ts). */
export interface VendorBudget {
  /** Matches a RateLimitSpec name to keep our bucket in step with the vendor's count. */
  name: string;
  limit: number;
  remaining: number;
  windowMs?: number;
  /** ISO instant the budget was read. */
  observedAt: string;
  /** When the vendor resets it (a daily quota's reset time), where the connector knows. */
  resetsAt?: string;
}

interface Bucket {
  spec: RateLimitSpec;
  tokens: number;
  refilledAt: number;
  /** A rolling window's calls (their times), oldest first. */
  calls?: number[];
}

export interface RateLimiterOptions {
  clock: Clock;
  limits: readonly RateLimitSpec[];
  /** Calls in flight at once; unlimited when absent. */
  concurrency?: number;
}

export class RateLimiter {
  private readonly buckets: Bucket[];
  private readonly clock: Clock;
  private readonly concurrency: number;
  private inFlight = 0;
  private readonly slotQueue: Array<() => void> = [];
  /** Serialises token takers so that waiters are served first come, first served. */
  private tokenQueue: Promise<void> = Promise.resolve();
  private readonly observed = new Map<string, VendorBudget>();

  constructor(options: RateLimiterOptions) {
    this.clock = options.clock;
    this.concurrency = options.concurrency ?? Number.POSITIVE_INFINITY;
    const now = options.clock.now().getTime();
    this.buckets = options.limits.map((spec) => ({
      spec,
      tokens: spec.limit,
      refilledAt: now,
      ...(spec.counting === 'rolling' ? { calls: [] } : {}),
    }));
  }

  /** Runs `task` once a concurrency slot and a token of every window are free. */
  async schedule<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.acquire(signal);
    try {
      return await task();
    } finally {
      release();
    }
  }

  /** Waits for a slot and a token; the returned function gives the slot back. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    await this.takeSlot(signal);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.giveSlot();
    };
    try {
      await this.takeToken(signal);
    } catch (error) {
      release();
      throw error;
    }
    return release;
  }

  /**
   * Records the vendor's count and never lets our bucket believe it has more than the vendor says.
   * The vendor's allocation for the same window is the bucket's limit from then on, up or down:
   * the declared limit is a default (an org buys more calls than the edition's base).
   */
  observe(budget: VendorBudget): void {
    this.observed.set(budget.name, budget);
    const bucket = this.buckets.find((candidate) => candidate.spec.name === budget.name);
    if (bucket === undefined) return;
    const now = this.clock.now().getTime();
    this.refill(bucket, now);
    const sameWindow = budget.windowMs === undefined || budget.windowMs === bucket.spec.windowMs;
    if (sameWindow && budget.limit > 0 && budget.limit !== bucket.spec.limit) {
      const raised = budget.limit - bucket.spec.limit;
      bucket.spec = { ...bucket.spec, limit: budget.limit };
      // A rolling window's tokens follow from its calls; a token bucket gains what was added.
      if (bucket.calls !== undefined) this.refill(bucket, now);
      else bucket.tokens = Math.min(bucket.tokens + Math.max(0, raised), budget.limit);
    }
    bucket.tokens = Math.min(bucket.tokens, budget.remaining);
  }

  /** Budgets the vendor reported, by name. */
  budgets(): VendorBudget[] {
    return [...this.observed.values()];
  }

  /** Tokens left in each window now (for metrics and tests). */
  available(): Record<string, number> {
    const now = this.clock.now().getTime();
    const result: Record<string, number> = {};
    for (const bucket of this.buckets) {
      this.refill(bucket, now);
      result[bucket.spec.name] = Math.floor(bucket.tokens);
    }
    return result;
  }

  get activeCalls(): number {
    return this.inFlight;
  }

  private takeSlot(signal?: AbortSignal): Promise<void> {
    if (this.inFlight < this.concurrency) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        this.inFlight++;
        resolve();
      };
      const onAbort = (): void => {
        const index = this.slotQueue.indexOf(grant);
        if (index >= 0) this.slotQueue.splice(index, 1);
        reject(signal === undefined ? new Error('aborted') : abortReason(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.slotQueue.push(grant);
    });
  }

  private giveSlot(): void {
    this.inFlight--;
    this.slotQueue.shift()?.();
  }

  private takeToken(signal?: AbortSignal): Promise<void> {
    const turn = this.tokenQueue.then(() => this.waitForToken(signal));
    // The next taker waits for this one to finish, whether it got its token or was aborted.
    this.tokenQueue = turn.catch(() => undefined);
    return turn;
  }

  private async waitForToken(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted === true) throw abortReason(signal);
      const now = this.clock.now().getTime();
      let waitMs = 0;
      for (const bucket of this.buckets) {
        this.refill(bucket, now);
        const oldest = bucket.calls?.[0];
        if (
          bucket.calls !== undefined &&
          bucket.calls.length >= bucket.spec.limit &&
          oldest !== undefined
        ) {
          // The oldest call of a full rolling window must leave it first.
          waitMs = Math.max(waitMs, oldest + bucket.spec.windowMs - now);
        } else if (bucket.calls === undefined && bucket.tokens < 1) {
          // Multiply before dividing so that whole numbers stay exact.
          waitMs = Math.max(
            waitMs,
            Math.ceil(((1 - bucket.tokens) * bucket.spec.windowMs) / bucket.spec.limit),
          );
        }
      }
      if (waitMs === 0) {
        for (const bucket of this.buckets) {
          bucket.tokens -= 1;
          bucket.calls?.push(now);
        }
        return;
      }
      await this.clock.sleep(waitMs, signal);
    }
  }

  private refill(bucket: Bucket, now: number): void {
    if (bucket.calls !== undefined) {
      const { calls } = bucket;
      let gone = 0;
      while (gone < calls.length && (calls[gone] ?? now) <= now - bucket.spec.windowMs) gone++;
      if (gone > 0) calls.splice(0, gone);
      bucket.tokens = bucket.spec.limit - calls.length;
      return;
    }
    const elapsed = now - bucket.refilledAt;
    if (elapsed <= 0) return;
    bucket.tokens = Math.min(
      bucket.spec.limit,
      bucket.tokens + (elapsed * bucket.spec.limit) / bucket.spec.windowMs,
    );
    bucket.refilledAt = now;
  }
}

/** The limiter of a connection's declared windows and concurrency. */
export function limiterFor(limits: ConnectorLimits, clock: Clock): RateLimiter {
  return new RateLimiter({ clock, limits: limits.rateLimits, concurrency: limits.concurrency });
}
