/**
 * The Mailchimp connector, declared once: an audience's members as a source and a record
 * destination, and its tags as audiences (written to, and read whole as a source), over the Marketing API 3.0 with the SDK's HTTP client.
 * Mailchimp's own Node library keeps one configuration for the whole process (one account at a
 * time) on an old HTTP client, so it is not used. Calls are held to Mailchimp's limit of 10
 * simultaneous connections, the only limit it documents.
 */
import { defineConnector } from '../sdk/define';
import { createFactCache } from '../sdk/facts';
import {
  MAILCHIMP_IDENTIFIERS,
  changeTagMembers,
  readTagMembers,
  readTagRecords,
  tagAudiences,
} from './audiences';
import { apiRoot, mailchimpClient } from './client';
import { AudienceIndex, getMembers, lookupMembers, readMembers } from './read';
import { MEMBERS, OPTED_OUT_STATUSES, STATUS, WRITABLE_STATUSES, loadSchema } from './schema';
import { writeMembers } from './write';

/**
 * Mailchimp's limits (https://mailchimp.com/developer/marketing/docs/fundamentals/#api-limits; batch
 * sizes from "Batch subscribe" and "Segments").
 */
export const MAILCHIMP = {
  concurrency: 10,
  batch: 500,
  page: 1000,
} as const;

/**
 * How late a change shows in `last_changed` reads: Mailchimp documents no delay; a minute covers
 * a write finishing while a read runs.
 */
const CHANGE_LAG_MS = 60_000;

export const mailchimpConnector = defineConnector({
  kind: 'mailchimp',
  label: 'Mailchimp',
  settings: {
    audienceId: {
      label: 'Audience ID',
      type: 'string',
      required: true,
      description:
        'From Audience > All contacts > Settings > Audience name and defaults: the "Audience ID" (a1b2c3d4e5).',
    },
    apiUrl: {
      label: 'API URL',
      type: 'url',
      description:
        "Leave empty with an API key (its data centre, …-us21, gives https://us21.api.mailchimp.com/3.0). With an OAuth token: the api_endpoint of the token's metadata, followed by /3.0.",
    },
    statusIfNew: {
      label: 'Status of new members',
      type: 'string',
      default: 'subscribed',
      description: `When a sync does not map the status: the status a person added to the audience gets (${WRITABLE_STATUSES.join(', ')}). Add as subscribed only people who agreed to your emails; "transactional" adds them without subscribing them.`,
    },
    concurrency: {
      label: 'Simultaneous calls',
      type: 'number',
      default: MAILCHIMP.concurrency,
      minimum: 1,
      description:
        'Mailchimp allows 10 simultaneous connections per user, shared by every integration of the account.',
    },
  },
  secrets: ['apiKey', 'accessToken'],
  // An API key (Account > Extras > API keys), or an OAuth 2 access token of a registered app.
  credentials: [['apiKey'], ['accessToken']],
  capabilities: ['source', 'records', 'audiences'],
  staticObjects: [MEMBERS],
  allowedHosts: ['*.api.mailchimp.com'],
  limits: (settings) => ({
    maxPageSize: MAILCHIMP.page,
    pageSize: MAILCHIMP.page,
    maxBatch: {
      upsert: MAILCHIMP.batch,
      create: MAILCHIMP.batch,
      update: MAILCHIMP.batch,
      delete: MAILCHIMP.batch,
      members: MAILCHIMP.batch,
    },
    concurrency: Math.min(settings.concurrency, MAILCHIMP.concurrency),
    // Mailchimp documents no call rate, only the simultaneous connections above.
    rateLimits: [],
  }),
  open({ settings, secrets, context, http }) {
    const status = WRITABLE_STATUSES.find((each) => each === settings.statusIfNew);
    const client = mailchimpClient({
      root: apiRoot(settings.apiUrl, secrets.apiKey),
      apiKey: secrets.apiKey,
      accessToken: secrets.accessToken,
      http,
    });
    const facts = context.facts ?? createFactCache();
    const parts = {
      client,
      audienceId: settings.audienceId,
      index: new AudienceIndex(() => context.clock.now().getTime()),
      schema: () => loadSchema(client, settings.audienceId, facts),
      statusIfNew: status ?? 'subscribed',
    };
    return {
      // The audience and its merge fields: what every sync needs the key to reach.
      check: async () => {
        if (status === undefined)
          throw new Error(
            `the status of new members must be one of ${WRITABLE_STATUSES.join(', ')}, not ${settings.statusIfNew}`,
          );
        const audience = await client.get<{ name?: string }>(
          `lists/${encodeURIComponent(settings.audienceId)}`,
        );
        await parts.schema();
        return audience.name === undefined ? {} : { account: audience.name };
      },
      describe: async () => (await parts.schema()).descriptor,
      read: (request) => readMembers(parts, request),
      readTraits: () => ({
        ordering: 'unordered',
        timestampPrecisionMs: 1000,
        lagMs: CHANGE_LAG_MS,
      }),
      optOutValues: (object, field) =>
        object === MEMBERS && field === STATUS ? OPTED_OUT_STATUSES : undefined,
      readAudience: (request) => readTagRecords(parts, request),
      lookup: (request) => lookupMembers(parts, request),
      get: (object, ids) => getMembers(parts, object, ids),
      write: (request) => writeMembers(parts, request),
      identifiers: MAILCHIMP_IDENTIFIERS,
      audiences: () => tagAudiences(parts),
      changeMembers: (request) => changeTagMembers(parts, request),
      readMembers: (audience) => readTagMembers(parts, audience),
    };
  },
});

export type MailchimpConnector = ReturnType<typeof mailchimpConnector.open>;
