/**
 * The Salesforce emulator: a node:http server on 127.0.0.1 that speaks the REST API (query,
 * sObjects, collections, Bulk API 2.0) and the OAuth token endpoint over an in-memory org, with the
 * API usage header and daily limit, sessions that expire, fault injection and call counters.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  EndpointCounters,
  type EmulatorServer,
  recordPage,
  startEmulatorServer,
} from '../../sdk/testing/emulator-kit';
import { systemClock } from '../../sdk/clock';
import type { Clock } from '../../sdk/contract';
import { EmulatorFaults } from './faults';
import {
  type EmulatorAnswer,
  type EmulatorSettings,
  type RouteContext,
  json,
  notFound,
  restError,
} from './http';
import { bulkRoutes } from './routes/bulk';
import { collectionRoutes } from './routes/collections';
import { type OAuthSettings, Sessions } from './routes/oauth';
import { queryMore, runQuery } from './routes/query';
import { sobjectRoutes } from './routes/sobjects';
import { OrgStore, RECYCLE_BIN_MS } from './store';

export interface SalesforceEmulatorOptions {
  /** The newest API version served (`59.0` or later); older versions down to 31.0 are served too. */
  version?: string;
  clock?: Clock;
  /**
   * API requests allowed per 24 h. Salesforce's allocation is 100,000 + per-licence extras for
   * Enterprise Edition ("API Request Limits and Allocations", Salesforce Developer Limits).
   */
  dailyApiLimit?: number;
  auth?: Partial<OAuthSettings>;
  queryBatchSize?: number;
  bulkInProgressPolls?: number;
  /** See EmulatorSettings.bulkProcessingMs. */
  bulkProcessingMs?: number;
  latencyMs?: number;
  /**
   * Whether the integration user has "View Setup and Configuration", which the Limits resource
   * needs (REST API Developer Guide, "Limits"); without it `/limits` answers 403.
   */
  viewSetup?: boolean;
}

/** Calls per endpoint and answers per status (the emulator kit's counters). */
export type EmulatorCounters = EndpointCounters;

export interface SalesforceEmulator {
  /** The instance URL: the org's My Domain, where every grant is served. */
  url: string;
  /**
   * Stands for the generic login host (login.salesforce.com, test.salesforce.com): refresh tokens
   * are redeemed there, the client-credentials grant is refused as Salesforce does.
   */
  loginUrl: string;
  version: string;
  store: OrgStore;
  counters: EmulatorCounters;
  faults: EmulatorFaults;
  sessions: Sessions;
  auth: OAuthSettings;
  /** A valid session id issued at start. */
  accessToken: string;
  /** API requests counted against the daily limit so far. */
  apiUsage(): number;
  close(): Promise<void>;
}

const URI_AND_HEADERS_MAX = 16_384;

/** `GET /query/01g…-2000` and `/jobs/ingest/750…/batches` count under one name each. */
function endpointOf(method: string, path: string): string {
  const normalized = path
    .split('/')
    .map((segment) =>
      /^(?=.*\d)[A-Za-z0-9]{15,18}$/.test(segment) || /^01g\w+-\d+$/.test(segment)
        ? ':id'
        : segment,
    )
    .join('/');
  return `${method} ${normalized}`;
}

function readText(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    request.on('error', reject);
  });
}

