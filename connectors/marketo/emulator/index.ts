/**
 * The Marketo emulator: a node:http server on 127.0.0.1 that speaks the Identity service and the
 * Lead Database REST API as Adobe documents them (see README.md for the pages each behaviour comes
 * from): leads, the activity stream of changes and deletes, static lists, Marketo's error model
 * (HTTP 200 with `success: false`), its limits (606, 607, 615), 413 and 414.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { systemClock } from '../../sdk/clock';
import type { Clock } from '../../sdk/contract';
import {
  EndpointCounters,
  type EmulatorServer,
  seededRandom,
  startEmulatorServer,
  readRequestBody,
} from '../../sdk/testing/emulator-kit';
import { deletedLeads, leadChanges, pagingTokenFor } from './activities';
import { type CustomService, MarketoIdentity } from './auth';
import type { LeadValue } from './fields';
import { MarketoFaults } from './faults';
import {
  type LeadRouteContext,
  deleteLeads,
  describe,
  describe2,
  getLead,
  getLeads,
  syncLeads,
} from './leads';
import { type LimitSettings, MarketoLimits } from './limits';
import { changeMembership, getList, getLists, listMembers } from './lists';
import {
  deleteMembers,
  getChannels,
  getProgramMembers,
  getPrograms,
  syncMemberStatus,
} from './programs';
import { type Answer, Refused, refused, requestId } from './responses';
import { MarketoStore, type StoredLead } from './store';

export { MarketoStore, type StoredLead, type StoredList } from './store';
export type { StoredProgram } from './programs';
export type { MarketoFaults, MarketoFaultKind, RecordReason } from './faults';
export { LEAD_FIELDS, marketoDateTime } from './fields';
export { MAX_BATCH } from './leads';

export interface MarketoEmulatorOptions {
  clock?: Clock;
  seed?: number;
  /** Custom services whose client id and secret buy tokens; one test service when absent. */
  services?: CustomService[];
  limits?: Partial<LimitSettings>;
  /** How late activities show up in Get Lead Changes and Get Deleted Leads (ms). */
  activityLagMs?: number;
  /**
   * Real ms Sync Leads waits between its lookups and its writes: with it, two closely timed
   * upserts of one new email both create a lead, as Marketo warns they can.
   */
  upsertRaceMs?: number;
}

export interface MarketoEmulator {
  /** The instance's base URL: Identity at `/identity`, REST at `/rest`. */
  url: string;
  store: MarketoStore;
  counters: EndpointCounters;
  /** Request-level errors answered, by code (`606`, `607`…): Marketo's refusals come with a 200. */
  refusals: Map<string, number>;
  faults: MarketoFaults;
  identity: MarketoIdentity;
  limits: MarketoLimits;
  /** Adds `count` generated leads straight into the store. */
  seed(count: number): StoredLead[];
  close(): Promise<void>;
}

export const TEST_SERVICE: CustomService = {
  clientId: 'syncline-test-client',
  clientSecret: 'syncline-test-secret',
  user: 'syncline@emulator.example.com',
};

/** Largest URI and body Marketo takes ("Error Codes", HTTP-level: 414 and 413). */
export const MAX_URI_BYTES = 8 * 1024;
export const MAX_BODY_BYTES = 1024 * 1024;

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Perlman'];

/** Fields of plausible generated leads, each with its own email. */
export function leadGenerator(seed: number): () => Record<string, LeadValue> {
  const random = seededRandom(seed);
  const pick = (items: readonly string[]): string =>
    items[Math.floor(random() * items.length)] ?? 'x';
  let counter = 0;
  return () => {
    const n = ++counter;
    const first = pick(FIRST);
    const last = pick(LAST);
    return {
      email: `${first}.${last}.m${n}@example.com`.toLowerCase(),
      firstName: first,
      lastName: last,
      company: `${last} Labs`,
      leadSource: 'Emulator',
    };
  };
}

/** `GET /rest/v1/lists/:id/leads.json`: numbers become `:id`. */
function endpointOf(method: string, path: string): string {
  return `${method} ${path.replace(/\/\d+(?=[./])/g, '/:id')}`;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/html' : 'application/json;charset=UTF-8',
    'content-length': String(Buffer.byteLength(text)),
  });
  response.end(text);
}

type Handler = (context: LeadRouteContext, id: string) => Answer | Promise<Answer>;

