/**
 * The HubSpot emulator: a node:http server on 127.0.0.1 that speaks HubSpot's CRM v3 wire protocol
 * for contacts, companies and deals, so `@hubspot/api-client` runs against it unmodified.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type EmulatorServer,
  recordPage,
  startEmulatorServer,
  readRequestText,
} from '../../sdk/testing/emulator-kit';
import { systemClock } from '../../sdk/clock';
import type { Clock } from '../../sdk/contract';
import { EmulatorAuth, type OAuthApp } from './auth';
import { EmulatorCounters } from './counters';
import { EmulatorFaults } from './faults';
import { RecordGenerator } from './generator';
import { type ObjectType, objectTypeOf } from './properties';
import { type RateLimitSettings, RateLimits, rateLimitMessage } from './rate-limits';
import { type RouteAnswer, correlationId, errorAnswer, errorBody } from './responses';
import type { RouteContext } from './routes/context';
import { route } from './routes/router';
import { HubSpotStore, type StoredRecord } from './store';
import { HubSpotLists, listsRoute } from './lists';
import { HubSpotSubscriptions, subscriptionsRoute } from './subscriptions';

export { HubSpotStore, type StoredRecord } from './store';
export type { EmulatorFaults, EmulatorFaultKind, FaultOptions, RecordRejection } from './faults';
export type { EmulatorCounters } from './counters';
export type { ObjectType } from './properties';
export { SEARCH_LIMITS } from './search';
export { HubSpotLists, type StoredList as StoredHubSpotList, type ProcessingType } from './lists';
export { HubSpotSubscriptions, type StatusState } from './subscriptions';
export { DEFAULT_SUBSCRIPTIONS, optOutProperty } from './properties';
export { BATCH_MAX_INPUTS } from './routes/batch';

export interface HubSpotEmulatorOptions {
  /** Record stamps, rate-limit windows, token expiry and search lag follow this clock. */
  clock?: Clock;
  /** Seed of the data generator. */
  seed?: number;
  /** Real milliseconds added before every answer. */
  latencyMs?: number;
  searchLagMs?: number;
  rateLimits?: Partial<RateLimitSettings>;
  /** Private-app tokens accepted; `pat-emulator` when absent. */
  privateAppTokens?: string[];
  /** OAuth apps whose refresh tokens the emulator honours. */
  oauthApps?: OAuthApp[];
}

export interface HubSpotEmulator {
  url: string;
  store: HubSpotStore;
  counters: EmulatorCounters;
  faults: EmulatorFaults;
  auth: EmulatorAuth;
  rateLimits: RateLimits;
  generator: RecordGenerator;
  /** The contacts' lists (Lists v3). */
  lists: HubSpotLists;
  /** Email subscription statuses (Communication Preferences v4). */
  subscriptions: HubSpotSubscriptions;
  /** Adds `count` generated records straight into the store. */
  seed(type: ObjectType, count: number): StoredRecord[];
  close(): Promise<void>;
}

export const DEFAULT_PRIVATE_APP_TOKEN = 'pat-emulator';

/** `POST /crm/v3/objects/contacts/batch/upsert`; numeric ids become `:id`. */
export function endpointOf(method: string, path: string): string {
  return `${method} ${path
    .split('/')
    .map((segment) => (/^\d+$/.test(segment) ? ':id' : segment))
    .join('/')}`;
}

function send(
  response: ServerResponse,
  answer: RouteAnswer,
  headers: Record<string, string>,
): void {
  const all: Record<string, string> = { ...headers, ...answer.headers };
  if (answer.body === undefined) {
    response.writeHead(answer.status, all);
    response.end();
    return;
  }
  const text = JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    ...all,
    'content-type': 'application/json;charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
  });
  response.end(text);
}

/**
 * The answer to a call past auth and limits, and whether a handler carried it out (an
 * `answer_lost` fault then replaces its answer). Lists v3 (lists.ts) and subscription statuses
 * (subscriptions.ts) are not object types; the rest are CRM object routes.
 */
