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

/** Our names of HubSpot's budgets, shared by the limiter's buckets and the headers that report them. */
const BUDGET = {
  interval: 'hubspot-interval',
  secondly: 'hubspot-secondly',
  daily: 'hubspot-daily',
};

/** The budget headers of every answer (USAGE_SOURCE, "Rate limit headers"). */
const BUDGET_HEADERS = [
  {
    budget: BUDGET.interval,
    limit: 'x-hubspot-ratelimit-max',
    remaining: 'x-hubspot-ratelimit-remaining',
    windowHeader: 'x-hubspot-ratelimit-interval-milliseconds',
  },
  {
    budget: BUDGET.secondly,
    limit: 'x-hubspot-ratelimit-secondly',
    remaining: 'x-hubspot-ratelimit-secondly-remaining',
    windowMs: 1000,
  },
  {
    budget: BUDGET.daily,
    limit: 'x-hubspot-ratelimit-daily',
    remaining: 'x-hubspot-ratelimit-daily-remaining',
    windowMs: 86_400_000,
  },
];

/** The limits of a portal whose burst and daily limits are as given (its tier's). */
export function hubspotLimits(
  intervalMax: number = HUBSPOT.intervalMax,
  daily: number = HUBSPOT.daily,
): ConnectorLimits {
  const batch = HUBSPOT.maxBatch;
  return {
    maxPageSize: HUBSPOT.maxSearchPage,
    maxBatch: { create: batch, update: batch, upsert: batch, delete: batch },
    // HubSpot documents no concurrency limit; a few in flight keep the 10 s window smooth.
    concurrency: 4,
    rateLimits: [
      {
        name: BUDGET.interval,
        limit: intervalMax,
        windowMs: HUBSPOT.intervalMs,
        source: USAGE_SOURCE,
      },
      { name: BUDGET.daily, limit: daily, windowMs: 86_400_000, source: USAGE_SOURCE },
    ],
    // The search endpoints' own limit. HubSpot counts searches in a sliding second: spaced 1/4 s
    // apart, no second holds five.
    familyLimits: {
      search: {
        name: BUDGET.secondly,
        limit: HUBSPOT.searchPerSecond,
        windowMs: 1_000,
        source: SEARCH_SOURCE,
      },
    },
    dailyBudget: daily,
    budgetHeaders: BUDGET_HEADERS,
  };
}