/** The REST routes: path pattern, and a handler per method. */
const ROUTES: readonly [RegExp, Partial<Record<string, Handler>>][] = [
  [/^\/rest\/v1\/leads\/describe\.json$/, { GET: () => describe() }],
  [/^\/rest\/v1\/leads\/describe2\.json$/, { GET: () => describe2() }],
  [/^\/rest\/v1\/leads\.json$/, { GET: getLeads, POST: syncLeads }],
  [/^\/rest\/v1\/lead\/(\d+)\.json$/, { GET: getLead }],
  [/^\/rest\/v1\/leads\/delete\.json$/, { POST: deleteLeads }],
  [
    /^\/rest\/v1\/activities\/pagingtoken\.json$/,
    { GET: (context) => pagingTokenFor(context.query) },
  ],
  [/^\/rest\/v1\/activities\/leadchanges\.json$/, { GET: leadChanges }],
  [/^\/rest\/v1\/activities\/deletedleads\.json$/, { GET: deletedLeads }],
  [/^\/rest\/v1\/lists\.json$/, { GET: getLists }],
  [/^\/rest\/v1\/lists\/(\d+)\.json$/, { GET: getList }],
  [
    /^\/rest\/v1\/lists\/(\d+)\/leads\.json$/,
    {
      GET: listMembers,
      POST: (context, id) => changeMembership(context, id, 'add'),
      DELETE: (context, id) => changeMembership(context, id, 'remove'),
    },
  ],
  [/^\/rest\/asset\/v1\/programs\.json$/, { GET: getPrograms }],
  [/^\/rest\/asset\/v1\/channels\.json$/, { GET: getChannels }],
  [/^\/rest\/v1\/programs\/(\d+)\/members\.json$/, { GET: getProgramMembers }],
  [/^\/rest\/v1\/programs\/(\d+)\/members\/status\.json$/, { POST: syncMemberStatus }],
  [/^\/rest\/v1\/programs\/(\d+)\/members\/delete\.json$/, { POST: deleteMembers }],
  [
    /^\/rest\/v1\/lists\/(\d+)\/leads\/ismember\.json$/,
    { GET: (context, id) => changeMembership(context, id, 'ismember') },
  ],
];

