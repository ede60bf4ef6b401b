/**
 * The Mailchimp emulator: a node:http server on 127.0.0.1 that speaks the Marketing API 3.0 as
 * Mailchimp documents it (see README.md for the pages each behaviour comes from): audiences and
 * their merge fields, members, batch subscribe, tags and segments, problem documents for errors,
 * Basic auth with a data-centred API key or an OAuth bearer token, and the limit of 10
 * simultaneous connections.
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
import { type Account, MailchimpAuth, TEST_ACCESS_TOKEN, TEST_API_KEY, TEST_DC } from './auth';
import { MailchimpFaults } from './faults';
import { newMergeField } from './merge-fields';
import {
  type MemberRouteContext,
  addMember,
  archiveMember,
  batchSubscribe,
  changeMemberTags,
  deletePermanent,
  getMember,
  listMembers,
  memberTags,
  paging,
  patchMember,
  putMember,
} from './members';
import { type Answer, Problem, notFound, ok } from './problems';
import {
  batchSegmentMembers,
  createSegment,
  deleteSegment,
  getSegment,
  listSegments,
  segmentMembers,
  tagSearch,
} from './segments';
import { MailchimpStore, type StoredList, type StoredMember, mailchimpTime } from './store';

export { MailchimpStore, subscriberHash, mailchimpTime } from './store';
export type { StoredList, StoredMember, MemberStatus } from './store';
export type { StoredMergeField, MergeValue } from './merge-fields';
export type { MailchimpFaults, MailchimpFaultKind } from './faults';
export { TEST_ACCESS_TOKEN, TEST_API_KEY, TEST_DC } from './auth';
export { MAX_BATCH_MEMBERS, MAX_PAGE, fakeOrInvalid, memberJson } from './members';
export { MAX_SEGMENT_BATCH } from './segments';

/** Simultaneous connections Mailchimp allows each user ("API Limits"). */
export const MAX_CONNECTIONS = 10;
/** Largest body the emulator reads (Mailchimp documents none; batch subscribe stays far below). */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface MailchimpEmulatorOptions {
  clock?: Clock;
  seed?: number;
  /** The server's data centre (`us21`): API keys of another are refused. */
  dc?: string;
  account?: Account;
  /** Simultaneous connections allowed per credential (10). */
  maxConnections?: number;
}

export interface MailchimpEmulator {
  /** The API root, `…/3.0`, as `https://<dc>.api.mailchimp.com/3.0` is. */
  url: string;
  store: MailchimpStore;
  counters: EndpointCounters;
  faults: MailchimpFaults;
  auth: MailchimpAuth;
  /** Most calls seen in flight at once. */
  peakConnections(): number;
  /** Adds `count` generated members to `list`, straight into the store. */
  seed(list: StoredList, count: number): StoredMember[];
  close(): Promise<void>;
}

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Perlman'];

/** `GET /3.0/lists/:id/members/:hash`: ids and hashes become placeholders. */
function endpointOf(method: string, path: string): string {
  return `${method} ${path
    .replace(/^(\/3\.0\/lists\/)[^/]+/, '$1:list')
    .replace(/\/members\/[^/]+/, '/members/:hash')
    .replace(/\/segments\/\d+/, '/segments/:id')
    .replace(/\/merge-fields\/\d+/, '/merge-fields/:id')}`;
}

function send(response: ServerResponse, answer: Answer, problem = false): void {
  if (answer.body === undefined) {
    response.writeHead(answer.status);
    response.end();
    return;
  }
  const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    'content-type':
      typeof answer.body === 'string'
        ? 'text/html'
        : problem
          ? 'application/problem+json; charset=utf-8'
          : 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
  });
  response.end(text);
}

type Handler = (context: MemberRouteContext, id: string) => Answer;

function listJson(list: StoredList): Record<string, unknown> {
  const counts = (status: string) =>
    [...list.members.values()].filter((member) => member.status === status).length;
  return {
    id: list.id,
    web_id: list.web_id,
    name: list.name,
    date_created: mailchimpTime(list.date_created),
    double_optin: false,
    marketing_permissions: false,
    stats: {
      member_count: counts('subscribed'),
      unsubscribe_count: counts('unsubscribed'),
      cleaned_count: counts('cleaned'),
      merge_field_count: list.mergeFields.length,
    },
    _links: [],
  };
}

