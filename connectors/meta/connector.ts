/**
 * The Meta connector, declared once: conversions through the Conversions API of a pixel (dataset)
 * and customer file custom audiences of an ad account, over the Graph API with the SDK's HTTP
 * client (client.ts says why not Meta's Node SDK). A system user's access token with
 * `ads_management` reaches both.
 */
import { DEFAULT_COUNTRY_SETTING, defaultCountryOf } from '../sdk/identifiers';
import { defineConnector } from '../sdk/define';
import { ConnectorError } from '../sdk/errors';
import { MAX_ROWS, changeAudienceUsers, customAudiences, replaceAudienceUsers } from './audiences';
import { metaClient } from './client';
import { appendEvents } from './events';
import { META_IDENTIFIERS } from './identifiers';

export const META = {
  /** Events a Conversions API request holds ("Using the API": up to 1,000). */
  events: 1_000,
  members: MAX_ROWS,
  /** "Server Event Parameters": event_time at most 7 days before the request. */
  maxEventAgeMs: 7 * 24 * 3600 * 1000,
  version: 'v25.0',
} as const;

/** Where the server event happened ("action_source"); CRM outcomes are `system_generated`. */
const ACTION_SOURCES = [
  'system_generated',
  'email',
  'website',
  'app',
  'phone_call',
  'chat',
  'physical_store',
  'business_messaging',
  'other',
];

/** The ad account's number, from `act_123` or `123`. */
function accountNumber(value: string): string {
  const number = /^(?:act_)?(\d+)$/.exec(value.trim())?.at(1);
  if (number === undefined)
    throw new ConnectorError(
      'bad_request',
      `the ad account id is act_ followed by its number (Business settings > Ad accounts), not ${value}`,
    );
  return number;
}

export const metaConnector = defineConnector({
  kind: 'meta',
  label: 'Meta (Facebook and Instagram ads)',
  vendor: 'Meta',
  settings: {
    adAccountId: {
      label: 'Ad account ID',
      type: 'string',
      required: true,
      description: 'Business settings > Accounts > Ad accounts: act_ followed by its number.',
    },
    pixelId: {
      label: 'Pixel (dataset) ID',
      type: 'string',
      description:
        'Events Manager > Data sources: the dataset (pixel) that receives conversions. Needed by events syncs only.',
    },
    actionSource: {
      label: 'Action source',
      type: 'string',
      default: 'system_generated',
      description: `Where the conversions happened, as Meta names it (${ACTION_SOURCES.join(', ')}); outcomes recorded in a CRM are system_generated.`,
    },
    testEventCode: {
      label: 'Test event code',
      type: 'string',
      description:
        'Events Manager > Test events: while set, conversions go to the Test Events tool only, never to ads.',
    },
    defaultCountry: DEFAULT_COUNTRY_SETTING,
    apiVersion: {
      label: 'Graph API version',
      type: 'string',
      default: META.version,
    },
    baseUrl: {
      label: 'Graph API URL',
      type: 'url',
      default: 'https://graph.facebook.com',
    },
  },
  secrets: ['accessToken'],
  // A system user's token (Business settings > Users > System users > Generate new token) with
  // ads_management; it does not expire unless revoked.
  credentials: [['accessToken']],
  capabilities: ['events', 'audiences'],
  allowedHosts: ['graph.facebook.com'],
  limits: () => ({
    maxPageSize: 500,
    maxBatch: { append: META.events, members: META.members },
    concurrency: 4,
    // Meta's limits are per business use case and reported in X-Business-Use-Case-Usage; a
    // throttled call waits the minutes that header names.
    rateLimits: [],
  }),
  open({ settings, secrets, http }) {
    const version = settings.apiVersion.trim().replace(/^(?!v)/, 'v');
    const client = metaClient({
      root: `${settings.baseUrl.replace(/\/+$/, '')}/${version}`,
      accessToken: secrets.accessToken ?? '',
      http,
    });
    const pixelId = settings.pixelId?.trim() === '' ? undefined : settings.pixelId?.trim();
    const audienceParts = () => ({ client, accountId: accountNumber(settings.adAccountId) });
    return {
      check: async () => {
        if (!ACTION_SOURCES.includes(settings.actionSource))
          throw new Error(
            `the action source must be one of ${ACTION_SOURCES.join(', ')}, not ${settings.actionSource}`,
          );
        const account = await client.get<{ name?: string }>(
          `act_${accountNumber(settings.adAccountId)}`,
          { fields: 'name' },
        );
        if (pixelId !== undefined) await client.get(pixelId, { fields: 'name' });
        return account.name === undefined ? {} : { account: account.name };
      },
      discover: () => Promise.resolve([]),
      identifiers: META_IDENTIFIERS,
      ...defaultCountryOf(settings.defaultCountry),
      maxEventAgeMs: META.maxEventAgeMs,
      append: (request) =>
        appendEvents(
          {
            client,
            pixelId,
            actionSource: settings.actionSource,
            testEventCode:
              settings.testEventCode?.trim() === '' ? undefined : settings.testEventCode?.trim(),
          },
          request,
        ),
      audiences: () => customAudiences(audienceParts()),
      changeMembers: (request) => changeAudienceUsers(audienceParts(), request),
      replaceMembers: (request) => replaceAudienceUsers(audienceParts(), request),
    };
  },
});

export type MetaConnector = ReturnType<typeof metaConnector.open>;