function dispatch(
  portal: {
    store: HubSpotStore;
    faults: EmulatorFaults;
    lists: HubSpotLists;
    subscriptions: HubSpotSubscriptions;
  },
  method: string,
  segments: string[],
  query: URLSearchParams,
  body: unknown,
): { answer: RouteAnswer; carriedOut: boolean } {
  const [first, second, third] = [segments.at(0), segments.at(1), segments.at(2)];
  if (first === 'crm' && second === 'v3' && third === 'lists')
    return {
      answer: listsRoute(portal.lists, portal.store, method, segments.slice(3), query, body),
      carriedOut: true,
    };
  if (first === 'communication-preferences' && second === 'v4')
    return {
      answer: subscriptionsRoute(portal.subscriptions, method, segments.slice(2), query, body),
      carriedOut: true,
    };
  const found = route(method, segments);
  if (!('handler' in found)) return { answer: found, carriedOut: false };
  const type = objectTypeOf(found.type);
  if (type === undefined)
    return {
      answer: errorAnswer(
        400,
        'VALIDATION_ERROR',
        `Unable to infer object type from: ${found.type}`,
      ),
      carriedOut: false,
    };
  const context: RouteContext = {
    store: portal.store,
    faults: portal.faults,
    type,
    query,
    body,
    ...(found.id === undefined ? {} : { id: found.id }),
    ...(found.params === undefined ? {} : { params: found.params }),
  };
  return { answer: found.handler(context), carriedOut: true };
}

/** Where the consent page's Allow and Deny go (the emulator's own; HubSpot's is internal). */
const DECISION = '/oauth/authorize/decision';

