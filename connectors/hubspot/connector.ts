/**
 * The HubSpot connector, declared once: a source and record destination over
 * `@hubspot/api-client`, every call through the SDK's call policy (calls.ts), and webhooks.
 */
import { defineConnector } from '../sdk/define';
import {
  HUBSPOT_IDENTIFIERS,
  changeListMembers,
  contactLists,
  readListMembers,
  readListRecords,
} from './audiences';
import { hubspotCalls, hubspotGrant } from './calls';
import { HUBSPOT_OBJECTS, SchemaCache, checkAccess, optOutValuesOf } from './discover';
import { HUBSPOT, hubspotLimits } from './limits';
import { getRecords, lookupRecords } from './lookup';
import { readChanges, readDeletions } from './read';
import { HubSpotSdk } from './sdk-client';
import { hubspotWebhooks } from './webhooks';
import { writeRecords } from './write';

export const DEFAULT_BASE_URL = 'https://api.hubapi.com';

/**
 * How late HubSpot's search may show a change: its index is eventually consistent ("search":
 * a record just created or updated may not be returned yet; integrators report several seconds).
 * Incremental reads search by last-modified date, so they start again this much before their
 * cursor; two minutes is a wide margin over the seconds observed.
 */
const SEARCH_INDEX_LAG_MS = 2 * 60_000;

/** The object type ids HubSpot's record pages are addressed by ("Using object APIs"). */
const HUBSPOT_OBJECT_TYPE_IDS: Record<string, string> = {
  contacts: '0-1',
  companies: '0-2',
  deals: '0-3',
  tickets: '0-5',
};

/**
 * Where HubSpot's UI is for an API base URL: app.hubspot.com for api.hubapi.com, app-eu1 for
 * api-eu1 (HubSpot's EU data centre); any other base URL (an emulator) is taken as serving the
 * record pages itself.
 */
function hubspotAppOrigin(baseUrl: string): string {
  const url = new URL(baseUrl);
  if (url.hostname === 'api.hubapi.com') return 'https://app.hubspot.com';
  const regional = /^api-([a-z0-9]+)\.hubapi\.com$/.exec(url.hostname);
  if (regional !== null) return `https://app-${regional[1]}.hubspot.com`;
  return url.origin;
}

/** What a sync can need: CRM objects and their schemas, lists, and the `oauth` scope of every app. */
const HUBSPOT_OAUTH_SCOPES = [
  'oauth',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.objects.deals.read',
  'crm.objects.deals.write',
  'crm.schemas.contacts.read',
  'crm.schemas.companies.read',
  'crm.schemas.deals.read',
  'crm.lists.read',
  'crm.lists.write',
];

export const hubspotConnector = defineConnector({
  kind: 'hubspot',
  label: 'HubSpot CRM',
  vendor: 'HubSpot',
  recordLinks: (settings) =>
    settings.portalId === undefined
      ? undefined
      : {
          template: `${hubspotAppOrigin(settings.baseUrl)}/contacts/${String(settings.portalId)}/record/{object}/{id}`,
          objects: HUBSPOT_OBJECT_TYPE_IDS,
        },
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
    legalBasis: {
      label: 'Legal basis of subscription changes',
      type: 'string',
      description:
        'Sent with every email subscription status a sync sets (portals with GDPR features need one): CONSENT_WITH_NOTICE, LEGITIMATE_INTEREST_CLIENT, LEGITIMATE_INTEREST_OTHER, LEGITIMATE_INTEREST_PQL, NON_GDPR, PERFORMANCE_OF_CONTRACT or PROCESS_AND_STORE.',
    },
    legalBasisExplanation: {
      label: 'Legal basis explanation',
      type: 'string',
      description: 'Why that basis applies, as HubSpot records it beside the status.',
    },
    portalId: {
      label: 'Portal (hub) id',
      type: 'number',
      description: 'Your HubSpot account (hub) id; routes inbound webhooks to this connection.',
    },
  },
  secrets: ['accessToken', 'refreshToken', 'clientId', 'clientSecret'],
  // A private app's access token, or an OAuth app's refresh token with its client id and secret.
  credentials: [['accessToken'], ['refreshToken', 'clientId', 'clientSecret']],
  // The install flow of a public app: the authorize page on HubSpot's UI host, the token endpoint
  // on the API host (https://developers.hubspot.com/docs/api/oauth-quickstart-guide).
  oauth: {
    authorizeUrl: (settings) => `${hubspotAppOrigin(settings.baseUrl)}/oauth/authorize`,
    tokenUrl: (settings) => `${settings.baseUrl.replace(/\/+$/, '')}/oauth/v1/token`,
    scopes: HUBSPOT_OAUTH_SCOPES,
    clientId: 'clientId',
    clientSecret: 'clientSecret',
    refreshToken: 'refreshToken',
  },
  capabilities: ['source', 'records', 'webhooks', 'audiences'],
  staticObjects: HUBSPOT_OBJECTS,
  // Webhook signatures: one logged could be replayed within its five minutes.
  redactHeaders: ['x-hubspot-signature', 'x-hubspot-signature-v3'],
  // HubSpot's API hosts (api.hubapi.com, and regional ones such as api-eu1.hubapi.com).
  allowedHosts: ['api.hubapi.com', '*.hubapi.com'],
  limits: (settings) => hubspotLimits(settings.intervalMax, settings.dailyLimit),
  open({ settings, secrets, context, limits, policy, tokens }) {
    const { clock } = context;
    const sdk = new HubSpotSdk({ basePath: settings.baseUrl.replace(/\/+$/, '') });
    if (secrets.accessToken !== undefined) sdk.setAccessToken(secrets.accessToken);
    tokens({
      token: secrets.accessToken,
      grant: hubspotGrant(sdk, policy, secrets, clock),
      onToken: (token) => {
        sdk.setAccessToken(token);
      },
    });
    const calls = hubspotCalls(sdk, policy, clock);
    const parts = {
      calls,
      schemas: new SchemaCache(calls, context.facts),
      legalBasis: {
        ...(settings.legalBasis === undefined ? {} : { basis: settings.legalBasis }),
        ...(settings.legalBasisExplanation === undefined
          ? {}
          : { explanation: settings.legalBasisExplanation }),
      },
    };
    return {
      check: () => checkAccess(calls),
      describe: (object) => parts.schemas.describe(object),
      read: (request) => readChanges(parts, request, request.pageSize ?? limits.maxPageSize),
      // Searches sorted by the last-modified date (ms), each page put in (updatedAt, id) order.
      readTraits: () => ({
        ordering: 'cursor',
        timestampPrecisionMs: 1,
        lagMs: SEARCH_INDEX_LAG_MS,
      }),
      readDeleted: (request) => readDeletions(parts, request),
      readAudience: (request) => readListRecords(parts, request),
      optOutValues: optOutValuesOf,
      lookup: (request) => lookupRecords(parts, request),
      get: (object, ids, fields) => getRecords(parts, object, ids, fields),
      write: (request) => writeRecords(parts, request),
      identifiers: HUBSPOT_IDENTIFIERS,
      audiences: () => contactLists(parts),
      changeMembers: (request) => changeListMembers(parts, request),
      readMembers: (audience) => readListMembers(parts, audience),
      ...hubspotWebhooks({
        clientSecret: secrets.clientSecret,
        portalId: settings.portalId,
        clock,
      }),
    };
  },
});

export type HubSpotConnector = ReturnType<typeof hubspotConnector.open>;