export async function startMarketoEmulator(
  options: MarketoEmulatorOptions = {},
): Promise<MarketoEmulator> {
  const clock = options.clock ?? systemClock;
  const store = new MarketoStore({ clock, activityLagMs: options.activityLagMs });
  const counters = new EndpointCounters();
  const refusals = new Map<string, number>();
  const faults = new MarketoFaults();
  const identity = new MarketoIdentity(clock);
  for (const service of options.services ?? [TEST_SERVICE]) identity.addService(service);
  const limits = new MarketoLimits(clock, options.limits);
  const generate = leadGenerator(options.seed ?? 1);
  const raceMs = options.upsertRaceMs ?? 0;

  const handle = async (
    request: IncomingMessage,
    response: ServerResponse,
    server: EmulatorServer,
  ): Promise<void> => {
    const raw = request.url ?? '/';
    const url = new URL(raw, 'http://127.0.0.1');
    let method = (request.method ?? 'GET').toUpperCase();
    const endpoint = endpointOf(method, url.pathname);
    counters.record(endpoint);
    const reply = (status: number, body: unknown): void => {
      counters.answered(status);
      const code = (body as { success?: boolean; errors?: { code: string }[] } | null)?.errors?.at(
        0,
      )?.code;
      if (code !== undefined) refusals.set(code, (refusals.get(code) ?? 0) + 1);
      send(response, status, body);
    };
    if (Buffer.byteLength(raw) > MAX_URI_BYTES) {
      await readRequestBody(request, 0);
      reply(414, '<html><body><h1>414 Request-URI Too Large</h1></body></html>');
      return;
    }
    const bytes = await readRequestBody(request, MAX_BODY_BYTES);
    if (bytes === 'too_large') {
      reply(413, '<html><body><h1>413 Request Entity Too Large</h1></body></html>');
      return;
    }
    const text = bytes.toString('utf8');
    const contentType = (request.headers['content-type'] ?? '').toLowerCase();

    if (url.pathname === '/identity/oauth/token' && (method === 'GET' || method === 'POST')) {
      const params = new URLSearchParams(url.searchParams);
      if (contentType.includes('application/x-www-form-urlencoded'))
        for (const [name, value] of new URLSearchParams(text)) params.set(name, value);
      const answer = identity.token(params);
      reply(answer.status, answer.body);
      return;
    }

    const fault = faults.take({ method, path: url.pathname, query: url.searchParams });
    const answerRefusal = (answer: Answer): void => {
      reply(answer.status, answer.body);
    };
    if (fault !== undefined) {
      switch (fault.kind) {
        case 'rate_limited':
          faults.rateLimitedUntil = clock.now().getTime() + (fault.forMs ?? 0);
          answerRefusal(
            refused(
              '606',
              `Max rate limit '${limits.settings.windowMax}' exceeded with in '${limits.settings.windowMs / 1000}' secs`,
            ),
          );
          return;
        case 'concurrency':
          answerRefusal(refused('615', 'Concurrent access limit reached'));
          return;
        case 'quota':
          answerRefusal(refused('607', 'Daily quota reached'));
          return;
        case 'server_error':
          if (fault.status !== undefined)
            reply(fault.status, `<html><body><h1>${fault.status} Bad Gateway</h1></body></html>`);
          else {
            const code = fault.code ?? '611';
            answerRefusal(
              refused(
                code,
                code === '604'
                  ? 'Request time-out'
                  : code === '608'
                    ? 'API Temporarily Unavailable'
                    : code === '713'
                      ? 'Transient Error'
                      : 'System error',
              ),
            );
          }
          return;
        case 'timeout':
          server.hold(() => request.socket.destroy(), faults.hangMs);
          return;
        case 'token_expired':
          identity.expireAll();
          break;
        case 'answer_lost':
          break;
        default: {
          const unreachable: never = fault.kind;
          throw new Error(`unknown fault ${String(unreachable)}`);
        }
      }
    }

    const auth = identity.check(request.headers.authorization);
    if (auth !== 'ok') {
      answerRefusal(
        auth === 'expired'
          ? refused('602', 'Access token expired')
          : refused('601', 'Access token invalid'),
      );
      return;
    }
    if (clock.now().getTime() < faults.rateLimitedUntil) {
      answerRefusal(
        refused(
          '606',
          `Max rate limit '${limits.settings.windowMax}' exceeded with in '${limits.settings.windowMs / 1000}' secs`,
        ),
      );
      return;
    }
    const admission = limits.admit();
    if ('code' in admission) {
      answerRefusal(refused(admission.code, admission.message));
      return;
    }
    let answer: Answer;
    try {
      // Latency inside the admission: slow calls hold their concurrency slot, as Marketo's do.
      await faults.delay();
      // A long GET sent as a POST with `_method=GET`, its query in a form body ("Error Codes", 414).
      let query = url.searchParams;
      let body: unknown;
      if (method === 'POST' && url.searchParams.get('_method') === 'GET') {
        method = 'GET';
        query = new URLSearchParams(url.searchParams);
        query.delete('_method');
        for (const [name, value] of new URLSearchParams(text)) query.append(name, value);
      } else if (text !== '') {
        if (!contentType.includes('application/json'))
          throw new Refused('612', 'Invalid Content Type');
        try {
          body = JSON.parse(text) as unknown;
        } catch {
          throw new Refused('609', 'Invalid JSON');
        }
      }
      const route = ROUTES.map(([pattern, handlers]) => ({
        match: pattern.exec(url.pathname),
        handlers,
      })).find((candidate) => candidate.match !== null);
      if (route === undefined) throw new Refused('610', 'Requested resource not found');
      const handler = route.handlers[method];
      if (handler === undefined) throw new Refused('605', 'HTTP Method not supported');
      const context: LeadRouteContext = {
        store,
        faults,
        query,
        body,
        pause: () => (raceMs > 0 ? server.wait(raceMs) : Promise.resolve()),
      };
      answer = await handler(context, route.match?.[1] ?? '');
    } catch (error) {
      if (!(error instanceof Refused)) {
        admission.settle(false);
        throw error;
      }
      answer = refused(error.code, error.message);
    }
    admission.settle(answer.counted);
    if (fault?.kind === 'answer_lost') {
      reply(502, '<html><body><h1>502 Bad Gateway</h1></body></html>');
      return;
    }
    reply(answer.status, answer.body);
  };

  const { url, close } = await startEmulatorServer(
    handle,
    (response) => {
      send(response, 200, {
        requestId: requestId(),
        success: false,
        errors: [{ code: '611', message: 'System error' }],
      });
    },
    { keepAliveTimeoutMs: 1_000 },
  );

  return {
    url,
    store,
    counters,
    refusals,
    faults,
    identity,
    limits,
    seed: (count) => Array.from({ length: count }, () => store.create(generate())),
    close,
  };
}
