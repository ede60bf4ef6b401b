/**
 * The Marketo connector, declared once: leads as a source and a record destination, and static
 * lists and program statuses as audiences, over Marketo's REST API (there is no official Node SDK), every call through
 * the SDK's call policy, counted against Marketo's 20-second window and concurrency cap.
 */
import { defineConnector } from '../sdk/define';
import { createFactCache } from '../sdk/facts';
import { marketoAudiences } from './audience-catalog';
import { MARKETO_IDENTIFIERS, changeMembers, readAudienceMembers } from './audiences';
import { marketoClient } from './client';
import { DailyQuota, MARKETO, marketoLimits } from './limits';
import { getLeads, lookupLeads, readDeletedLeads, readLeads } from './read';
import { LEADS, loadLeadSchema } from './schema';
import { KeyLocks, writeLeads } from './write';

/** How late Marketo may show a change in its activity stream; reads overlap by this much. */
const ACTIVITY_LAG_MS = 60_000;

export const marketoConnector = defineConnector({
  kind: 'marketo',
  label: 'Marketo Engage',
  // No record links: the UI's host (app-<pod>.marketo.com) is not told by the REST endpoint.
  vendor: 'Marketo',
  settings: {
    instanceUrl: {
      label: 'REST API endpoint',
      type: 'url',
      required: true,
      description:
        'From Admin > Web Services > REST API: https://123-ABC-456.mktorest.com/rest (the Identity URL of the same host works too).',
    },
    callsPer20Seconds: {
      label: 'Calls per 20 seconds',
      type: 'number',
      default: MARKETO.windowMax,
      minimum: 1,
      description:
        'Marketo allows 100 per instance; set lower to leave room for other integrations.',
    },
    concurrency: {
      label: 'Concurrent calls',
      type: 'number',
      default: MARKETO.concurrency,
      minimum: 1,
      description: 'Marketo allows 10 calls in flight per instance, shared by every integration.',
    },
    dailyQuota: {
      label: 'Calls per day',
      type: 'number',
      default: MARKETO.dailyQuota,
      minimum: 1,
      description:
        "Your subscription's daily API quota (Admin > Web Services); 50,000 unless your contract says more.",
    },
  },
  secrets: ['clientId', 'clientSecret'],
  // A LaunchPoint custom service's client id and secret (Admin > LaunchPoint > View Details).
  credentials: [['clientId', 'clientSecret']],
  capabilities: ['source', 'records', 'audiences'],
  staticObjects: [LEADS],
  // Marketo's instance hosts: {munchkin id}.mktorest.com.
  allowedHosts: ['*.mktorest.com'],
  limits: (settings) =>
    marketoLimits(settings.callsPer20Seconds, settings.concurrency, settings.dailyQuota),
  open({ settings, secrets, context, http, tokens, policy }) {
    const { clock } = context;
    const quota = new DailyQuota(settings.dailyQuota);
    const client = marketoClient({
      instanceUrl: settings.instanceUrl,
      quotaSpent: () => quota.spent(clock.now()),
      now: () => clock.now(),
      clientId: secrets.clientId,
      clientSecret: secrets.clientSecret,
      http,
      tokens,
    });
    const facts = context.facts ?? createFactCache();
    const parts = {
      client,
      schema: () => loadLeadSchema(client, facts),
      locks: new KeyLocks(),
      now: () => clock.now(),
    };
    return {
      calls: {
        callCount: () => policy.callCount(),
        callsByEndpoint: () => policy.callsByEndpoint(),
        budgets: () => [...policy.budgets(), ...quota.budgets(clock.now())],
      },
      // A token and the lead schema: what every sync needs the custom service's role to allow.
      check: async () => {
        await parts.schema();
        return {};
      },
      describe: async () => (await parts.schema()).descriptor,
      read: (request) => readLeads(parts, request),
      // Activity tokens in Marketo's order; activity dates and lead stamps are whole seconds.
      readTraits: () => ({
        ordering: 'unordered',
        timestampPrecisionMs: 1000,
        lagMs: ACTIVITY_LAG_MS,
      }),
      readDeleted: (request) => readDeletedLeads(parts, request),
      lookup: (request) => lookupLeads(parts, request),
      get: (object, ids, fields) => getLeads(parts, object, ids, fields),
      write: (request) => writeLeads(parts, request),
      identifiers: MARKETO_IDENTIFIERS,
      audiences: () => marketoAudiences(parts),
      changeMembers: (request) => changeMembers(parts, request),
      readMembers: (audience) => readAudienceMembers(parts, audience),
    };
  },
});

export type MarketoConnector = ReturnType<typeof marketoConnector.open>;
