/** HubSpot's limits as data, each with its source. */
import type { ConnectorLimits } from '../sdk/contract';

export const HUBSPOT = {
  // https://developers.hubspot.com/docs/api/crm/contacts ("Batch" endpoints): 100 inputs per call.
  maxBatch: 100,
  // https://developers.hubspot.com/docs/api/crm/search#limitations: 200 results per page.
  maxSearchPage: 200,
  // https://developers.hubspot.com/docs/api/crm/understanding-the-crm#paging: 100 per list page.
  maxListPage: 100,
  // https://developers.hubspot.com/docs/api/crm/search#limitations: 10,000 results per query.
  maxSearchResults: 10_000,
  // https://developers.hubspot.com/docs/api/crm/search#limitations: 100 values in an IN filter.
  maxInValues: 100,
  // https://developers.hubspot.com/changelog/crm-search-api-rate-limit-increase: 4 searches per second.
  searchPerSecond: 4,
  // https://developers.hubspot.com/docs/api/usage-details#rate-limits: 190 calls per 10 s (Pro/Enterprise).
  intervalMax: 190,
  intervalMs: 10_000,
  // https://developers.hubspot.com/docs/api/usage-details#rate-limits: 625,000 calls a day (Professional).
  daily: 625_000,
} as const;

export const USAGE_SOURCE = 'https://developers.hubspot.com/docs/api/usage-details#rate-limits';
export const SEARCH_SOURCE = 'https://developers.hubspot.com/docs/api/crm/search#limitations';

/** The limits of a portal whose burst and daily limits are as given (its tier's). */
export function hubspotLimits(
  intervalMax: number = HUBSPOT.intervalMax,
  daily: number = HUBSPOT.daily,
): ConnectorLimits {
  const batch = HUBSPOT.maxBatch;
  return {
    maxPageSize: HUBSPOT.maxSearchPage,
    // Lists v3 documents no limit on the records of one membership change: 1,000 a call.
    maxBatch: { create: batch, update: batch, upsert: batch, delete: batch, members: 1000 },
    // HubSpot documents no concurrency limit; a few in flight keep the 10 s window smooth.
    concurrency: 4,
    // Each budget is reported in every answer's headers (USAGE_SOURCE, "Rate limit headers").
    rateLimits: [
      {
        name: 'hubspot-interval',
        limit: intervalMax,
        windowMs: HUBSPOT.intervalMs,
        source: USAGE_SOURCE,
        reported: {
          limit: 'x-hubspot-ratelimit-max',
          remaining: 'x-hubspot-ratelimit-remaining',
          windowHeader: 'x-hubspot-ratelimit-interval-milliseconds',
        },
      },
      {
        name: 'hubspot-daily',
        limit: daily,
        windowMs: 86_400_000,
        source: USAGE_SOURCE,
        reported: {
          limit: 'x-hubspot-ratelimit-daily',
          remaining: 'x-hubspot-ratelimit-daily-remaining',
        },
      },
    ],
    // The search endpoints' own limit. HubSpot counts searches in a sliding second: spaced 1/4 s
    // apart, no second holds five.
    familyLimits: {
      search: {
        name: 'hubspot-secondly',
        limit: HUBSPOT.searchPerSecond,
        windowMs: 1_000,
        source: SEARCH_SOURCE,
        reported: {
          limit: 'x-hubspot-ratelimit-secondly',
          remaining: 'x-hubspot-ratelimit-secondly-remaining',
        },
      },
    },
    dailyBudget: daily,
  };
}