/** Routes under `/3.0/lists/{list_id}`: path pattern, and a handler per method. */
const LIST_ROUTES: readonly [RegExp, Partial<Record<string, Handler>>][] = [
  [/^$/, { GET: (context) => ok(listJson(context.list)), POST: batchSubscribe }],
  [
    /^\/merge-fields$/,
    {
      GET: (context) => {
        const { count, offset } = paging(context.query);
        const fields = context.list.mergeFields;
        return ok({
          merge_fields: fields
            .slice(offset, offset + count)
            .map((field) => ({ ...field, list_id: context.list.id, _links: [] })),
          list_id: context.list.id,
          total_items: fields.length,
          _links: [],
        });
      },
      POST: (context) => {
        const field = newMergeField(
          (context.body ?? {}) as Record<string, unknown>,
          context.list.mergeFields,
        );
        context.list.mergeFields.push(field);
        for (const member of context.list.members.values())
          member.merge_fields[field.tag] = field.default_value;
        return ok({ ...field, list_id: context.list.id, _links: [] });
      },
    },
  ],
  [/^\/members$/, { GET: listMembers, POST: addMember }],
  [
    /^\/members\/([^/]+)$/,
    { GET: getMember, PUT: putMember, PATCH: patchMember, DELETE: archiveMember },
  ],
  [/^\/members\/([^/]+)\/actions\/delete-permanent$/, { POST: deletePermanent }],
  [/^\/members\/([^/]+)\/tags$/, { GET: memberTags, POST: changeMemberTags }],
  [/^\/segments$/, { GET: listSegments, POST: createSegment }],
  [/^\/segments\/(\d+)$/, { GET: getSegment, POST: batchSegmentMembers, DELETE: deleteSegment }],
  [/^\/segments\/(\d+)\/members$/, { GET: segmentMembers }],
  [/^\/tag-search$/, { GET: tagSearch }],
];

function routeAnswer(
  store: MailchimpStore,
  method: string,
  path: string,
  query: URLSearchParams,
  body: unknown,
  faults: MailchimpFaults,
  accountName: string,
): Answer {
  if (path === '/3.0/ping' && method === 'GET')
    return ok({ health_status: "Everything's Chimpy!" });
  if ((path === '/3.0' || path === '/3.0/') && method === 'GET')
    return ok({ account_id: 'emulator', account_name: accountName, email: '', _links: [] });
  if (path === '/3.0/lists' && method === 'GET') {
    const { count, offset } = paging(query);
    const lists = [...store.lists.values()];
    return ok({
      lists: lists.slice(offset, offset + count).map(listJson),
      total_items: lists.length,
      _links: [],
    });
  }
  const listPath = /^\/3\.0\/lists\/([^/]+)(.*)$/.exec(path);
  if (listPath === null) throw notFound();
  const list = store.list(listPath.at(1) ?? '');
  if (list === undefined) throw notFound();
  const rest = listPath.at(2) ?? '';
  for (const [pattern, handlers] of LIST_ROUTES) {
    const match = pattern.exec(rest);
    if (match === null) continue;
    const handler = handlers[method];
    if (handler === undefined)
      throw new Problem(
        405,
        'Method Not Allowed',
        "The requested method and resource are not compatible. See the Allow header for this resource's available methods.",
      );
    const context: MemberRouteContext = {
      store,
      list,
      query,
      body,
      rejection: (input) => faults.rejection(input),
    };
    return handler(context, decodeURIComponent(match.at(1) ?? ''));
  }
  throw notFound();
}

