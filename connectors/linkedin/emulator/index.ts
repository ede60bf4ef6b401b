/**
 * The LinkedIn emulator: a node:http server on 127.0.0.1 that speaks LinkedIn's versioned
 * Marketing REST API as LinkedIn documents it (see README.md): the Conversions API and Matched
 * Audiences' DMP segments, behind a Bearer token, `LinkedIn-Version: YYYYMM` and
 * `X-Restli-Protocol-Version: 2.0.0`, with LinkedIn's error body and its daily limits as 429.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { systemClock } from '../../sdk/clock';
import type { Clock } from '../../sdk/contract';
import {
  type CallInfo,
  EndpointCounters,
  type EmulatorServer,
  type FaultOptions as KitFaultOptions,
  RecordFaultQueue,
  startEmulatorServer,
  readRequestText,
} from '../../sdk/testing/emulator-kit';
import { postConversions } from './conversions';
import { type Answer, linkedInError } from './errors';
import { createSegment, findSegments, streamUsers } from './segments';
import { LinkedInStore } from './store';

export { LinkedInStore, MINIMUM_AUDIENCE } from './store';
export type { StoredSegment, StoredRule, StoredConversion } from './store';
export { MAX_CONVERSIONS, MAX_AGE_MS } from './conversions';
export { MAX_USERS } from './segments';

export const TEST_ACCESS_TOKEN = 'AQX-test-member-token';
/** Versions the emulator serves (LinkedIn serves each for about a year). */
export const SERVED_VERSIONS = /^20(2[5-9])(0[1-9]|1[0-2])$/;

export type LinkedInFaultKind =
  /** 429: the application's or member's daily limit for the resource is spent. */
  | 'rate_limited'
  /** 500, or 503 from the edge. */
  | 'server_error'
  /** The call is held, then its connection dropped without an answer. */
  | 'timeout'
  /** 401: the token expired (60 days) or was revoked. */
  | 'token_invalid'
  /** Carried out, then answered with a 502. */
  | 'answer_lost';

export type FaultOptions = KitFaultOptions<CallInfo, object>;

/** Whole-call faults, and conversion events refused by their eventId (each on its own). */
export class LinkedInFaults extends RecordFaultQueue<
  LinkedInFaultKind,
  CallInfo,
  object,
  unknown,
  string
> {}

export interface LinkedInEmulator {
  /** The REST root, as `https://api.linkedin.com/rest` is. */
  url: string;
  store: LinkedInStore;
  counters: EndpointCounters;
  faults: LinkedInFaults;
  close(): Promise<void>;
}

function endpointOf(method: string, path: string, restli: string | undefined): string {
  const base = `${method} ${path.replace(/\/\d+(?=\/|$)/, '/:id')}`;
  return restli === undefined ? base : `${base} (${restli})`;
}

function send(response: ServerResponse, answer: Answer): void {
  const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    ...(text === '' ? {} : { 'content-type': 'application/json' }),
    'content-length': String(Buffer.byteLength(text)),
    ...answer.headers,
  });
  response.end(text);
}

/** The headers every versioned call needs, or the answer refusing the call. */
function headerProblem(store: LinkedInStore, request: IncomingMessage): Answer | undefined {
  const auth = request.headers.authorization;
  if (auth?.startsWith('Bearer ') !== true || !store.tokens.has(auth.slice(7)))
    return linkedInError(401, 'INVALID_ACCESS_TOKEN', 'Invalid access token', 65600);
  const version = request.headers['linkedin-version'];
  if (typeof version !== 'string')
    return linkedInError(
      400,
      'VERSION_MISSING',
      'A version must be present. Please specify a version by adding the LinkedIn-Version header.',
    );
  if (!SERVED_VERSIONS.test(version))
    return linkedInError(426, 'NONEXISTENT_VERSION', `Requested version ${version} is not active`);
  if (request.headers['x-restli-protocol-version'] !== '2.0.0')
    return linkedInError(
      400,
      'INVALID_ARGUMENT',
      'The X-Restli-Protocol-Version header must be 2.0.0',
    );
  return undefined;
}

function route(
  store: LinkedInStore,
  method: string,
  path: string,
  query: URLSearchParams,
  body: unknown,
  restli: string | undefined,
  refuse: (element: unknown) => string | undefined,
): Answer {
  const batch = restli === 'BATCH_CREATE';
  if (path === '/rest/conversionEvents' && method === 'POST')
    return postConversions(store, body, batch, refuse);
  if (path === '/rest/dmpSegments' && method === 'GET') return findSegments(store, query);
  if (path === '/rest/dmpSegments' && method === 'POST') return createSegment(store, body);
  const users = /^\/rest\/dmpSegments\/(\d+)\/users$/.exec(path)?.at(1);
  if (users !== undefined && method === 'POST') return streamUsers(store, users, body, batch);
  return linkedInError(404, 'NOT_FOUND', `No resource ${method} ${path}`);
}

export async function startLinkedInEmulator(
  options: { clock?: Clock } = {},
): Promise<LinkedInEmulator> {
  const clock = options.clock ?? systemClock;
  const store = new LinkedInStore(clock);
  store.tokens.add(TEST_ACCESS_TOKEN);
  const counters = new EndpointCounters();
  const faults = new LinkedInFaults();
  const refuse = (element: unknown): string | undefined => faults.rejection(element);

  const handle = async (
    request: IncomingMessage,
    response: ServerResponse,
    server: EmulatorServer,
  ): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://emulator');
    const method = request.method ?? 'GET';
    const header = request.headers['x-restli-method'];
    const restli = typeof header === 'string' ? header.toUpperCase() : undefined;
    counters.record(endpointOf(method, url.pathname, restli));
    const answer = async (result: Answer): Promise<void> => {
      await faults.delay();
      counters.answered(result.status);
      send(response, result);
    };
    const text = (await readRequestText(request)) ?? '';
    let body: unknown;
    try {
      body = text === '' ? undefined : (JSON.parse(text) as unknown);
    } catch {
      return answer(linkedInError(400, 'INVALID_ARGUMENT', 'The body is not JSON'));
    }
    const refused = headerProblem(store, request);
    if (refused !== undefined) return answer(refused);
    const fault = faults.take({ method, path: url.pathname, query: url.searchParams });
    switch (fault?.kind) {
      case 'rate_limited':
        return answer(
          linkedInError(
            429,
            'TOO_MANY_REQUESTS',
            'Resource level throttle APPLICATION DAY limit for calls to this resource is reached.',
          ),
        );
      case 'server_error':
        return answer(linkedInError(500, 'INTERNAL_SERVER_ERROR', 'Internal Server Error'));
      case 'token_invalid':
        return answer(
          linkedInError(
            401,
            'EXPIRED_ACCESS_TOKEN',
            'The token used in the request has expired',
            65601,
          ),
        );
      case 'timeout':
        server.hold(() => request.socket.destroy(), faults.hangMs);
        return;
      case 'answer_lost': {
        const done = route(store, method, url.pathname, url.searchParams, body, restli, refuse);
        counters.answered(done.status);
        return answer(linkedInError(502, 'BAD_GATEWAY', 'Bad Gateway'));
      }
      case undefined:
        break;
    }
    return answer(route(store, method, url.pathname, url.searchParams, body, restli, refuse));
  };

  const server = await startEmulatorServer(handle, (response, error) => {
    send(response, linkedInError(500, 'INTERNAL_SERVER_ERROR', String(error)));
  });
  return { url: `${server.url}/rest`, store, counters, faults, close: () => server.close() };
}
