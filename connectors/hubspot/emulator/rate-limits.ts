/**
 * HubSpot's rate limits as the emulator enforces them, on the emulator's clock: a rolling 10-second
 * window per app, the search endpoints' per-second limit, and a daily limit
 * (https://developers.hubspot.com/docs/api/usage-details#rate-limits).
 */
import type { Clock } from '../../sdk/contract';

export interface RateLimitSettings {
  /** Calls per rolling interval; Professional/Enterprise private apps get 190 per 10 s. */
  intervalMax: number;
  intervalMs: number;
  /** Search calls per second (https://developers.hubspot.com/changelog/crm-search-api-rate-limit-increase). */
  searchPerSecond: number;
  /** Calls per day; Professional portals get 625,000 (usage-details page). */
  daily: number;
  /** false turns every limit off (benchmarks). */
  enabled: boolean;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  intervalMax: 190,
  intervalMs: 10_000,
  searchPerSecond: 4,
  daily: 625_000,
  enabled: true,
};

export type RateLimitPolicy = 'TEN_SECONDLY_ROLLING' | 'SECONDLY' | 'DAILY';

export interface RateLimitVerdict {
  /** The policy that refused the call, or undefined when it may proceed. */
  refused?: RateLimitPolicy;
  headers: Record<string, string>;
}

const DAY_MS = 86_400_000;

/** Timestamps in a sliding window, oldest first. */
class Window {
  private readonly stamps: number[] = [];
  private head = 0;
  constructor(private readonly widthMs: () => number) {}

  count(now: number): number {
    const from = now - this.widthMs();
    while (this.head < this.stamps.length && (this.stamps[this.head] ?? 0) <= from) this.head++;
    if (this.head > 1024) {
      this.stamps.splice(0, this.head);
      this.head = 0;
    }
    return this.stamps.length - this.head;
  }

  add(now: number): void {
    this.stamps.push(now);
  }
}

export class RateLimits {
  settings: RateLimitSettings;
  private readonly interval: Window;
  private readonly secondly = new Window(() => 1000);
  /** Every call in the last second, for the Secondly-Remaining header of calls other than search. */
  private readonly allSecondly = new Window(() => 1000);
  private day = -1;
  private dailyUsed = 0;

  constructor(
    private readonly clock: Clock,
    settings: Partial<RateLimitSettings> = {},
  ) {
    this.settings = { ...DEFAULT_RATE_LIMITS, ...settings };
    this.interval = new Window(() => this.settings.intervalMs);
  }

  /**
   * Counts the call if every limit allows it. Search answers carry no X-HubSpot-RateLimit headers
   * (HubSpot documents that search requests do not return them) unless refused.
   */
  admit(options: { search: boolean; dailyHeaders: boolean }): RateLimitVerdict {
    const now = this.clock.now().getTime();
    const today = Math.floor(now / DAY_MS);
    if (today !== this.day) {
      this.day = today;
      this.dailyUsed = 0;
    }
    const { settings } = this;
    const inInterval = this.interval.count(now);
    const inSecond = this.secondly.count(now);
    const inAnySecond = this.allSecondly.count(now);
    let refused: RateLimitPolicy | undefined;
    if (settings.enabled) {
      if (this.dailyUsed >= settings.daily) refused = 'DAILY';
      else if (inInterval >= settings.intervalMax) refused = 'TEN_SECONDLY_ROLLING';
      else if (options.search && inSecond >= settings.searchPerSecond) refused = 'SECONDLY';
    }
    if (refused === undefined) {
      this.interval.add(now);
      this.allSecondly.add(now);
      if (options.search) this.secondly.add(now);
      this.dailyUsed++;
    }
    const used = refused === undefined ? 1 : 0;
    const headers: Record<string, string> = {};
    if (!options.search || refused !== undefined) {
      // The headers agree with each other and with the answer: no window shows calls left that
      // another window (or the refusal) denies.
      const dailyRemaining = Math.max(0, settings.daily - this.dailyUsed);
      const intervalRemaining =
        refused === 'DAILY' || refused === 'TEN_SECONDLY_ROLLING'
          ? 0
          : Math.min(dailyRemaining, Math.max(0, settings.intervalMax - inInterval - used));
      const perSecond = Math.ceil(settings.intervalMax / (settings.intervalMs / 1000));
      const secondlyRemaining = options.search
        ? Math.max(0, settings.searchPerSecond - inSecond - used)
        : Math.max(0, perSecond - inAnySecond - used);
      headers['X-HubSpot-RateLimit-Interval-Milliseconds'] = String(settings.intervalMs);
      headers['X-HubSpot-RateLimit-Max'] = String(settings.intervalMax);
      headers['X-HubSpot-RateLimit-Remaining'] = String(intervalRemaining);
      headers['X-HubSpot-RateLimit-Secondly'] = String(
        options.search ? settings.searchPerSecond : perSecond,
      );
      headers['X-HubSpot-RateLimit-Secondly-Remaining'] = String(
        refused === undefined || refused === 'SECONDLY'
          ? Math.min(secondlyRemaining, intervalRemaining)
          : 0,
      );
      // Only private apps see the daily headers; OAuth apps do not (usage-details page).
      if (options.dailyHeaders) {
        headers['X-HubSpot-RateLimit-Daily'] = String(settings.daily);
        headers['X-HubSpot-RateLimit-Daily-Remaining'] = String(dailyRemaining);
      }
    }
    return refused === undefined ? { headers } : { refused, headers };
  }
}

export function rateLimitMessage(policy: RateLimitPolicy): string {
  switch (policy) {
    case 'TEN_SECONDLY_ROLLING':
      return 'You have reached your ten_secondly_rolling limit.';
    case 'SECONDLY':
      return 'You have reached your secondly limit.';
    case 'DAILY':
      return 'You have reached your daily limit.';
    default: {
      const unreachable: never = policy;
      return unreachable;
    }
  }
}
