/**
 * The Meta emulator: a node:http server on 127.0.0.1 that speaks the Graph / Marketing API as
 * Meta documents it (see README.md for the pages each behaviour comes from): the Conversions API
 * of a pixel (dataset), an ad account's custom audiences and their users, Meta's error bodies and
 * throttling answers, access tokens by query, form field or Authorization header.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { systemClock } from '../../sdk/clock';
import type { Clock } from '../../sdk/contract';
import {
  EndpointCounters,
  type EmulatorServer,
  startEmulatorServer,
  readRequestText,
} from '../../sdk/testing/emulator-kit';
import { changeUsers, jsonParameter, listAudiences, replaceUsers } from './audiences';
import { postEvents } from './capi';
import { type Answer, metaError, ok, throttled, unknownPath } from './errors';
import { MetaFaults } from './faults';
import { MetaStore } from './store';

export { MetaStore, AUDIENCE_KEYS, AudienceMembers } from './store';
export type { StoredAudience, StoredPixel, StoredEvent, AudienceRow } from './store';
export type { MetaFaults, MetaFaultKind } from './faults';
export { MAX_EVENTS, MAX_EVENT_AGE_S } from './capi';
export { MAX_ROWS } from './audiences';

/** The token the emulator accepts unless told otherwise (a system user's token). */
export const TEST_ACCESS_TOKEN = 'EAAtest-system-user-token';
const MAX_BODY_BYTES = 20 * 1024 * 1024;

export interface MetaEmulatorOptions {
  clock?: Clock;
}

export interface MetaEmulator {
  /** The Graph API root, as `https://graph.facebook.com` is (versions in the path). */
  url: string;
  store: MetaStore;
  counters: EndpointCounters;
  faults: MetaFaults;
  close(): Promise<void>;
}

/** `POST /v25.0/123/users`: versions and ids become placeholders. */
function endpointOf(method: string, path: string): string {
  return `${method} ${path
    .replace(/^\/v\d+\.\d+/, '/:version')
    .replace(/\/act_\d+/, '/act_:account')
    .replace(/\/\d+(?=\/|$)/, '/:id')}`;
}

/** The call's parameters: the query, and a JSON or form body over it. */
function paramsOf(
  query: URLSearchParams,
  text: string,
  contentType: string,
): Record<string, unknown> | undefined {
  const params: Record<string, unknown> = Object.fromEntries(query);
  if (text === '') return params;
  if (contentType.includes('application/json')) {
    const body = jsonParameter(text);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
    return { ...params, ...(body as Record<string, unknown>) };
  }
  return { ...params, ...Object.fromEntries(new URLSearchParams(text)) };
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

function route(
  store: MetaStore,
  method: string,
  path: string,
  params: Record<string, unknown>,
  query: URLSearchParams,
): Answer {
  const parts = path.split('/').filter((part) => part !== '');
  const [version, node, edge] = [parts.at(0), parts.at(1), parts.at(2)];
  if (
    version === undefined ||
    !/^v\d+\.\d+$/.test(version) ||
    parts.length > 3 ||
    node === undefined
  )
    return unknownPath(path);
  const account = /^act_(\d+)$/.exec(node)?.at(1);
  if (account !== undefined) {
    if (edge === 'customaudiences' && method === 'GET') return listAudiences(store, account, query);
    const found = store.accounts.get(account);
    if (edge === undefined && method === 'GET' && found !== undefined)
      return ok({ id: `act_${found.id}`, account_id: found.id, name: found.name });
    return unknownPath(path);
  }
  if (edge === 'events' && method === 'POST') return postEvents(store, node, params);
  if (edge === 'users' && (method === 'POST' || method === 'DELETE'))
    return changeUsers(store, node, params, method === 'DELETE');
  if (edge === 'usersreplace' && method === 'POST') return replaceUsers(store, node, params);
  if (edge === undefined && method === 'GET') {
    const pixel = store.pixels.get(node);
    if (pixel !== undefined) return ok({ id: pixel.id, name: pixel.name });
    const audience = store.audiences.get(node);
    if (audience !== undefined) return ok({ id: audience.id, name: audience.name });
  }
  return unknownPath(path);
}

/** The access token of a call: `access_token` (query or form) or a Bearer header. */
function tokenOf(request: IncomingMessage, params: Record<string, unknown>): string | undefined {
  if (typeof params.access_token === 'string') return params.access_token;
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') === true ? header.slice('Bearer '.length) : undefined;
}

/** A rejected event (by id) fails the whole request, as any invalid event does. */
function rejectedEvent(faults: MetaFaults, params: Record<string, unknown>): Answer | undefined {
  const data = jsonParameter(params.data);
  if (!Array.isArray(data)) return undefined;
  for (const [index, event] of data.entries()) {
    const reason = faults.rejection(event as Record<string, unknown>);
    if (reason !== undefined)
      return metaError(400, 100, 'Invalid parameter', {
        title: 'Invalid event',
        userMessage: `data[${String(index)}]: ${reason}`,
      });
  }
  return undefined;
}

export async function startMetaEmulator(options: MetaEmulatorOptions = {}): Promise<MetaEmulator> {
  const clock = options.clock ?? systemClock;
  const store = new MetaStore(clock);
  store.tokens.add(TEST_ACCESS_TOKEN);
  const counters = new EndpointCounters();
  const faults = new MetaFaults();

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
    const text = await readRequestText(request, MAX_BODY_BYTES);
    if (text === undefined) return answer(metaError(413, 1, 'Request body too large'));
    const params = paramsOf(url.searchParams, text, request.headers['content-type'] ?? '');
    if (params === undefined) return answer(metaError(400, 100, 'Invalid JSON body'));
    const token = tokenOf(request, params);
    if (token === undefined || !store.tokens.has(token))
      return answer(
        metaError(
          400,
          190,
          token === undefined
            ? 'An active access token must be used'
            : 'Invalid OAuth access token - Cannot parse access token',
        ),
      );
    const fault = faults.take({ method, path: url.pathname, query: url.searchParams });
    const audiences = /\/users(replace)?$/.test(url.pathname);
    switch (fault?.kind) {
      case 'rate_limited':
        return answer(throttled(audiences ? 80003 : 17, '1', fault.minutes ?? 0));
      case 'server_error':
        return answer(
          fault.unknown === true
            ? metaError(500, 1, 'An unknown error occurred')
            : metaError(503, 2, 'Service temporarily unavailable'),
        );
      case 'token_invalid':
        return answer(
          metaError(400, 190, 'Error validating access token: Session has expired', {
            subcode: 463,
          }),
        );
      case 'timeout':
        server.hold(() => request.socket.destroy(), faults.hangMs);
        return;
      case 'answer_lost': {
        const done = route(store, method, url.pathname, params, url.searchParams);
        counters.answered(done.status);
        return answer(metaError(502, 1, 'Bad Gateway'));
      }
      case undefined:
        break;
    }
    const refused = url.pathname.endsWith('/events') ? rejectedEvent(faults, params) : undefined;
    return answer(refused ?? route(store, method, url.pathname, params, url.searchParams));
  };

  const server = await startEmulatorServer(handle, (response, error) => {
    send(response, metaError(500, 1, `An unknown error occurred: ${String(error)}`));
  });
  return {
    url: server.url,
    store,
    counters,
    faults,
    close: () => server.close(),
  };
}
