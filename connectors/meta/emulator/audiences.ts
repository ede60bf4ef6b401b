/**
 * Custom audiences ("Custom Audience", "Custom Audience Users", "Customer File Custom Audiences"):
 * an ad account's audiences (`GET /act_{id}/customaudiences`, paged by cursors), members added
 * with `POST /{audience_id}/users` and removed with `DELETE`, at most 10,000 rows a call, each row
 * the hashes of the payload's `schema` keys; and `POST /{audience_id}/usersreplace`, whose
 * `payload` and `session` are required: its batches (`batch_seq`, `last_batch_flag`) gather the
 * new members, which replace the old ones when the last batch arrives. A value that is not a
 * SHA-256 hash is an invalid entry (counted, sampled, not added). Only customer file audiences
 * (subtype CUSTOM) take members; one flagged by Meta's review (operation_status 471) refuses them
 * with subcode 1713230.
 */
import { type Answer, invalidParameter, metaError, ok } from './errors';
import {
  AUDIENCE_KEYS,
  type AudienceKey,
  type AudienceRow,
  type MetaStore,
  type StoredAudience,
} from './store';

export const MAX_ROWS = 10_000;
const SHA256 = /^[0-9a-f]{64}$/;
const PAGE = 25;

function audienceJson(audience: StoredAudience): Record<string, unknown> {
  const count = audience.members.size;
  return {
    id: audience.id,
    account_id: audience.accountId,
    name: audience.name,
    subtype: audience.subtype,
    ...(audience.subtype === 'CUSTOM' ? { customer_file_source: 'USER_PROVIDED_ONLY' } : {}),
    operation_status: {
      code: audience.operationStatus,
      description: audience.operationStatus === 471 ? 'Flagged' : 'Normal',
    },
    // Meta reports sizes as a range, never below 1,000.
    approximate_count_lower_bound: count < 1000 ? 1000 : count,
    approximate_count_upper_bound: count < 1000 ? 1000 : Math.ceil(count * 1.1),
    time_updated: Math.floor(audience.timeUpdated / 1000),
  };
}

export function listAudiences(store: MetaStore, accountId: string, query: URLSearchParams): Answer {
  if (!store.accounts.has(accountId))
    return invalidParameter(
      `Unsupported get request. Object with ID 'act_${accountId}' does not exist`,
    );
  const all = [...store.audiences.values()].filter((audience) => audience.accountId === accountId);
  const limit = Math.min(Number(query.get('limit') ?? PAGE) || PAGE, 500);
  const after = query.get('after');
  const start = after === null ? 0 : Number(Buffer.from(after, 'base64url').toString());
  const page = all.slice(start, start + limit);
  const cursor = (at: number) => Buffer.from(String(at)).toString('base64url');
  return ok({
    data: page.map(audienceJson),
    paging: {
      cursors: { before: cursor(start), after: cursor(start + page.length) },
      ...(start + page.length < all.length ? { next: `after=${cursor(start + page.length)}` } : {}),
    },
  });
}

