/** Marketo's limits as data, each with its source. */
import type { ConnectorLimits } from '../sdk/contract';

export const LIMITS_SOURCE =
  'https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/rest-api';

export const MARKETO = {
  // LIMITS_SOURCE: 100 calls per 20 seconds per instance.
  windowMax: 100,
  windowMs: 20_000,
  // LIMITS_SOURCE: ten concurrent calls per instance.
  concurrency: 10,
  // LIMITS_SOURCE: 50,000 calls a day per subscription, reset at midnight US Central time.
  dailyQuota: 50_000,
  // "Leads": 300 records per Sync Leads, Delete Leads, filter and page; "List Membership": 300 ids.
  batch: 300,
} as const;

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
        windowMs: MARKETO.windowMs,
        source: LIMITS_SOURCE,
        counting: 'rolling',
      },
    ],
    dailyBudget: dailyQuota,
  };
}
