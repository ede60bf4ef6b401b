/**
 * The HubSpot connector: the Connector contract over `@hubspot/api-client`, every call through our
 * retry policy and rate limiter (calls.ts).
 */
import type { Clock, Connector, ConnectorLogger } from '../sdk/contract';
import { checkFailure, ConnectorError } from '../sdk/errors';
import { RateLimiter } from '../sdk/rate-limiter';
import type { RetryPolicy } from '../sdk/retry';
import { type HubSpotCredentials, HubSpotCalls } from './calls';
import { HUBSPOT_OBJECTS, SchemaCache } from './discover';
import { type HubSpotLimitSettings, hubspotLimits } from './limits';
import { getRecords, lookupRecords } from './lookup';
import { readChanges, readDeletions } from './read';
import { HubSpotSdk } from './sdk-client';
import { writeRecords } from './write';

export const DEFAULT_BASE_URL = 'https://api.hubapi.com';

export interface HubSpotConnectorOptions extends HubSpotLimitSettings {
  baseUrl?: string;
  credentials: HubSpotCredentials;
  clock: Clock;
  logger?: ConnectorLogger;
  signal?: AbortSignal;
  retry?: Partial<RetryPolicy>;
  /** Real milliseconds per call attempt. */
  timeoutMs?: number;
  /** Page size when a read names none. */
  pageSize?: number;
  random?: () => number;
}

export interface HubSpotConnector extends Connector {
  /** Calls per endpoint, as we sent them (retries included). */
  callsByEndpoint(): Record<string, number>;
}

export function createHubSpotConnector(options: HubSpotConnectorOptions): HubSpotConnector {
  const { credentials } = options;
  if (credentials.accessToken === undefined && credentials.refreshToken === undefined)
    throw new ConnectorError(
      'auth_invalid',
      'HubSpot needs an access token or an OAuth refresh token',
    );
  const limits = hubspotLimits(options);
  const limiter = new RateLimiter({
    clock: options.clock,
    limits: limits.rateLimits,
    concurrency: limits.concurrency,
  });
  const sdk = new HubSpotSdk({
    basePath: (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, ''),
    ...(credentials.accessToken === undefined ? {} : { accessToken: credentials.accessToken }),
  });
  const calls = new HubSpotCalls(sdk, {
    clock: options.clock,
    limiter,
    credentials,
    retry: options.retry,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    logger: options.logger,
    random: options.random,
  });
  const schemas = new SchemaCache(calls);
  const context = { calls, schemas };
  const pageSizeFor = (requested: number | undefined): number =>
    Math.max(1, Math.min(requested ?? options.pageSize ?? limits.maxPageSize, limits.maxPageSize));

  return {
    kind: 'hubspot',
    limits,
    async check() {
      try {
        await calls.run({ endpoint: 'GET /crm/v3/objects/contacts', idempotent: true }, (client) =>
          client.listPage('contacts', { limit: 1, properties: ['hs_object_id'], archived: false }),
        );
        return { ok: true };
      } catch (error) {
        return checkFailure(error);
      }
    },
    async discover() {
      const objects = [];
      for (const object of HUBSPOT_OBJECTS) objects.push(await schemas.describe(object));
      return objects;
    },
    read: (request) => readChanges(context, request, pageSizeFor(request.pageSize)),
    // Searches sorted by the last-modified date (ms), each page put in (updatedAt, id) order.
    readTraits: () => ({ ordering: 'cursor', timestampPrecisionMs: 1 }),
    readDeleted: (request) => readDeletions(context, request),
    lookup: (request) => lookupRecords(context, request),
    get: (object, ids, fields) => getRecords(context, object, ids, fields),
    write: (request) => writeRecords(context, request),
    callCount: () => calls.callCount(),
    callsByEndpoint: () => calls.callsByEndpoint(),
  };
}