function bearer(request: IncomingMessage): string | undefined {
  const match = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

export async function startSalesforceEmulator(
  options: SalesforceEmulatorOptions = {},
): Promise<SalesforceEmulator> {
  const version = options.version ?? '59.0';
  if (!/^\d+\.0$/.test(version) || Number(version) < 59)
    throw new Error(`API version ${version}: use 59.0 or later`);
  const clock = options.clock ?? systemClock;
  const store = new OrgStore(clock);
  const faults = new EmulatorFaults();
  faults.latencyMs = options.latencyMs ?? 0;
  const counters = new EndpointCounters();
  const auth: OAuthSettings = {
    clientId: 'syncline-client-id',
    clientSecret: 'syncline-client-secret',
    refreshToken: 'syncline-refresh-token',
    // Salesforce's default session timeout: 2 hours (Setup → Session Settings).
    sessionTtlMs: 2 * 60 * 60 * 1000,
    ...options.auth,
  };
  const sessions = new Sessions(clock, auth);
  const settings: EmulatorSettings = {
    // "up to 2,000 records can be returned at a time" (REST API Developer Guide, Query).
    queryBatchSize: options.queryBatchSize ?? 2000,
    bulkInProgressPolls: options.bulkInProgressPolls ?? 1,
    ...(options.bulkProcessingMs === undefined
      ? {}
      : { bulkProcessingMs: options.bulkProcessingMs }),
  };
  const dailyLimit = options.dailyApiLimit ?? 100_000;
  let usage = 0;

  const handle = async (
    request: IncomingMessage,
    { url, wait }: EmulatorServer,
  ): Promise<{ answer: EmulatorAnswer; api: boolean }> => {
    const text = await readText(request);
    await faults.delay();
    // Deleted records past the recycle bin's 15 days are gone for good.
    store.purge(store.stamp() - RECYCLE_BIN_MS);
    const method = request.method ?? 'GET';
    const target = new URL(request.url ?? '/', url);
    // The connected app's consent page, for a browser: on the login host and on My Domain.
    if (
      method === 'GET' &&
      /^(\/login)?\/services\/oauth2\/authorize(\/decision)?$/.test(target.pathname)
    )
      return { answer: sessions.authorize(target.pathname, target.searchParams), api: false };
    const tokenEndpoint = /^(\/login)?\/services\/oauth2\/token$/.exec(target.pathname);
    if (tokenEndpoint !== null) {
      counters.record('POST /oauth2/token');
      if (method !== 'POST')
        return {
          answer: json(405, { error: 'invalid_request', error_description: 'must use HTTP POST' }),
          api: false,
        };
      const host = tokenEndpoint[1] === '/login' ? 'login' : 'my_domain';
      return { answer: sessions.token(new URLSearchParams(text), url, host), api: false };
    }
    // Lightning's record page (<org>/lightning/r/<object>/<id>/view), for the console's links from
    // the sandbox: no session, as a browser has none here.
    const page = /^\/lightning\/r\/([^/]+)\/([^/]+)\/view$/.exec(target.pathname);
    if (page !== null && method === 'GET') {
      const object = decodeURIComponent(page[1]);
      const record = store.get(decodeURIComponent(page[2]));
      const shown = record?.object.toLowerCase() === object.toLowerCase() ? record : undefined;
      const { status, html } = recordPage(
        'Salesforce',
        object,
        decodeURIComponent(page[2]),
        shown === undefined ? undefined : { Id: shown.Id, ...shown.values },
      );
      return {
        answer: { status, text: html, contentType: 'text/html; charset=utf-8' },
        api: false,
      };
    }
    const versioned = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(target.pathname);
    if (versioned === null || Number(versioned[1]) > Number(version) || Number(versioned[1]) < 31) {
      counters.record(`${method} ${target.pathname}`);
      return { answer: notFound(), api: false };
    }
    const path = ((versioned[2] as string | undefined) ?? '/').replace(/\/$/, '') || '/';
    const endpoint = endpointOf(method, path);
    counters.record(endpoint);
    // "the maximum length for the combined URI and headers is 16,384 bytes" (Help 000386264).
    const headerBytes = request.rawHeaders.reduce(
      (sum, part) => sum + Buffer.byteLength(part) + 2,
      0,
    );
    if (Buffer.byteLength(request.url ?? '') > URI_AND_HEADERS_MAX) {
      return {
        answer: { status: 414, text: 'URI Too Long', contentType: 'text/html' },
        api: false,
      };
    }
    if (Buffer.byteLength(request.url ?? '') + headerBytes > URI_AND_HEADERS_MAX) {
      return {
        answer: { status: 431, text: 'Request Header Fields Too Large', contentType: 'text/html' },
        api: false,
      };
    }
    const token = bearer(request);
    if (token === undefined || !sessions.valid(token)) {
      return {
        answer: restError(401, 'INVALID_SESSION_ID', 'Session expired or invalid'),
        api: true,
      };
    }
    usage++;
    if (usage > dailyLimit)
      return {
        answer: restError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
        api: true,
      };
    const fault = faults.takeCallFault(endpoint);
    let lostAnswer = false;
    if (fault !== undefined)
      switch (fault.kind) {
        case 'session_expired':
          sessions.expireAll();
          return {
            answer: restError(401, 'INVALID_SESSION_ID', 'Session expired or invalid'),
            api: true,
          };
        case 'request_limit':
          return {
            answer: restError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
            api: true,
          };
        case 'rate_limited': {
          const answer = restError(
            429,
            'REQUEST_LIMIT_EXCEEDED',
            'ConcurrentPerOrgLongTxn Limit exceeded.',
          );
          if (fault.retryAfterMs !== undefined)
            answer.headers = { 'Retry-After': String(Math.ceil(fault.retryAfterMs / 1000)) };
          return { answer, api: true };
        }
        case 'server_error':
          return {
            answer: restError(503, 'SERVER_UNAVAILABLE', 'Service temporarily unavailable'),
            api: true,
          };
        case 'answer_lost':
          lostAnswer = true;
          break;
        case 'timeout':
          await wait(faults.hangMs);
          return {
            answer: restError(503, 'SERVER_UNAVAILABLE', 'Service temporarily unavailable'),
            api: true,
          };
        default: {
          const unreachable: never = fault.kind;
          return unreachable;
        }
      }
    const context: RouteContext = {
      method,
      path,
      query: target.searchParams,
      headers: request.headers,
      text,
      store,
      faults,
      version: versioned[1],
      settings,
    };
    const route = (): { answer: EmulatorAnswer; api: boolean } => {
      const segments = path.split('/').filter((segment) => segment !== '');
      const first = segments.at(0);
      const second = segments.at(1);
      switch (first) {
        case undefined:
          return {
            answer: json(200, {
              sobjects: `/services/data/v${context.version}/sobjects`,
              query: `/services/data/v${context.version}/query`,
              limits: `/services/data/v${context.version}/limits`,
            }),
            api: true,
          };
        case 'limits':
          if (options.viewSetup === false)
            return {
              answer: restError(
                403,
                'INSUFFICIENT_ACCESS',
                'The Limits resource needs the View Setup and Configuration permission',
              ),
              api: true,
            };
          return {
            answer: json(200, {
              DailyApiRequests: { Max: dailyLimit, Remaining: Math.max(0, dailyLimit - usage) },
            }),
            api: true,
          };
        case 'query':
        case 'queryAll':
          if (method !== 'GET')
            return {
              answer: restError(
                405,
                'METHOD_NOT_ALLOWED',
                `HTTP Method '${method}' not allowed. Allowed are GET,HEAD`,
              ),
              api: true,
            };
          return {
            answer:
              second === undefined
                ? runQuery(context, first === 'queryAll')
                : queryMore(context, second),
            api: true,
          };
        case 'sobjects':
          return { answer: sobjectRoutes(context, segments), api: true };
        case 'composite':
          return {
            answer: second === 'sobjects' ? collectionRoutes(context, segments) : notFound(),
            api: true,
          };
        case 'jobs':
          return { answer: bulkRoutes(context, segments), api: true };
        default:
          return { answer: notFound(), api: true };
      }
    };
    const routed = route();
    // The call was carried out, and its answer lost on the way back: the client sees a 503.
    if (lostAnswer)
      return {
        answer: restError(503, 'SERVER_UNAVAILABLE', 'Service temporarily unavailable'),
        api: true,
      };
    return routed;
  };

  /** `api`: a REST API answer, which carries the org's usage in Sforce-Limit-Info. */
  const respond = (response: ServerResponse, answer: EmulatorAnswer, api: boolean): void => {
    counters.answered(answer.status);
    const headers: Record<string, string> = { ...answer.headers };
    if (api) headers['Sforce-Limit-Info'] = `api-usage=${usage}/${dailyLimit}`;
    let payload = '';
    if (answer.text !== undefined) {
      payload = answer.text;
      headers['Content-Type'] = answer.contentType ?? 'text/plain';
    } else if (answer.body !== undefined) {
      payload = JSON.stringify(answer.body);
      headers['Content-Type'] = 'application/json;charset=UTF-8';
    }
    response.writeHead(answer.status, headers);
    response.end(payload);
  };

  // Node's own 16 KB header cap would answer 431 first; Salesforce's URI limit is checked above.
  const server = await startEmulatorServer(
    async (request, response, emulator) => {
      const { answer, api } = await handle(request, emulator);
      if (!response.destroyed) respond(response, answer, api);
    },
    (response, error) => {
      const message = error instanceof Error ? error.message : String(error);
      respond(
        response,
        restError(500, 'UNKNOWN_EXCEPTION', `An unexpected error occurred: ${message}`),
        true,
      );
    },
    { maxHeaderSize: 64 * 1024 },
  );
  return {
    url: server.url,
    loginUrl: `${server.url}/login`,
    version,
    store,
    counters,
    faults,
    sessions,
    auth,
    accessToken: sessions.issue(),
    apiUsage: () => usage,
    close: server.close,
  };
}
