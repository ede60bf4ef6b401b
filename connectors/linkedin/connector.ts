/**
 * The LinkedIn connector, declared once: conversions through the Conversions API and Matched
 * Audiences' DMP segments of one ad account, over LinkedIn's versioned REST API with the SDK's
 * HTTP client. A member's OAuth 2 token with `rw_conversions` and `rw_dmp_segments` reaches both.
 */
import { defineConnector } from '../sdk/define';
import { ConnectorError } from '../sdk/errors';
import { dmpSegments, streamSegmentUsers } from './audiences';
import { linkedInClient } from './client';
import { appendConversions } from './events';
import { LINKEDIN_IDENTIFIERS } from './identifiers';

export const LINKEDIN = {
  /** Conversion events and segment users a batch create holds. */
  batch: 5_000,
  /** "Conversions API": events older than 90 days are refused. */
  maxEventAgeMs: 90 * 24 * 3600 * 1000,
  version: '202609',
} as const;

function accountNumber(value: string): string {
  const number = /^(?:urn:li:sponsoredAccount:)?(\d+)$/.exec(value.trim())?.at(1);
  if (number === undefined)
    throw new ConnectorError(
      'bad_request',
      `the ad account id is its number (Campaign Manager > Account settings), not ${value}`,
    );
  return number;
}

export const linkedinConnector = defineConnector({
  kind: 'linkedin',
  label: 'LinkedIn (Campaign Manager)',
  vendor: 'LinkedIn',
  settings: {
    adAccountId: {
      label: 'Ad account ID',
      type: 'string',
      required: true,
      description: 'Campaign Manager: the number of the ad account (sponsoredAccount).',
    },
    apiVersion: {
      label: 'API version',
      type: 'string',
      default: LINKEDIN.version,
      description:
        'LinkedIn-Version, YYYYMM. LinkedIn serves each version for about a year; a sunset one is refused (426).',
    },
    baseUrl: {
      label: 'REST API URL',
      type: 'url',
      default: 'https://api.linkedin.com/rest',
    },
  },
  secrets: ['accessToken'],
  // A member's OAuth 2 token (3-legged) of an app in the Conversions API and Audiences programs;
  // it lasts 60 days.
  credentials: [['accessToken']],
  capabilities: ['events', 'audiences'],
  allowedHosts: ['api.linkedin.com'],
  limits: () => ({
    maxPageSize: 100,
    maxBatch: { append: LINKEDIN.batch, members: LINKEDIN.batch },
    concurrency: 2,
    // LinkedIn's daily limits per application and member are shown in the developer portal, not
    // documented as numbers; a spent one answers 429.
    rateLimits: [],
  }),
  open({ settings, secrets, http }) {
    const client = linkedInClient({
      root: settings.baseUrl.replace(/\/+$/, ''),
      version: settings.apiVersion.trim(),
      accessToken: secrets.accessToken ?? '',
      http,
    });
    return {
      check: async () => {
        const segments = await dmpSegments(client, accountNumber(settings.adAccountId));
        return {
          account: `ad account ${accountNumber(settings.adAccountId)} (${String(segments.length)} segments)`,
        };
      },
      discover: () => Promise.resolve([]),
      identifiers: LINKEDIN_IDENTIFIERS,
      maxEventAgeMs: LINKEDIN.maxEventAgeMs,
      append: (request) => appendConversions(client, request),
      audiences: () => dmpSegments(client, accountNumber(settings.adAccountId)),
      changeMembers: (request) => streamSegmentUsers(client, request),
    };
  },
});

export type LinkedInConnector = ReturnType<typeof linkedinConnector.open>;
