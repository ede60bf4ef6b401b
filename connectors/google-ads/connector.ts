/**
 * The Google Ads connector, declared once: click conversions and enhanced conversions for leads
 * through the conversion upload service, Customer Match lists through offline user data jobs, over
 * the API's REST interface with the SDK's HTTP client (client.ts says why not Google's Node
 * client). A connection is an OAuth client with a refresh token of a Google account that can reach
 * the customer, and the developer token of the Google Ads API.
 */
import { DEFAULT_COUNTRY_SETTING, defaultCountryOf } from '../sdk/identifiers';
import { defineConnector } from '../sdk/define';
import { ConnectorError } from '../sdk/errors';
import {
  type AudienceParts,
  type JobOutcome,
  changeListMembers,
  listJobs,
  userLists,
} from './audiences';
import { googleAdsClient } from './client';
import { uploadConversions } from './events';
import { GOOGLE_ADS_IDENTIFIERS } from './identifiers';

export const GOOGLE_ADS = {
  /** Conversions an upload holds (TOO_MANY_CONVERSIONS_IN_REQUEST past 2,000). */
  conversions: 2_000,
  /** Members a Customer Match change holds: one offline user data job each. */
  members: 100_000,
  /** A click converts within the conversion action's window, 90 days at most. */
  maxEventAgeMs: 90 * 24 * 3600 * 1000,
  version: 'v25',
} as const;

const CONSENT_STATES = ['GRANTED', 'DENIED', 'UNSPECIFIED'];

/** A customer id from `123-456-7890` or `1234567890`. */
export function customerIdOf(value: string, setting: string): string {
  const digits = value.replace(/[\s-]/g, '');
  if (!/^\d{10}$/.test(digits))
    throw new ConnectorError(
      'bad_request',
      `${setting} is the 10-digit Google Ads customer id (shown as 123-456-7890 at the top of Google Ads), not ${value}`,
    );
  return digits;
}

function consentOf(value: string, setting: string): string {
  const state = value.trim().toUpperCase();
  if (!CONSENT_STATES.includes(state))
    throw new ConnectorError(
      'bad_request',
      `${setting} is one of ${CONSENT_STATES.join(', ')}, not ${value}`,
    );
  return state;
}