export async function startHubSpotEmulator(
  options: HubSpotEmulatorOptions = {},
): Promise<HubSpotEmulator> {
  const clock = options.clock ?? systemClock;
  const store = new HubSpotStore({ clock, searchLagMs: options.searchLagMs });
  const lists = new HubSpotLists(store);
  const subscriptions = new HubSpotSubscriptions(store);
  const counters = new EmulatorCounters();
  const faults = new EmulatorFaults();
  faults.latencyMs = options.latencyMs ?? 0;
  const auth = new EmulatorAuth(clock);
  for (const token of options.privateAppTokens ?? [DEFAULT_PRIVATE_APP_TOKEN])
    auth.addPrivateAppToken(token);
  for (const app of options.oauthApps ?? []) auth.addApp(app);
  const rateLimits = new RateLimits(clock, options.rateLimits);
  const generator = new RecordGenerator(options.seed ?? 1);

  const handle = async (
    request: IncomingMessage,
    response: ServerResponse,
    server: EmulatorServer,
  ): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = (request.method ?? 'GET').toUpperCase();
    const endpoint = endpointOf(method, url.pathname);
    const text = (await readRequestText(request)) ?? '';
    counters.record(endpoint);
    const reply = (answer: RouteAnswer, headers: Record<string, string> = {}): void => {
      counters.answered(answer.status);
      send(response, answer, headers);
    };
    await faults.delay();

    // The UI's record page (app.hubspot.com/contacts/<portal>/record/<type id>/<id>), for the
    // console's links from the sandbox: no token, as a browser has none.
    const page = /^\/contacts\/\d+\/record\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (page !== null && method === 'GET') {
      const type = objectTypeOf(decodeURIComponent(page[1]));
      const id = decodeURIComponent(page[2]);
      const record = type === undefined ? undefined : store.get(type, id);
      const answer = recordPage('HubSpot', type ?? 'object', id, record?.properties);
      counters.answered(answer.status);
      response.writeHead(answer.status, { 'content-type': 'text/html; charset=utf-8' });
      response.end(answer.html);
      return;
    }

    // The install's consent page (app.hubspot.com/oauth/authorize): a browser, no token.
    if (method === 'GET' && (url.pathname === '/oauth/authorize' || url.pathname === DECISION)) {
      const answer =
        url.pathname === DECISION
          ? auth.consent.decide(url.searchParams)
          : auth.consent.authorize(url.searchParams, DECISION);
      counters.answered(answer.kind === 'redirect' ? 302 : answer.status);
      if (answer.kind === 'redirect') response.writeHead(302, { location: answer.location });
      else response.writeHead(answer.status, { 'content-type': 'text/html; charset=utf-8' });
      response.end(answer.kind === 'redirect' ? undefined : answer.html);
      return;
    }

    if (url.pathname === '/oauth/v1/token' && method === 'POST') {
      const result = auth.token(new URLSearchParams(text));
      if ('error' in result) {
        reply({
          status: 400,
          body: { status: result.error, message: result.message, correlationId: correlationId() },
        });
        return;
      }
      reply({
        status: 200,
        body: {
          token_type: 'bearer',
          refresh_token: result.refreshToken,
          access_token: result.accessToken,
          expires_in: result.expiresIn,
        },
      });
      return;
    }

    const fault = faults.take({ method, path: url.pathname, endpoint, query: url.searchParams });
    if (fault !== undefined) {
      switch (fault.kind) {
        case 'rate_limited':
          reply(
            {
              status: 429,
              body: {
                status: 'error',
                message: rateLimitMessage('TEN_SECONDLY_ROLLING'),
                errorType: 'RATE_LIMIT',
                correlationId: correlationId(),
                policyName: 'TEN_SECONDLY_ROLLING',
                requestId: correlationId(),
              },
            },
            {
              'X-HubSpot-RateLimit-Interval-Milliseconds': String(rateLimits.settings.intervalMs),
              'X-HubSpot-RateLimit-Max': String(rateLimits.settings.intervalMax),
              'X-HubSpot-RateLimit-Remaining': '0',
              'X-HubSpot-RateLimit-Secondly-Remaining': '0',
              ...(fault.retryAfterSeconds === undefined
                ? {}
                : { 'Retry-After': String(fault.retryAfterSeconds) }),
            },
          );
          return;
        case 'server_error':
          reply({
            status: fault.status ?? 502,
            body: errorBody('INTERNAL_ERROR', 'Internal error'),
          });
          return;
        case 'timeout': {
          // Hold the call, then drop the connection without an answer.
          server.hold(() => request.socket.destroy(), faults.hangMs);
          return;
        }
        case 'token_expired':
          auth.expireAccessTokens();
          break;
        case 'answer_lost':
          // Carried out below; its answer is replaced by a 502.
          break;
        default: {
          const unreachable: never = fault.kind;
          throw new Error(`unknown fault ${String(unreachable)}`);
        }
      }
    }

    const token = auth.check(request.headers.authorization);
    if (!token.ok) {
      const expired = token.reason === 'expired';
      reply(
        errorAnswer(
          401,
          expired ? 'EXPIRED_AUTHENTICATION' : 'INVALID_AUTHENTICATION',
          expired
            ? `The OAuth token used to make this call expired ${Math.floor(token.expiredMs / 60_000)} minute(s) ago.`
            : 'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
        ),
      );
      return;
    }

    const search = url.pathname.endsWith('/search');
    const verdict = rateLimits.admit({ search, dailyHeaders: token.kind === 'private_app' });
    if (verdict.refused !== undefined) {
      reply(
        {
          status: 429,
          body: {
            status: 'error',
            message: rateLimitMessage(verdict.refused),
            errorType: 'RATE_LIMIT',
            correlationId: correlationId(),
            policyName: verdict.refused,
            // The usage-details page's example 429 carries a requestId beside the correlationId.
            requestId: correlationId(),
          },
        },
        verdict.headers,
      );
      return;
    }

    // Path segments arrive percent-encoded (the official SDK encodes ids: jane%40example.com).
    let segments: string[];
    try {
      segments = url.pathname
        .split('/')
        .filter((segment) => segment !== '')
        .map((segment) => decodeURIComponent(segment));
    } catch {
      reply(
        errorAnswer(400, 'VALIDATION_ERROR', 'Malformed URL encoding in the path'),
        verdict.headers,
      );
      return;
    }
    let body: unknown;
    if (text !== '') {
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        reply(
          errorAnswer(400, 'VALIDATION_ERROR', 'Invalid input JSON on line 1'),
          verdict.headers,
        );
        return;
      }
    }
    const { answer, carriedOut } = dispatch(
      { store, faults, lists, subscriptions },
      method,
      segments,
      url.searchParams,
      body,
    );
    if (carriedOut && fault?.kind === 'answer_lost') {
      reply({ status: 502, body: errorBody('INTERNAL_ERROR', 'Internal error') });
      return;
    }
    reply(answer, verdict.headers);
  };

  const { url, close } = await startEmulatorServer(
    handle,
    (response, error) => {
      send(
        response,
        errorAnswer(
          500,
          'INTERNAL_ERROR',
          error instanceof Error ? error.message : 'internal error',
        ),
        {},
      );
    },
    { keepAliveTimeoutMs: 1_000 },
  );

  return {
    url,
    store,
    counters,
    faults,
    auth,
    rateLimits,
    generator,
    lists,
    subscriptions,
    seed: (type, count) =>
      Array.from({ length: count }, () => store.insert(type, generator.next(type))),
    close,
  };
}