export async function startMailchimpEmulator(
  options: MailchimpEmulatorOptions = {},
): Promise<MailchimpEmulator> {
  const clock = options.clock ?? systemClock;
  const store = new MailchimpStore(clock);
  const counters = new EndpointCounters();
  const faults = new MailchimpFaults();
  const account = options.account ?? {
    apiKeys: [TEST_API_KEY],
    accessTokens: [TEST_ACCESS_TOKEN],
    accountName: 'Syncline Emulator',
  };
  const auth = new MailchimpAuth(options.dc ?? TEST_DC, account);
  const maxConnections = options.maxConnections ?? MAX_CONNECTIONS;
  const inFlight = new Map<string, number>();
  let peak = 0;
  const random = seededRandom(options.seed ?? 1);
  let generated = 0;

  const handle = async (
    request: IncomingMessage,
    response: ServerResponse,
    server: EmulatorServer,
  ): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = (request.method ?? 'GET').toUpperCase();
    counters.record(endpointOf(method, url.pathname));
    const reply = (answer: Answer, problem = false): void => {
      counters.answered(answer.status);
      send(response, answer, problem);
    };
    const refuse = (error: Problem): void => {
      reply({ status: error.status, body: error.document() }, true);
    };
    const bytes = await readRequestBody(request, MAX_BODY_BYTES);
    if (bytes === 'too_large') {
      reply({
        status: 413,
        body: '<html><body><h1>413 Request Entity Too Large</h1></body></html>',
      });
      return;
    }
    const fault = faults.take({ method, path: url.pathname, query: url.searchParams });
    if (fault !== undefined) {
      switch (fault.kind) {
        case 'rate_limited':
          faults.rateLimitedUntil = clock.now().getTime() + (fault.forMs ?? 0);
          if (fault.retryAfterS !== undefined)
            response.setHeader('retry-after', String(fault.retryAfterS));
          refuse(tooManyRequests(maxConnections));
          return;
        case 'server_error':
          if (fault.status !== undefined)
            reply({
              status: fault.status,
              body: `<html><body><h1>${String(fault.status)} Service Unavailable</h1></body></html>`,
            });
          else
            refuse(
              new Problem(
                500,
                'Internal Server Error',
                'An unexpected internal error has occurred. Please contact Support for more information.',
              ),
            );
          return;
        case 'timeout':
          server.hold(() => request.socket.destroy(), faults.hangMs);
          return;
        case 'key_revoked':
          refuse(
            new Problem(
              401,
              'API Key Invalid',
              "Your API key may be invalid, or you've attempted to access the wrong datacenter.",
            ),
          );
          return;
        case 'answer_lost':
          break;
        default: {
          const unreachable: never = fault.kind;
          throw new Error(`unknown fault ${String(unreachable)}`);
        }
      }
    }
    let credential: string;
    try {
      credential = auth.check(request.headers.authorization);
    } catch (error) {
      if (error instanceof Problem) {
        refuse(error);
        return;
      }
      throw error;
    }
    if (clock.now().getTime() < faults.rateLimitedUntil) {
      refuse(tooManyRequests(maxConnections));
      return;
    }
    const open = (inFlight.get(credential) ?? 0) + 1;
    if (open > maxConnections) {
      refuse(tooManyRequests(maxConnections));
      return;
    }
    inFlight.set(credential, open);
    peak = Math.max(peak, open);
    let answer: Answer;
    try {
      // Latency inside the connection slot: slow calls hold it, as Mailchimp's do.
      await faults.delay();
      const text = bytes.toString('utf8');
      let body: unknown;
      if (text !== '') {
        try {
          body = JSON.parse(text) as unknown;
        } catch {
          throw new Problem(
            400,
            'JSON Parse Error',
            'We encountered an unspecified JSON parsing error.',
          );
        }
      }
      answer = routeAnswer(
        store,
        method,
        url.pathname,
        url.searchParams,
        body,
        faults,
        account.accountName,
      );
    } catch (error) {
      if (!(error instanceof Problem)) throw error;
      refuse(error);
      return;
    } finally {
      inFlight.set(credential, (inFlight.get(credential) ?? 1) - 1);
    }
    if (fault?.kind === 'answer_lost') {
      reply({ status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' });
      return;
    }
    reply(answer);
  };

  const { url, close } = await startEmulatorServer(
    handle,
    (response) => {
      send(
        response,
        {
          status: 500,
          body: new Problem(
            500,
            'Internal Server Error',
            'An unexpected internal error has occurred.',
          ).document(),
        },
        true,
      );
    },
    { keepAliveTimeoutMs: 1_000 },
  );

  const pick = (items: readonly string[]): string =>
    items[Math.floor(random() * items.length)] ?? 'x';
  return {
    url: `${url}/3.0`,
    store,
    counters,
    faults,
    auth,
    peakConnections: () => peak,
    seed: (list, count) =>
      Array.from({ length: count }, () => {
        const n = ++generated;
        const first = pick(FIRST);
        const last = pick(LAST);
        return store.addMember(
          list,
          `${first}.${last}.mc${String(n)}@${last.toLowerCase()}.example.com`.toLowerCase(),
          {
            merge_fields: { FNAME: first, LNAME: last },
          },
        );
      }),
    close,
  };
}

function tooManyRequests(max: number): Problem {
  return new Problem(
    429,
    'Too Many Requests',
    `You have exceeded the limit of ${String(max)} simultaneous connections.`,
  );
}
