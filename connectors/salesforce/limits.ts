/** Salesforce's limits that shape the connector's calls, each with its source. */
import type { ConnectorLimits } from '../sdk/contract';

/** "up to 2,000 records can be returned at a time" (REST API Developer Guide, Query resource). */
export const QUERY_BATCH_MAX = 2000;
/** "Maximum length of SOQL statements: by default, 100,000 characters" (SOQL and SOSL Limits). */
export const SOQL_MAX_LENGTH = 100_000;
/**
 * "In each REST call, the maximum length for the combined URI and headers is 16,384 bytes"
 * (Salesforce Help, article 000386264); a GET query's URI must fit in it, so we leave 4 KB for
 * headers. This, not the 100,000-character SOQL limit, binds a lookup's IN list over REST.
 */
export const QUERY_URI_MAX_BYTES = 16_384 - 4_096;
/** "sObject Collections … up to 200 records" per request (REST API Developer Guide). */
export const COLLECTION_MAX = 200;
/** Write calls of at least this many operations go through Bulk API 2.0 (configurable). */
export const DEFAULT_BULK_THRESHOLD = 10_000;
/**
 * Operations one write call accepts: a Bulk API 2.0 job takes up to 150 MB of CSV ("Bulk API 2.0
 * limits"); 100,000 rows of a few hundred bytes stay far below it.
 */
export const WRITE_CALL_MAX = 100_000;
/**
 * Enterprise Edition's daily allocation starts at 100,000 requests per 24 h ("API Request Limits
 * and Allocations"); the org's real figure arrives in Sforce-Limit-Info and replaces it.
 */
export const DEFAULT_DAILY_BUDGET = 100_000;

export function salesforceLimits(dailyBudget = DEFAULT_DAILY_BUDGET): ConnectorLimits {
  return {
    maxPageSize: QUERY_BATCH_MAX,
    maxBatch: {
      create: WRITE_CALL_MAX,
      update: WRITE_CALL_MAX,
      upsert: WRITE_CALL_MAX,
      delete: WRITE_CALL_MAX,
    },
    // "Concurrent API Request Limits": 25 long-running requests per org; we keep well under it.
    concurrency: 4,
    rateLimits: [
      {
        name: 'salesforce-daily',
        limit: dailyBudget,
        windowMs: 24 * 60 * 60 * 1000,
        source:
          'https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.meta/salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_api.htm',
        // "Sforce-Limit-Info: api-usage=25/5000", used / allowed per rolling 24 h (REST API
        // Developer Guide, "Limit Info Header").
        reported: { header: 'sforce-limit-info', usage: /api-usage=(\d+)\/(\d+)/ },
      },
    ],
    dailyBudget,
  };
}
