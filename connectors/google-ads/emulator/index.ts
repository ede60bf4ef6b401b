/**
 * The Google Ads emulator: a node:http server on 127.0.0.1 that speaks the Google Ads API's REST
 * interface (the `google.api.http` bindings of Google's protos) and Google's OAuth token endpoint,
 * as Google documents them (README.md names the pages): click conversion uploads, Customer Match
 * lists and offline user data jobs, GAQL search, the developer token's daily operations, and
 * Google's error bodies.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { systemClock } from '../../sdk/clock';
import type { Clock } from '../../sdk/contract';
import {
  EndpointCounters,
  type EmulatorServer,
  readRequestBody,
  startEmulatorServer,
} from '../../sdk/testing/emulator-kit';
import { uploadClickConversions } from './conversions';
import { addOperations, createJob, mutateUserLists, runJob } from './customer-match';
import { type Answer, adsError, error, notFound, ok } from './errors';
import { GoogleAdsFaults } from './faults';
import { grantToken } from './oauth';
import { search } from './search';
import { DAILY_OPERATIONS, GoogleAdsStore, type StoredCustomer } from './store';

export { GoogleAdsStore, DAILY_OPERATIONS } from './store';
export type { AccessLevel, StoredConversion, StoredJob, StoredUserList } from './store';
export type { GoogleAdsFaults, GoogleAdsFaultKind } from './faults';
export { MAX_CONVERSIONS, parseConversionDateTime } from './conversions';
export { MAX_JOB_IDENTIFIERS } from './customer-match';

/** Versions the emulator serves (Google keeps about a year of versions). */
export const SERVED_VERSIONS = ['v22', 'v23', 'v24', 'v25'];
export const TEST_CLIENT = {
  id: 'syncline-test.apps.googleusercontent.com',
  secret: 'GOCSPX-test',
};
export const TEST_REFRESH_TOKEN = '1//test-refresh-token';
export const TEST_DEVELOPER_TOKEN = 'test-developer-token';
/** A connection's secrets the emulator takes as they are. */
export const TEST_SECRETS = {
  developerToken: TEST_DEVELOPER_TOKEN,
  clientId: TEST_CLIENT.id,
  clientSecret: TEST_CLIENT.secret,
  refreshToken: TEST_REFRESH_TOKEN,
} as const;
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface GoogleAdsEmulator {
  /** Serves both the API (`/v25/customers/…`) and the token endpoint (`/token`). */
  url: string;
  store: GoogleAdsStore;
  counters: EndpointCounters;
  faults: GoogleAdsFaults;
  close(): Promise<void>;
}

function endpointOf(method: string, path: string): string {
  return `${method} ${path
    .replace(/^\/v\d+/, '/:version')
    .replace(/\/customers\/\d+/, '/customers/:id')
    .replace(/\/(offlineUserDataJobs|operations)\/\d+/, '/$1/:id')}`;
}

function jsonBody(bytes: Buffer): Record<string, unknown> | undefined {
  try {
    return bytes.length === 0
      ? {}
      : (JSON.parse(bytes.toString('utf8')) as Record<string, unknown>);
  } catch {
    return undefined;
  }
}

function send(response: ServerResponse, answer: Answer): void {
  const text = JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': String(Buffer.byteLength(text)),
    ...answer.headers,
  });
  response.end(text);
}

/** The operations a call spends ("Rate sheet": each mutated item of a mutate; others one). */
function operationsOf(path: string, body: Record<string, unknown>): number {
  if (path.endsWith('/userLists:mutate') && Array.isArray(body.operations))
    return Math.max(1, body.operations.length);
  return 1;
}

interface Call {
  version: string;
  customer: StoredCustomer;
  rest: string;
  method: string;
  body: Record<string, unknown>;
}

