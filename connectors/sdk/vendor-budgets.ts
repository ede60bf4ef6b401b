/**
 * Rate-limit and budget headers vendors send back, read into VendorBudgets so the rate limiter and
 * the admin's budget view follow the vendor's own count (shared with every other integration).
 */
import type { VendorBudget } from './rate-limiter';

/** Header sets we know. Names are the RateLimitSpec names a connector uses to keep buckets in step. */
export const BUDGET_NAMES = {
  // https://developers.hubspot.com/docs/api/usage-details#rate-limits
  hubspotInterval: 'hubspot-interval',
  hubspotSecondly: 'hubspot-secondly',
  hubspotDaily: 'hubspot-daily',
  // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm
  salesforceDaily: 'salesforce-daily',
} as const;

const DAY_MS = 24 * 60 * 60 * 1000;

function integer(headers: Headers, name: string): number | undefined {
  const raw = headers.get(name);
  if (raw === null || raw.trim() === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

function budget(
  name: string,
  limit: number | undefined,
  remaining: number | undefined,
  windowMs: number | undefined,
  observedAt: string,
): VendorBudget[] {
  if (limit === undefined || remaining === undefined) return [];
  return [
    windowMs === undefined
      ? { name, limit, remaining, observedAt }
      : { name, limit, remaining, windowMs, observedAt },
  ];
}

/** Every budget the response's headers describe. */
export function parseVendorBudgets(headers: Headers, now: Date): VendorBudget[] {
  const at = now.toISOString();
  const budgets: VendorBudget[] = [
    ...budget(
      BUDGET_NAMES.hubspotInterval,
      integer(headers, 'x-hubspot-ratelimit-max'),
      integer(headers, 'x-hubspot-ratelimit-remaining'),
      integer(headers, 'x-hubspot-ratelimit-interval-milliseconds'),
      at,
    ),
    ...budget(
      BUDGET_NAMES.hubspotSecondly,
      integer(headers, 'x-hubspot-ratelimit-secondly'),
      integer(headers, 'x-hubspot-ratelimit-secondly-remaining'),
      1000,
      at,
    ),
    ...budget(
      BUDGET_NAMES.hubspotDaily,
      integer(headers, 'x-hubspot-ratelimit-daily'),
      integer(headers, 'x-hubspot-ratelimit-daily-remaining'),
      DAY_MS,
      at,
    ),
  ];
  // Salesforce: `Sforce-Limit-Info: api-usage=25/5000` (used / allowed per rolling 24 h).
  const usage = /api-usage=(\d+)\/(\d+)/.exec(headers.get('sforce-limit-info') ?? '');
  if (usage !== null) {
    const used = Number(usage[1]);
    const limit = Number(usage[2]);
    budgets.push({
      name: BUDGET_NAMES.salesforceDaily,
      limit,
      remaining: Math.max(0, limit - used),
      windowMs: DAY_MS,
      observedAt: at,
    });
  }
  return budgets;
}

/**
 * Retry-After as milliseconds: delta-seconds or an HTTP-date (RFC 9110 §10.2.3); undefined when
 * absent or unreadable. A date in the past means "now".
 */
export function parseRetryAfter(value: string | null, now: Date): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now.getTime());
}
