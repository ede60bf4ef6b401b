/**
 * The Salesforce connector on jsforce, declared once: a Connection whose HTTP goes through the
 * SDK's call policy, the OAuth token granted again against the login URL, reads by SOQL, writes by
 * sObject Collections or Bulk API 2.0 jobs (write-route.ts).
 */
import { defineConnector } from '../sdk/define';
import { DescribeCache, SYNCED_OBJECTS, checkApi, optOutValuesOf } from './discover';
import { classifySalesforce } from './errors';
import { isIdempotentSalesforceCall } from './idempotency';
import { jsforceConnection, tokenGrant } from './jsforce-bridge';
import { DEFAULT_BULK_THRESHOLD, salesforceLimits } from './limits';
import { findIn, readChanges, readDeletions } from './read';
import { salesforceWrites } from './write-route';

export const DEFAULT_API_VERSION = '59.0';
export const DEFAULT_LOGIN_URL = 'https://login.salesforce.com';

const classify = (status: number, body: unknown) => classifySalesforce(status, body);

export const salesforceConnector = defineConnector({
  kind: 'salesforce',
  label: 'Salesforce',
  vendor: 'Salesforce',
  // Lightning Experience's record page, on the org's own domain.
  recordLinks: (settings) => ({
    template: `${settings.instanceUrl.replace(/\/+$/, '')}/lightning/r/{object}/{id}/view`,
  }),
  settings: {
    instanceUrl: {
      label: 'Instance URL',
      type: 'url',
      required: true,
      description:
        "Your org's My Domain, https://yourorg.my.salesforce.com: the API is called there, and the client-credentials flow signs in there (Salesforce refuses that flow on login.salesforce.com).",
    },
    loginUrl: {
      label: 'Login URL',
      type: 'url',
      default: DEFAULT_LOGIN_URL,
      description:
        'Where a refresh token is redeemed: https://test.salesforce.com for sandboxes. Not used by the client-credentials flow, which signs in on the Instance URL.',
    },
    apiVersion: { label: 'API version', type: 'string', default: DEFAULT_API_VERSION },
    bulkThreshold: {
      label: 'Bulk API threshold',
      type: 'number',
      default: DEFAULT_BULK_THRESHOLD,
      minimum: 1,
      description: 'Write calls with at least this many records go through Bulk API 2.0.',
    },
    bulkPollMs: {
      label: 'Bulk job poll interval (ms)',
      type: 'number',
      default: 2_000,
      minimum: 100,
      description: 'How often a running Bulk API 2.0 job is asked for its state.',
    },
  },
  secrets: ['accessToken', 'refreshToken', 'clientId', 'clientSecret'],
  // A session id, or a connected app's refresh token, or its client credentials flow.
  credentials: [['accessToken'], ['refreshToken', 'clientId'], ['clientId', 'clientSecret']],
  // The web server flow of a connected app: its authorize page and token endpoint on the Login URL;
  // the answer names the org's instance, which becomes the Instance URL
  // (https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm).
  oauth: {
    authorizeUrl: (settings) =>
      `${settings.loginUrl.replace(/\/+$/, '')}/services/oauth2/authorize`,
    tokenUrl: (settings) => `${settings.loginUrl.replace(/\/+$/, '')}/services/oauth2/token`,
    scopes: ['api', 'refresh_token'],
    clientId: 'clientId',
    clientSecret: 'clientSecret',
    refreshToken: 'refreshToken',
    settingsFrom: (answer): Record<string, string> =>
      typeof answer.instance_url === 'string' ? { instanceUrl: answer.instance_url } : {},
  },
  capabilities: ['source', 'records', 'jobs'],
  staticObjects: SYNCED_OBJECTS,
  // The hosts Salesforce serves the API and sign-in on, and no other: My Domain
  // (acme.my.salesforce.com; sandboxes, scratch and Developer Edition orgs under it, as
  // acme--uat.sandbox.my.salesforce.com), the generic login hosts, and legacy instance hosts
  // (https://InstanceName.salesforce.com, Metadata API MyDomainSettings). Not *.force.com nor
  // *.my.site.com: customers publish Sites and Experience Cloud pages there.
  allowedHosts: [
    '*.my.salesforce.com',
    'login.salesforce.com',
    'test.salesforce.com',
    '{instance}.salesforce.com',
  ],
  limits: () => salesforceLimits(),
  open({ settings, secrets, context, limits, http, tokens }) {
    const { instanceUrl, apiVersion: version } = settings;
    // Salesforce serves the client-credentials grant on the org's own My Domain only (a login
    // host answers "request not supported on this domain"); a refresh token is redeemed at the
    // login host.
    const tokenHost = secrets.refreshToken === undefined ? instanceUrl : settings.loginUrl;
    const auth = http({ baseUrl: tokenHost, classify, tokenEndpoint: true });
    const session = tokens({
      token: secrets.accessToken,
      grant: tokenGrant(tokenHost, secrets, auth),
    });
    const api = http({
      baseUrl: instanceUrl,
      bearer: session,
      classify,
      idempotent: isIdempotentSalesforceCall,
    });
    const connection = jsforceConnection(instanceUrl, version, api);
    const runner = {
      connection,
      version,
      describe: new DescribeCache(connection, context.facts),
      clock: context.clock,
    };
    return {
      check: () => checkApi(connection, version, instanceUrl),
      describe: (object) => runner.describe.describe(object),
      read: (request) => readChanges(runner, request, request.pageSize ?? limits.maxPageSize),
      // ORDER BY SystemModstamp, Id; SystemModstamp is kept in whole seconds. A transaction still
      // open commits rows stamped at its start: getUpdated's latestDateCovered bounds the read for
      // those older than the current minute (replication.ts), the lag covers the current minute.
      readTraits: () => ({ ordering: 'cursor', timestampPrecisionMs: 1000, lagMs: 60_000 }),
      readDeleted: (request) =>
        readDeletions(runner, request, request.pageSize ?? limits.maxPageSize),
      optOutValues: optOutValuesOf,
      lookup: (request) =>
        findIn(runner, request.object, request.field, request.values, request.fields),
      get: (object, ids, fields) => findIn(runner, object, 'Id', ids, fields),
      ...salesforceWrites(runner, {
        bulkThreshold: settings.bulkThreshold,
        pollIntervalMs: settings.bulkPollMs,
        clock: context.clock,
        signal: context.signal,
      }),
      /** Token grants made so far. */
      refreshCount: () => session.grants(),
    };
  },
});

export type SalesforceConnector = ReturnType<typeof salesforceConnector.open>;