function route(store: GoogleAdsStore, faults: GoogleAdsFaults, call: Call): Answer {
  const { version, customer, rest, method, body } = call;
  if (method === 'POST' && rest === ':uploadClickConversions')
    return uploadClickConversions(store, version, customer, body, (conversion) =>
      faults.rejection(conversion),
    );
  if (method === 'POST' && rest === '/googleAds:search')
    return search(store, version, customer, body);
  if (method === 'POST' && rest === '/userLists:mutate')
    return mutateUserLists(store, version, customer, body);
  if (method === 'POST' && rest === '/offlineUserDataJobs:create')
    return createJob(store, version, customer, body);
  const job = /^\/offlineUserDataJobs\/(\d+):(addOperations|run)$/.exec(rest);
  const resourceName = `customers/${customer.id}/offlineUserDataJobs/${job?.at(1) ?? ''}`;
  if (method === 'POST' && job?.at(2) === 'addOperations')
    return addOperations(store, version, customer, resourceName, body);
  if (method === 'POST' && job?.at(2) === 'run')
    return runJob(store, version, customer, resourceName);
  const operation = /^\/operations\/(\d+)$/.exec(rest)?.at(1);
  const running = operation === undefined ? undefined : store.jobs.get(operation);
  if (method === 'GET' && running?.customerId === customer.id) {
    const settled = store.settle(running);
    return ok({
      name: `customers/${customer.id}/operations/${settled.id}`,
      done: settled.status === 'SUCCESS' || settled.status === 'FAILED',
    });
  }
  return notFound(`/${version}/customers/${customer.id}${rest}`);
}

/** Who may call, as Google checks it: access token, developer token, customer and manager. */
function refusal(
  store: GoogleAdsStore,
  request: IncomingMessage,
  version: string,
  customerId: string,
): Answer | StoredCustomer {
  const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.at(1);
  const expiry = bearer === undefined ? undefined : store.accessTokens.get(bearer);
  if (expiry === undefined || expiry <= store.now())
    return adsError(401, version, [
      error(
        'authenticationError',
        expiry === undefined ? 'OAUTH_TOKEN_INVALID' : 'OAUTH_TOKEN_EXPIRED',
        expiry === undefined
          ? 'Oauth token is invalid.'
          : 'The OAuth token in the header has expired.',
      ),
    ]);
  const developerToken = request.headers['developer-token'];
  if (typeof developerToken !== 'string' || developerToken === '')
    return adsError(400, version, [
      error(
        'requestError',
        'DEVELOPER_TOKEN_PARAMETER_MISSING',
        'Developer token is missing from the request headers.',
      ),
    ]);
  if (!store.developerTokens.has(developerToken))
    return adsError(401, version, [
      error('authenticationError', 'DEVELOPER_TOKEN_INVALID', 'The developer token is not valid.'),
    ]);
  const header = request.headers['login-customer-id'];
  const login = Array.isArray(header) ? header.join(',') : header;
  if (typeof login === 'string' && !/^\d{10}$/.test(login))
    return adsError(400, version, [
      error(
        'headerError',
        'INVALID_LOGIN_CUSTOMER_ID',
        'The login customer ID could not be validated: 10 digits, no dashes.',
      ),
    ]);
  const customer = store.customers.get(customerId);
  const reached =
    customer !== undefined &&
    (login === undefined
      ? !customer.throughManagerOnly
      : login === customer.id || customer.managers.has(login));
  if (customer === undefined || !reached)
    return adsError(403, version, [
      error(
        'authorizationError',
        'USER_PERMISSION_DENIED',
        "User doesn't have permission to access customer. Note: If you're accessing a client customer, the manager's customer id must be set in the 'login-customer-id' header.",
      ),
    ]);
  return customer;
}

/** A developer token past its access level's daily operations: RESOURCE_EXHAUSTED until the window frees. */
function quotaRefusal(
  store: GoogleAdsStore,
  request: IncomingMessage,
  version: string,
  spending: number,
): Answer | undefined {
  const token = String(request.headers['developer-token']);
  const level = store.developerTokens.get(token) ?? 'BASIC';
  const limit = DAILY_OPERATIONS[level];
  if (store.spentToday(token) + spending <= limit) return undefined;
  const oldest = store.spent.get(token)?.at(0) ?? store.now();
  const seconds = Math.max(1, Math.ceil((oldest + 24 * 3600 * 1000 - store.now()) / 1000));
  return adsError(429, version, [
    {
      ...error(
        'quotaError',
        'RESOURCE_EXHAUSTED',
        `Too many requests. Retry in ${String(seconds)} seconds.`,
      ),
      details: {
        quotaErrorDetails: {
          rateScope: 'DEVELOPER',
          rateName: `Number of operations for ${level.toLowerCase()} access`,
          retryDelay: `${String(seconds)}s`,
        },
      },
    },
  ]);
}

