/**
 * The Salesforce connector on jsforce: a Connection whose HTTP goes through the SDK's client
 * (retry, Retry-After, rate limiter, Sforce-Limit-Info budget, counts), OAuth refresh through
 * jsforce's OAuth2 against the login URL, reads by SOQL, writes by sObject Collections and, for
 * large calls, Bulk API 2.0.
 */
import { systemClock } from '../sdk/clock';
import type {
  Clock,
  ConnectorLimits,
  ConnectorLogger,
  ConnectorRecord,
  JobTicket,
  SourceCapability,
  WriteOperation,
  WriteRequest,
  WriteResult,
} from '../sdk/contract';
import { type ConnectorParts, defineConnector } from '../sdk/define';
import { ConnectorError } from '../sdk/errors';
import type { FactCache } from '../sdk/facts';
import { finishJob } from '../sdk/jobs';
import { type HttpClient, createHttpClient } from '../sdk/http';
import { isIdempotentSalesforceCall } from './idempotency';
import { RateLimiter } from '../sdk/rate-limiter';
import type { RetryPolicy } from '../sdk/retry';
import { bulkResults, pollBulk, startBulk } from './bulk';
import { DescribeCache, SYNCED_OBJECTS } from './discover';
import { classifySalesforce } from './errors';
import { createJsforceClients, jsforceRequest } from './jsforce-bridge';
import { DEFAULT_BULK_THRESHOLD, salesforceLimits } from './limits';
import { type QueryRunner, findIn, readChanges, readDeletions } from './read';
import { type SalesforceSession, createSession } from './session';
import { upsertByLookup } from './upsert';
import { upsertKey, writeCollections } from './write';

export const DEFAULT_API_VERSION = '59.0';
export const DEFAULT_LOGIN_URL = 'https://login.salesforce.com';

export interface SalesforceConnectorOptions {
  instanceUrl: string;
  /** Where the OAuth token endpoint lives (`/services/oauth2/token`). */
  loginUrl?: string;
  apiVersion?: string;
  accessToken?: string;
  refreshToken?: string;
  clientId?: string;
  clientSecret?: string;
  /** Write calls with at least this many operations use Bulk API 2.0. */
  bulkThreshold?: number;
  bulkPollIntervalMs?: number;
  bulkPollTimeoutMs?: number;
  clock?: Clock;
  logger?: ConnectorLogger;
  signal?: AbortSignal;
  /** Per HTTP attempt. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  random?: () => number;
  concurrency?: number;
  dailyBudget?: number;
  /** The connection's facts kept across runs (described objects); absent: this connector's own. */
  facts?: FactCache | undefined;
}

type SalesforceParts = ConnectorParts<'source' | 'records' | 'jobs'> &
  Required<SourceCapability> & {
    /** Token grants made so far. */
    refreshCount(): number;
  };

