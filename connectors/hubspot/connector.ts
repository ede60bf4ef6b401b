/**
 * The HubSpot connector: a source and record destination over `@hubspot/api-client`, every call
 * through the SDK's call policy (calls.ts), declared once with `defineConnector`.
 */
import { CallPolicy, type CallPolicyOptions } from '../sdk/call-policy';
import type { ConnectorLimits, SourceCapability } from '../sdk/contract';
import { type ConnectorParts, defineConnector } from '../sdk/define';
import { ConnectorError } from '../sdk/errors';
import type { FactCache } from '../sdk/facts';
import { RateLimiter } from '../sdk/rate-limiter';
import { type HubSpotCredentials, HubSpotCalls } from './calls';
import { HUBSPOT_OBJECTS, SchemaCache } from './discover';
import { HUBSPOT, hubspotLimits } from './limits';
import { getRecords, lookupRecords } from './lookup';
import { readChanges, readDeletions } from './read';
import { HubSpotSdk } from './sdk-client';
import { hubspotWebhooks } from './webhooks';
import { writeRecords } from './write';

export const DEFAULT_BASE_URL = 'https://api.hubapi.com';

/** What the calls run on: the connection's context, or a test's. */
type CallContext = Omit<CallPolicyOptions, 'rateLimiter' | 'budgetHeaders' | 'refreshAuth'> & {
  facts?: FactCache | undefined;
};

function hubspotParts(
  baseUrl: string,
  credentials: HubSpotCredentials,
  context: CallContext & { portalId?: number | undefined },
  limits: ConnectorLimits,
): ConnectorParts<'source' | 'records' | 'webhooks'> & Required<SourceCapability> {
  if (credentials.accessToken === undefined && credentials.refreshToken === undefined)
    throw new ConnectorError(
      'auth_invalid',
      'HubSpot needs an access token or an OAuth refresh token',
    );
  const sdk = new HubSpotSdk({
    basePath: baseUrl.replace(/\/+$/, ''),
    ...(credentials.accessToken === undefined ? {} : { accessToken: credentials.accessToken }),
  });
  const rateLimiter = new RateLimiter({
    clock: context.clock,
    limits: limits.rateLimits,
    concurrency: limits.concurrency,
  });
  const policy = new CallPolicy({ ...context, rateLimiter, budgetHeaders: limits.budgetHeaders });
  const calls = new HubSpotCalls(sdk, policy, credentials, context.clock);
  if (calls.canRefresh) policy.refreshAuth = () => calls.refresh();
  const schemas = new SchemaCache(calls, context.facts);
  const parts = { calls, schemas };
  return {
    calls: policy,
    async check() {
      await calls.run({ endpoint: 'GET /crm/v3/objects/contacts', idempotent: true }, (client) =>
        client.listPage('contacts', { limit: 1, properties: ['hs_object_id'], archived: false }),
      );
      return {};
    },
    async discover() {
      const objects = [];
      for (const object of HUBSPOT_OBJECTS) objects.push(await schemas.describe(object));
      return objects;
    },
    read: (request) => readChanges(parts, request, request.pageSize ?? limits.maxPageSize),
    // Searches sorted by the last-modified date (ms), each page put in (updatedAt, id) order.
    readTraits: () => ({ ordering: 'cursor', timestampPrecisionMs: 1 }),
    readDeleted: (request) => readDeletions(parts, request),
    lookup: (request) => lookupRecords(parts, request),
    get: (object, ids, fields) => getRecords(parts, object, ids, fields),
    write: (request) => writeRecords(parts, request),
    ...hubspotWebhooks({
      clientSecret: credentials.clientSecret,
      portalId: context.portalId,
      clock: context.clock,
    }),
  };
}

export const hubspotConnector = defineConnector({
  kind: 'hubspot',
  label: 'HubSpot CRM',
  settings: {
    baseUrl: {
      label: 'API base URL',
      type: 'url',
      default: DEFAULT_BASE_URL,
      description: 'Change only to point at a HubSpot emulator or a proxy.',
    },
    intervalMax: {
      label: 'Calls per 10 seconds',
      type: 'number',
      default: HUBSPOT.intervalMax,
      minimum: 1,
      description:
        "Your portal's burst limit (100 on Free/Starter, 190 on Professional/Enterprise).",
    },
    dailyLimit: { label: 'Calls per day', type: 'number', default: HUBSPOT.daily, minimum: 1 },
    portalId: {
      label: 'Portal (hub) id',
      type: 'number',
      description: 'Your HubSpot account (hub) id; routes inbound webhooks to this connection.',
    },
  },
  // Either a private-app access token, or an OAuth app's refresh token with its client id and secret.
  secrets: ['accessToken', 'refreshToken', 'clientId', 'clientSecret'],
  capabilities: ['source', 'records', 'webhooks'],
  staticObjects: HUBSPOT_OBJECTS,
  // Webhook signatures: one logged could be replayed within its five minutes.
  redactHeaders: ['x-hubspot-signature', 'x-hubspot-signature-v3'],
  // HubSpot's API hosts (api.hubapi.com, and regional ones such as api-eu1.hubapi.com).
  allowedHosts: ['api.hubapi.com', '*.hubapi.com'],
  limits: (settings) =>
    hubspotLimits({ intervalMax: settings.intervalMax, daily: settings.dailyLimit }),
  open: ({ settings, secrets, context, limits }) =>
    hubspotParts(settings.baseUrl, secrets, { ...context, portalId: settings.portalId }, limits),
});

export interface HubSpotConnectorOptions extends CallContext {
  /** Webhook events of other portals are ignored; absent: any portal. */
  portalId?: number;
  baseUrl?: string;
  credentials: HubSpotCredentials;
  intervalMax?: number;
  daily?: number;
  concurrency?: number;
  /** Page size when a read names none. */
  pageSize?: number;
}

/** A HubSpot connector with test knobs (the registry opens it from a connection's settings). */
export function createHubSpotConnector(options: HubSpotConnectorOptions) {
  const limits = hubspotLimits(options);
  return hubspotConnector.assemble(
    hubspotParts(options.baseUrl ?? DEFAULT_BASE_URL, options.credentials, options, limits),
    limits,
  );
}

export type HubSpotConnector = ReturnType<typeof createHubSpotConnector>;
