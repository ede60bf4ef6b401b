/** Marketo's limits as data, each with its source. */
import type { ConnectorLimits } from '../sdk/contract';
import type { VendorBudget } from '../sdk/rate-limiter';

export const LIMITS_SOURCE =
  'https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/rest-api';

export const MARKETO = {
  // LIMITS_SOURCE: 100 calls per 20 seconds per instance.
  windowMax: 100,
  windowMs: 20_000,
  windowMarginMs: 1_000,
  // LIMITS_SOURCE: ten concurrent calls per instance.
  concurrency: 10,
  // LIMITS_SOURCE: 50,000 calls a day per subscription, reset at midnight US Central time.
  dailyQuota: 50_000,
  // "Leads": 300 records per Sync Leads, Delete Leads, filter and page; "List Membership": 300 ids.
  batch: 300,
} as const;

/** Midnight US Central (CST, UTC-6, as the docs state it) resets the daily quota. */
const QUOTA_RESET_UTC_HOUR = 6;

/** The next reset of the daily quota after `now`. */
export function nextQuotaReset(now: Date): Date {
  const reset = new Date(now);
  reset.setUTCHours(QUOTA_RESET_UTC_HOUR, 0, 0, 0);
  if (reset.getTime() <= now.getTime()) reset.setUTCDate(reset.getUTCDate() + 1);
  return reset;
}

/**
 * The daily quota as far as Marketo tells: nothing until a 607 says it is spent, then spent until
 * the next reset (the connection's usage shows it, and scheduled runs wait for it).
 */
export class DailyQuota {
  private spentUntil: Date | undefined;
  private observedAt: Date | undefined;

  constructor(private readonly limit: number) {}

  /** Marketo said the quota is spent: when it resets. */
  spent(now: Date): Date {
    this.spentUntil = nextQuotaReset(now);
    this.observedAt = now;
    return this.spentUntil;
  }

  budgets(now: Date): VendorBudget[] {
    if (this.spentUntil === undefined || this.observedAt === undefined) return [];
    if (this.spentUntil.getTime() <= now.getTime()) return [];
    return [
      {
        name: 'marketo-daily',
        limit: this.limit,
        remaining: 0,
        windowMs: 86_400_000,
        observedAt: this.observedAt.toISOString(),
        resetsAt: this.spentUntil.toISOString(),
      },
    ];
  }
}

/** The limits of an instance with these settings (a subscription may have a larger quota). */
export function marketoLimits(
  windowMax: number = MARKETO.windowMax,
  concurrency: number = MARKETO.concurrency,
  dailyQuota: number = MARKETO.dailyQuota,
): ConnectorLimits {
  const batch = MARKETO.batch;
  return {
    maxPageSize: batch,
    maxBatch: { upsert: batch, create: batch, update: batch, delete: batch, members: batch },
    concurrency,
    // Marketo reports none of its budgets in headers: each call is counted here.
    rateLimits: [
      {
        name: 'marketo-20s',
        limit: windowMax,
        // Marketo counts a call when it arrives, later than it left: a second's margin keeps a
        // call from reaching Marketo before the one it waited for has left Marketo's window.
        windowMs: MARKETO.windowMs + MARKETO.windowMarginMs,
        source: LIMITS_SOURCE,
        counting: 'rolling',
      },
    ],
    dailyBudget: dailyQuota,
    dailyBudgetResetUtcHour: QUOTA_RESET_UTC_HOUR,
  };
}
