/**
 * Marketo's limits on REST calls ("REST API", quotas and limits; "Error Codes"): 100 calls per
 * rolling 20 seconds per instance (606), ten calls in flight at once (615), and a daily quota per
 * subscription, 50,000 by default, reset at midnight US Central time (607). Marketo reports none of
 * them in headers. A call answered with a response-level error counts against neither the quota
 * nor the rate limit.
 */
import type { Clock } from '../../sdk/contract';

export interface LimitSettings {
  /** Calls per window (100). */
  windowMax: number;
  windowMs: number;
  /** Calls in flight at once (10). */
  concurrency: number;
  /** Calls per day (50,000). */
  dailyQuota: number;
}

export const MARKETO_LIMITS: LimitSettings = {
  windowMax: 100,
  windowMs: 20_000,
  concurrency: 10,
  dailyQuota: 50_000,
};

/** Midnight US Central (CST, UTC-6, as the docs state it) starts each quota day. */
const QUOTA_DAY_OFFSET_MS = 6 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export type Refusal = { code: '606' | '607' | '615'; message: string };

export interface Admission {
  /** The call is over: `counted` false when it was answered with an error. */
  settle(counted: boolean): void;
}

export class MarketoLimits {
  settings: LimitSettings;
  private window: number[] = [];
  private inFlight = 0;
  private quotaDay = -1;
  /** Calls counted against today's quota. */
  usedToday = 0;

  constructor(
    private readonly clock: Clock,
    settings: Partial<LimitSettings> = {},
  ) {
    this.settings = { ...MARKETO_LIMITS, ...settings };
  }

  private today(now: number): number {
    return Math.floor((now - QUOTA_DAY_OFFSET_MS) / DAY_MS);
  }

  /** Lets a call in, or says which limit refuses it. */
  admit(): Admission | Refusal {
    const now = this.clock.now().getTime();
    const day = this.today(now);
    if (day !== this.quotaDay) {
      this.quotaDay = day;
      this.usedToday = 0;
    }
    if (this.usedToday >= this.settings.dailyQuota)
      return { code: '607', message: 'Daily quota reached' };
    this.window = this.window.filter((at) => at > now - this.settings.windowMs);
    if (this.window.length >= this.settings.windowMax)
      return {
        code: '606',
        message: `Max rate limit '${this.settings.windowMax}' exceeded with in '${this.settings.windowMs / 1000}' secs`,
      };
    if (this.inFlight >= this.settings.concurrency)
      return { code: '615', message: 'Concurrent access limit reached' };
    this.inFlight++;
    this.window.push(now);
    this.usedToday++;
    let settled = false;
    return {
      settle: (counted) => {
        if (settled) return;
        settled = true;
        this.inFlight--;
        if (counted) return;
        this.usedToday--;
        const index = this.window.lastIndexOf(now);
        if (index >= 0) this.window.splice(index, 1);
      },
    };
  }

  /** Calls in flight now. */
  get active(): number {
    return this.inFlight;
  }
}