function faultAnswer(kind: string, version: string, seconds: number, transient: boolean): Answer {
  if (kind === 'rate_limited')
    return adsError(429, version, [
      {
        ...error(
          'quotaError',
          'RESOURCE_TEMPORARILY_EXHAUSTED',
          'Too many requests in a short amount of time.',
        ),
        details: {
          quotaErrorDetails: {
            rateScope: 'ACCOUNT',
            rateName: 'Requests per account',
            retryDelay: `${String(seconds)}s`,
          },
        },
      },
    ]);
  if (kind === 'token_expired')
    return adsError(401, version, [
      error(
        'authenticationError',
        'OAUTH_TOKEN_EXPIRED',
        'The OAuth token in the header has expired.',
      ),
    ]);
  return transient
    ? adsError(503, version, [
        error(
          'internalError',
          'TRANSIENT_ERROR',
          'The service is temporarily unavailable. Retry later.',
        ),
      ])
    : adsError(500, version, [
        error('internalError', 'INTERNAL_ERROR', 'An internal error has occurred.'),
      ]);
}

export async function startGoogleAdsEmulator(
  options: { clock?: Clock } = {},
): Promise<GoogleAdsEmulator> {
  const store = new GoogleAdsStore(options.clock ?? systemClock);
  store.clients.set(TEST_CLIENT.id, TEST_CLIENT.secret);
  store.refreshTokens.set(TEST_REFRESH_TOKEN, TEST_CLIENT.id);
  store.developerTokens.set(TEST_DEVELOPER_TOKEN, 'BASIC');
  const counters = new EndpointCounters();
  const faults = new GoogleAdsFaults();

  const handle = async (
    request: IncomingMessage,
    response: ServerResponse,
    server: EmulatorServer,
  ): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://emulator');
    const method = request.method ?? 'GET';
    counters.record(endpointOf(method, url.pathname));
    const answer = async (result: Answer): Promise<void> => {
      await faults.delay();
      counters.answered(result.status);
      send(response, result);
    };
    const bytes = await readRequestBody(request, MAX_BODY_BYTES);
    if (bytes === 'too_large')
      return answer({
        status: 413,
        body: {
          error: { code: 413, message: 'Request payload too large', status: 'INVALID_ARGUMENT' },
        },
      });
    if (url.pathname === '/token' && method === 'POST')
      return answer(grantToken(store, new URLSearchParams(bytes.toString('utf8'))));
    const parts = /^\/(v\d+)\/customers\/(\d+)((?::|\/).*)$/.exec(url.pathname);
    const version = parts?.at(1) ?? '';
    if (parts === null || !SERVED_VERSIONS.includes(version)) return answer(notFound(url.pathname));
    const body = jsonBody(bytes);
    if (body === undefined) {
      return answer({
        status: 400,
        body: {
          error: {
            code: 400,
            message: 'Invalid JSON payload received.',
            status: 'INVALID_ARGUMENT',
          },
        },
      });
    }
    const caller = refusal(store, request, version, parts.at(2) ?? '');
    if ('status' in caller) return answer(caller);
    const quota = quotaRefusal(store, request, version, operationsOf(url.pathname, body));
    if (quota !== undefined) return answer(quota);
    const fault = faults.take({ method, path: url.pathname, query: url.searchParams });
    if (fault?.kind === 'timeout') {
      server.hold(() => request.socket.destroy(), faults.hangMs);
      return;
    }
    const call = { version, customer: caller, rest: parts.at(3) ?? '', method, body };
    if (fault !== undefined && fault.kind !== 'answer_lost')
      return answer(faultAnswer(fault.kind, version, fault.seconds ?? 1, fault.transient === true));
    store.spend(String(request.headers['developer-token']), operationsOf(url.pathname, body));
    const result = route(store, faults, call);
    if (fault?.kind === 'answer_lost') {
      counters.answered(result.status);
      return answer({
        status: 502,
        body: { error: { code: 502, message: 'Bad Gateway', status: 'UNAVAILABLE' } },
      });
    }
    return answer(result);
  };

  const server = await startEmulatorServer(handle, (response, failure) => {
    send(
      response,
      adsError(500, 'v25', [
        error(
          'internalError',
          'INTERNAL_ERROR',
          `An internal error has occurred: ${String(failure)}`,
        ),
      ]),
    );
  });
  return { url: server.url, store, counters, faults, close: () => server.close() };
}
