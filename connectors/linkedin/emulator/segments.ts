/**
 * Matched Audiences ("DMP Segments", "DMP Segment Users", "Matched Audiences FAQ"): an account's
 * segments by the finder `GET /rest/dmpSegments?q=account&account={sponsoredAccount urn}` (paged
 * by `start` and `count`), `POST /rest/dmpSegments` to create one, and users streamed with
 * `POST /rest/dmpSegments/{id}/users` as `X-RestLi-Method: BATCH_CREATE` `elements[]` of
 * `{action: ADD | REMOVE, userIds, firstName, lastName, …}`, each answered on its own. A segment
 * is BUILDING until it holds 300 matched users (the least campaigns take), READY after; ARCHIVED,
 * EXPIRED and FAILED segments take no users here, nor do COMPANY segments.
 */
import { userOf } from './conversions';
import {
  type Answer,
  type ElementAnswer,
  createOneOrBatch,
  elementError,
  linkedInError,
  ok,
} from './errors';
import {
  type LinkedInStore,
  MINIMUM_AUDIENCE,
  type StoredSegment,
  addUser,
  removeUser,
} from './store';

export const MAX_USERS = 5_000;
const ACCOUNT = /^urn:li:sponsoredAccount:(\d+)$/;

function status(segment: StoredSegment): StoredSegment['status'] {
  if (segment.status === 'BUILDING' || segment.status === 'READY')
    return segment.users.size >= MINIMUM_AUDIENCE ? 'READY' : 'BUILDING';
  return segment.status;
}

function segmentJson(segment: StoredSegment): Record<string, unknown> {
  return {
    id: Number(segment.id),
    name: segment.name,
    account: `urn:li:sponsoredAccount:${segment.account}`,
    type: segment.type,
    sourcePlatform: 'API',
    destinations: [
      { destination: 'LINKEDIN', status: status(segment), audienceSize: segment.users.size },
    ],
    inputCount: segment.users.size,
    matchedCount: segment.users.size,
  };
}

export function findSegments(store: LinkedInStore, query: URLSearchParams): Answer {
  const account = ACCOUNT.exec(query.get('account') ?? '')?.at(1);
  if (query.get('q') !== 'account' || account === undefined)
    return linkedInError(
      400,
      'INVALID_ARGUMENT',
      'The finder needs q=account and account=urn:li:sponsoredAccount:{id}',
    );
  if (!store.accounts.has(account))
    return linkedInError(
      403,
      'ACCESS_DENIED',
      `Not enough permissions to access the account ${account}`,
    );
  const all = [...store.segments.values()].filter((segment) => segment.account === account);
  const start = Number(query.get('start') ?? 0);
  const count = Math.min(Number(query.get('count') ?? 10), 100);
  return ok({
    elements: all.slice(start, start + count).map(segmentJson),
    paging: { start, count, total: all.length, links: [] },
  });
}

export function createSegment(store: LinkedInStore, body: unknown): Answer {
  const fields = (body ?? {}) as Record<string, unknown>;
  const account = ACCOUNT.exec(typeof fields.account === 'string' ? fields.account : '')?.at(1);
  if (typeof fields.name !== 'string' || account === undefined || !store.accounts.has(account))
    return linkedInError(400, 'INVALID_ARGUMENT', 'A segment needs a name and an account urn');
  if (fields.type !== 'USER' && fields.type !== 'COMPANY')
    return linkedInError(400, 'INVALID_ARGUMENT', 'type must be USER or COMPANY');
  const segment = store.createSegment(account, fields.name, { type: fields.type });
  return ok(undefined, 201, { 'x-restli-id': segment.id, location: `/dmpSegments/${segment.id}` });
}

function streamed(segment: StoredSegment, element: unknown, at: string): ElementAnswer {
  const fields = (element ?? {}) as Record<string, unknown>;
  if (fields.action !== 'ADD' && fields.action !== 'REMOVE')
    return elementError(400, `${at}.action must be ADD or REMOVE`);
  const info: Record<string, unknown> = {};
  for (const name of ['firstName', 'lastName', 'title', 'company', 'country'])
    if (fields[name] !== undefined) info[name] = fields[name];
  const user = userOf(fields.userIds, info, at);
  if (typeof user === 'string') return elementError(400, user);
  if (fields.action === 'ADD') addUser(segment, user.ids, user.info);
  else removeUser(segment, user.ids, user.info);
  return { status: 201 };
}

export function streamUsers(
  store: LinkedInStore,
  id: string,
  body: unknown,
  batch: boolean,
): Answer {
  const segment = store.segments.get(id);
  if (segment === undefined)
    return linkedInError(404, 'NOT_FOUND', `DMP segment ${id} does not exist`);
  if (segment.type !== 'USER')
    return linkedInError(
      400,
      'INVALID_ARGUMENT',
      `DMP segment ${id} is a ${segment.type} segment: it takes companies, not users`,
    );
  if (['ARCHIVED', 'EXPIRED', 'FAILED'].includes(segment.status))
    return linkedInError(
      400,
      'INVALID_ARGUMENT',
      `DMP segment ${id} is ${segment.status}: it takes no users`,
    );
  return createOneOrBatch(body, batch, { max: MAX_USERS, what: 'users' }, (element, at) =>
    streamed(segment, element, at),
  );
}