export const googleAdsConnector = defineConnector({
  kind: 'google-ads',
  label: 'Google Ads',
  vendor: 'Google',
  settings: {
    customerId: {
      label: 'Customer ID',
      type: 'string',
      required: true,
      description:
        'The Google Ads account that receives conversions and holds the lists (123-456-7890).',
    },
    loginCustomerId: {
      label: 'Manager customer ID',
      type: 'string',
      default: '',
      description:
        "When the signed-in Google account reaches the customer through a manager account (MCC): that manager's id, sent as login-customer-id.",
    },
    adUserDataConsent: {
      label: 'Customer Match consent: ad user data',
      type: 'string',
      default: 'UNSPECIFIED',
      description:
        'GRANTED, DENIED or UNSPECIFIED: whether the people uploaded to Customer Match lists agreed to their data being sent to Google for advertising (required for people in the EEA).',
    },
    adPersonalizationConsent: {
      label: 'Customer Match consent: ad personalization',
      type: 'string',
      default: 'UNSPECIFIED',
      description:
        'GRANTED, DENIED or UNSPECIFIED: whether they agreed to personalised advertising.',
    },
    defaultCountry: DEFAULT_COUNTRY_SETTING,
    jobPollMs: {
      label: 'Customer Match job poll interval (ms)',
      type: 'number',
      default: 30_000,
      minimum: 100,
      description: 'How often a running offline user data job is asked for its status.',
    },
    jobMaxWaitMs: {
      label: 'Customer Match job patience (ms)',
      type: 'number',
      default: 2 * 3600 * 1000,
      minimum: 1_000,
      description:
        'How long a change waits for its job before leaving it and sending the change again next run.',
    },
    apiVersion: { label: 'API version', type: 'string', default: GOOGLE_ADS.version },
    apiUrl: { label: 'API URL', type: 'url', default: 'https://googleads.googleapis.com' },
    tokenUrl: {
      label: 'OAuth token URL',
      type: 'url',
      default: 'https://oauth2.googleapis.com/token',
    },
  },
  secrets: ['developerToken', 'clientId', 'clientSecret', 'refreshToken', 'accessToken'],
  // The API Center's developer token, and an OAuth client (Google Cloud console) with a refresh
  // token of a Google account that can reach the customer (scope https://www.googleapis.com/auth/adwords).
  credentials: [['developerToken', 'clientId', 'clientSecret', 'refreshToken']],
  capabilities: ['events', 'audiences'],
  allowedHosts: ['googleads.googleapis.com', 'oauth2.googleapis.com'],
  limits: () => ({
    maxPageSize: 10_000,
    maxBatch: { append: GOOGLE_ADS.conversions, members: GOOGLE_ADS.members },
    concurrency: 4,
    // The developer token's daily operations (15,000 at basic access) end a run as
    // budget_exhausted, with Google's retry delay as when to resume.
    rateLimits: [],
  }),
  open({ settings, secrets, context, http, tokens }) {
    const version = settings.apiVersion.trim().replace(/^(?!v)/, 'v');
    const login = settings.loginCustomerId.trim();
    const client = () =>
      googleAdsClient({
        apiRoot: `${settings.apiUrl.replace(/\/+$/, '')}/${version}`,
        tokenUrl: settings.tokenUrl,
        customerId: customerIdOf(settings.customerId, 'customerId'),
        loginCustomerId: login === '' ? undefined : customerIdOf(login, 'loginCustomerId'),
        developerToken: secrets.developerToken ?? '',
        clientId: secrets.clientId ?? '',
        clientSecret: secrets.clientSecret ?? '',
        refreshToken: secrets.refreshToken ?? '',
        accessToken: secrets.accessToken,
        http,
        tokens,
      });
    let opened: ReturnType<typeof client> | undefined;
    const api = () => (opened ??= client());
    const actions = new Map<string, string>();
    const jobs: JobOutcome[] = [];
    const audienceParts = (): AudienceParts => ({
      client: api(),
      clock: context.clock,
      consent: {
        adUserData: consentOf(settings.adUserDataConsent, 'adUserDataConsent'),
        adPersonalization: consentOf(settings.adPersonalizationConsent, 'adPersonalizationConsent'),
      },
      pollMs: settings.jobPollMs,
      maxWaitMs: settings.jobMaxWaitMs,
      onJob: (job) => {
        jobs.push(job);
        context.logger.info(
          `Customer Match job ${job.resourceName} ended ${job.status}: ${String(job.operations)} operations, match rate ${job.matchRateRange}`,
        );
      },
    });
    return {
      check: async () => {
        const row = (
          await api().search<{ customer?: { descriptiveName?: string } }>(
            'SELECT customer.id, customer.descriptive_name FROM customer',
          )
        ).at(0);
        const name = row?.customer?.descriptiveName;
        return name === undefined ? {} : { account: name };
      },
      discover: () => Promise.resolve([]),
      identifiers: GOOGLE_ADS_IDENTIFIERS,
      ...defaultCountryOf(settings.defaultCountry),
      maxEventAgeMs: GOOGLE_ADS.maxEventAgeMs,
      consent: [
        {
          name: 'ad_user_data',
          required: false,
          source: 'https://developers.google.com/google-ads/api/docs/conversions/upload-clicks',
        },
        {
          name: 'ad_personalization',
          required: false,
          source: 'https://developers.google.com/google-ads/api/docs/conversions/upload-clicks',
        },
      ],
      append: (request) => uploadConversions(api(), actions, request),
      audiences: () => userLists(api()),
      changeMembers: (request) => changeListMembers(audienceParts(), request),
      membershipJobs: listJobs(audienceParts, settings.jobPollMs),
      /** The Customer Match jobs this connector ran, as they ended. */
      finishedJobs: () => [...jobs],
    };
  },
});

export type GoogleAdsConnector = ReturnType<typeof googleAdsConnector.open>;