function salesforceParts(
  options: SalesforceConnectorOptions,
  limits: ConnectorLimits,
): SalesforceParts {
  const clock = options.clock ?? systemClock;
  const version = options.apiVersion ?? DEFAULT_API_VERSION;
  const limiter = new RateLimiter({
    clock,
    limits: limits.rateLimits,
    concurrency: limits.concurrency,
  });
  const common = {
    clock,
    rateLimiter: limiter,
    classify: (status: number, body: unknown) => classifySalesforce(status, body),
    idempotent: isIdempotentSalesforceCall,
    budgetHeaders: limits.budgetHeaders,
    logger: options.logger,
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    retry: options.retry,
    random: options.random,
  };
  const sessionRef: { current?: SalesforceSession } = {};
  const api: HttpClient = createHttpClient({
    ...common,
    baseUrl: options.instanceUrl,
    headers: async (): Promise<Record<string, string>> => {
      const token = await sessionRef.current?.accessToken();
      return token === undefined ? {} : { authorization: `Bearer ${token}` };
    },
    onUnauthorized: () =>
      sessionRef.current?.refresh?.() ??
      Promise.reject(
        new ConnectorError(
          'auth_invalid',
          'the access token was refused and nothing can refresh it',
        ),
      ),
  });
  const auth: HttpClient = createHttpClient({
    ...common,
    baseUrl: options.loginUrl ?? DEFAULT_LOGIN_URL,
  });
  const { connection, oauth2 } = createJsforceClients({
    instanceUrl: options.instanceUrl,
    loginUrl: options.loginUrl ?? DEFAULT_LOGIN_URL,
    version,
    accessToken: options.accessToken,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    api,
    auth,
  });
  const session = createSession(connection, oauth2, {
    ...(options.refreshToken === undefined ? {} : { refreshToken: options.refreshToken }),
    ...(options.clientSecret === undefined ? {} : { clientSecret: options.clientSecret }),
  });
  const describe = new DescribeCache(connection, options.facts);
  const runner: QueryRunner = { connection, version, describe };
  const bulkThreshold = options.bulkThreshold ?? DEFAULT_BULK_THRESHOLD;
  sessionRef.current = session;

  /** The native upsert key of an upsert (undefined for other modes); null: upserted by lookup. */
  const nativeKey = async (request: WriteRequest): Promise<string | undefined | null> => {
    if (request.mode !== 'upsert') return undefined;
    const key = upsertKey(request, await describe.fields(request.object));
    return key.native ? key.name : null;
  };
  const jobs = {
    pollIntervalMs: options.bulkPollIntervalMs ?? 2_000,
    maxWaitMs: options.bulkPollTimeoutMs ?? 30 * 60 * 1000,
    async prefersJob(request: WriteRequest): Promise<boolean> {
      return request.operations.length >= bulkThreshold && (await nativeKey(request)) !== null;
    },
    async start(request: WriteRequest) {
      const key = await nativeKey(request);
      return startBulk(connection, version, request, key ?? undefined);
    },
    poll: (ticket: JobTicket) => pollBulk(connection, version, ticket),
    results: (ticket: JobTicket, operations: readonly WriteOperation[]) =>
      bulkResults(connection, version, ticket, operations),
  };

  const write = async (request: WriteRequest): Promise<WriteResult[]> => {
    if (request.operations.length === 0) return [];
    const key = await nativeKey(request);
    if (key === null) {
      const field = upsertKey(request, await describe.fields(request.object)).name;
      return upsertByLookup(
        request,
        field,
        (values) => findIn(runner, request.object, field, values, [field]),
        (mode, operations) => write({ object: request.object, mode, operations }),
      );
    }
    if (await jobs.prefersJob(request)) {
      // A caller that does not run jobs itself (the engine does) waits here.
      const ticket = await jobs.start(request);
      await finishJob(jobs, ticket, clock, options.signal);
      return jobs.results(ticket, request.operations);
    }
    return writeCollections(connection, version, request, key);
  };

  return {
    calls: {
      callCount: () => api.callCount() + auth.callCount(),
      callsByEndpoint: () => ({ ...auth.callsByEndpoint(), ...api.callsByEndpoint() }),
      budgets: () => api.budgets(),
    },
    async check() {
      // The list of REST resources: any API user may read it (the limits resource needs
      // View Setup), and only Salesforce answers it with an sobjects resource.
      const resources = await jsforceRequest(connection, {
        method: 'GET',
        url: `/services/data/v${version}/`,
      });
      if (
        typeof resources !== 'object' ||
        resources === null ||
        typeof (resources as { sobjects?: unknown }).sobjects !== 'string'
      )
        return {
          ok: false,
          code: 'bad_request',
          reason: `The answer to GET /services/data/v${version}/ lists no sobjects resource: the server at ${options.instanceUrl} does not answer as Salesforce's REST API does`,
        };
      return { account: options.instanceUrl };
    },
    discover: () => Promise.all(SYNCED_OBJECTS.map((object) => describe.describe(object))),
    read: (request) => readChanges(runner, request, request.pageSize ?? limits.maxPageSize),
    // ORDER BY SystemModstamp, Id; SystemModstamp is kept in whole seconds.
    readTraits: () => ({ ordering: 'cursor', timestampPrecisionMs: 1000 }),
    readDeleted: (request) =>
      readDeletions(runner, request, request.pageSize ?? limits.maxPageSize),
    lookup: (request): Promise<ConnectorRecord[]> =>
      findIn(runner, request.object, request.field, request.values, request.fields),
    get: (object, ids, fields) => findIn(runner, object, 'Id', ids, fields),
    write,
    ...jobs,
    refreshCount: () => session.refreshes(),
  };
}

export const salesforceConnector = defineConnector({
  kind: 'salesforce',
  label: 'Salesforce',
  settings: {
    instanceUrl: {
      label: 'Instance URL',
      type: 'url',
      required: true,
      description: 'https://yourorg.my.salesforce.com',
    },
    loginUrl: {
      label: 'Login URL',
      type: 'url',
      default: DEFAULT_LOGIN_URL,
      description: 'https://test.salesforce.com for sandboxes',
    },
    apiVersion: { label: 'API version', type: 'string', default: DEFAULT_API_VERSION },
    bulkThreshold: {
      label: 'Bulk API threshold',
      type: 'number',
      default: DEFAULT_BULK_THRESHOLD,
      minimum: 1,
      description: 'Write calls with at least this many records go through Bulk API 2.0.',
    },
  },
  secrets: ['accessToken', 'refreshToken', 'clientId', 'clientSecret'],
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
  open: ({ settings, secrets, context, limits }) =>
    salesforceParts({ ...settings, ...secrets, ...context }, limits),
});

/** A Salesforce connector with test knobs (the registry opens it from a connection's settings). */
export function createSalesforceConnector(options: SalesforceConnectorOptions) {
  const limits = salesforceLimits({
    dailyBudget: options.dailyBudget,
    concurrency: options.concurrency,
  });
  return salesforceConnector.assemble(salesforceParts(options, limits), limits);
}

export type SalesforceConnector = ReturnType<typeof createSalesforceConnector>;