/** A JSON parameter given as JSON (a JSON body) or as a JSON string (a form or query). */
export function jsonParameter(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

interface Parsed {
  rows: AudienceRow[];
  received: number;
  invalid: number;
  samples: Record<string, string>;
}

function keyOf(name: unknown): AudienceKey | undefined {
  if (typeof name !== 'string') return undefined;
  const bare = name.replace(/_SHA256$/, '');
  return AUDIENCE_KEYS.find((key) => key === bare);
}

/** The payload's rows, or the reason it is refused. */
function parsePayload(value: unknown): Parsed | string {
  const payload = jsonParameter(value);
  if (typeof payload !== 'object' || payload === null) return 'The parameter payload is required';
  const { schema, data } = payload as { schema?: unknown; data?: unknown };
  const names = Array.isArray(schema) ? (schema as unknown[]) : [schema];
  const keys = names.map(keyOf);
  if (names.length === 0 || keys.some((key) => key === undefined))
    return `payload.schema: unknown key in ${JSON.stringify(schema)} (keys: ${AUDIENCE_KEYS.join(', ')})`;
  if (new Set(keys).size !== keys.length) return 'payload.schema: a key is given twice';
  if (!Array.isArray(data) || data.length === 0) return 'payload.data must be a non-empty array';
  if (data.length > MAX_ROWS)
    return `payload.data holds at most ${String(MAX_ROWS)} rows a call, not ${String(data.length)}`;
  const parsed: Parsed = { rows: [], received: data.length, invalid: 0, samples: {} };
  for (const entry of data as unknown[]) {
    const values = Array.isArray(schema) ? entry : [entry];
    if (!Array.isArray(values) || values.length !== keys.length)
      return `payload.data: each row holds one value per schema key (${String(keys.length)})`;
    const row: AudienceRow = {};
    let bad: string | undefined;
    (values as unknown[]).forEach((each, index) => {
      const key = keys[index];
      if (key === undefined || each === '' || each === null) return;
      if (typeof each === 'string' && SHA256.test(each)) row[key] = each;
      else bad = `${key}: not a SHA-256 hash of a normalised value`;
    });
    if (bad !== undefined || Object.keys(row).length === 0) {
      parsed.invalid++;
      if (Object.keys(parsed.samples).length < 10)
        parsed.samples[JSON.stringify(values).slice(0, 80)] = bad ?? 'empty row';
      continue;
    }
    parsed.rows.push(row);
  }
  return parsed;
}

function changeable(store: MetaStore, id: string): StoredAudience | Answer {
  const audience = store.audiences.get(id);
  if (audience === undefined)
    return invalidParameter(`Unsupported post request. Object with ID '${id}' does not exist`);
  if (audience.subtype !== 'CUSTOM')
    return invalidParameter(
      `Users can only be added to or removed from a customer file custom audience, not a ${audience.subtype} audience`,
    );
  if (audience.operationStatus === 471)
    return metaError(400, 100, 'Invalid parameter', {
      subcode: 1713230,
      title: 'Audience Upload Blocked',
      userMessage:
        'Before updating user memberships, you must resolve integrity restrictions on this Data File Custom Audience.',
    });
  return audience;
}

interface Session {
  session_id?: unknown;
  batch_seq?: unknown;
  last_batch_flag?: unknown;
}

function sessionOf(value: unknown, required: boolean): Session | string | undefined {
  const session = jsonParameter(value);
  if (session === undefined) return required ? 'The parameter session is required' : undefined;
  if (typeof session !== 'object' || session === null) return 'session must be an object';
  const { session_id: id, batch_seq: seq, last_batch_flag: last } = session as Session;
  if (!(typeof id === 'number' || (typeof id === 'string' && /^\d+$/.test(id))))
    return 'session.session_id must be a number';
  if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 1)
    return 'session.batch_seq must be an integer from 1';
  if (typeof last !== 'boolean') return 'session.last_batch_flag must be true or false';
  return session;
}

function answer(audience: StoredAudience, parsed: Parsed, sessionId: unknown): Answer {
  return ok({
    audience_id: audience.id,
    session_id:
      typeof sessionId === 'number' || typeof sessionId === 'string'
        ? String(sessionId)
        : String(Math.floor(Math.random() * 1e15)),
    num_received: parsed.received,
    num_invalid_entries: parsed.invalid,
    invalid_entry_samples: parsed.samples,
  });
}

/** `POST` (add) or `DELETE` (remove) `/{audience_id}/users`. */
export function changeUsers(
  store: MetaStore,
  id: string,
  params: Record<string, unknown>,
  remove: boolean,
): Answer {
  const audience = changeable(store, id);
  if (!('members' in audience)) return audience;
  const session = sessionOf(params.session, false);
  if (typeof session === 'string') return invalidParameter(session);
  const parsed = parsePayload(params.payload);
  if (typeof parsed === 'string') return invalidParameter(parsed);
  for (const row of parsed.rows)
    if (remove) audience.members.remove(row);
    else audience.members.add(row);
  audience.timeUpdated = store.now();
  return answer(audience, parsed, session?.session_id);
}

/** `POST /{audience_id}/usersreplace`: a session's batches become the audience's members. */
export function replaceUsers(
  store: MetaStore,
  id: string,
  params: Record<string, unknown>,
): Answer {
  const audience = changeable(store, id);
  if (!('members' in audience)) return audience;
  const session = sessionOf(params.session, true);
  if (typeof session === 'string' || session === undefined)
    return invalidParameter(session ?? 'The parameter session is required');
  const parsed = parsePayload(params.payload);
  if (typeof parsed === 'string') return invalidParameter(parsed);
  const sessionId = String(session.session_id);
  const seq = Number(session.batch_seq);
  const current = audience.replacing;
  if (current !== undefined && current.sessionId !== sessionId)
    return invalidParameter(
      `A replace session (${current.sessionId}) is in progress on this audience: finish it before starting another`,
    );
  const replacing = current ?? { sessionId, batches: new Set<number>(), rows: [] };
  if (!replacing.batches.has(seq)) {
    replacing.batches.add(seq);
    replacing.rows.push(...parsed.rows);
  }
  audience.replacing = replacing;
  if (session.last_batch_flag === true) {
    audience.members.clear();
    for (const row of replacing.rows) audience.members.add(row);
    delete audience.replacing;
    audience.timeUpdated = store.now();
  }
  return answer(audience, parsed, sessionId);
}
