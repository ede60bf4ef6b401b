/**
 * Reading an audience's members ("List members info"): pages of up to 1,000 sorted by
 * `last_changed`, each page asked for from the greatest `last_changed` read so far rather than by
 * a growing offset, since offsets shift while the audience changes (a member edited mid-read
 * moves to the end and the one after it would slide into the pages already read). Stamps are
 * whole seconds and `since_last_changed` means "after", so a page starts one second before that
 * stamp and skips the members of it already read, by count, re-reading a few to see any shift.
 * Lookups and gets are one call per member, by subscriber hash.
 */
import { createHash } from 'node:crypto';
import type {
  Checkpoint,
  ConnectorRecord,
  LookupRequest,
  ReadPage,
  ReadRequest,
} from '../sdk/contract';
import { ConnectorError } from '../sdk/errors';
import type { MailchimpClient } from './client';
import { EMAIL, MEMBERS, type RawMember, isoTime, memberFields } from './schema';

/** Members read again at a page's start, to catch a shift of the ones after them. */
const REREAD = 10;

export interface ReadParts {
  client: MailchimpClient;
  audienceId: string;
  /** Which members the audience holds, as a whole read of it last saw them. */
  index: AudienceIndex;
}

/** How long a whole read of the audience answers lookups of who is not in it. */
const INDEX_TTL_MS = 60_000;

/**
 * The subscriber hashes of the audience's members, from the last whole read (taken only when it
 * costs fewer calls than asking member by member), with the members this connection wrote since.
 * While it is fresh, a lookup asks only for the emails it holds: a first load into a small audience
 * then reads it once a minute instead of once a page. A member added by someone else in that
 * minute is taken as new, and the batch subscribe that follows updates it (Mailchimp keeps one
 * member per email), so no one is added twice.
 */
export class AudienceIndex {
  private hashes: Set<string> | undefined;
  private takenAt = 0;

  constructor(readonly now: () => number) {}

  /** The hashes, while fresh. */
  fresh(): ReadonlySet<string> | undefined {
    return this.now() - this.takenAt < INDEX_TTL_MS ? this.hashes : undefined;
  }

  replace(hashes: Set<string>, takenAt: number): void {
    this.hashes = hashes;
    this.takenAt = takenAt;
  }

  written(hash: string, present: boolean): void {
    if (present) this.hashes?.add(hash);
    else this.hashes?.delete(hash);
  }
}

export function subscriberHash(email: string): string {
  return createHash('md5').update(email.trim().toLowerCase()).digest('hex');
}

function membersPath(parts: ReadParts): string {
  return `lists/${encodeURIComponent(parts.audienceId)}/members`;
}

export function checkObject(object: string): void {
  if (object !== MEMBERS)
    throw new ConnectorError('bad_request', `Mailchimp has the object ${MEMBERS}, not ${object}`);
}

export function asRecord(member: RawMember): ConnectorRecord {
  return {
    id: member.id,
    updatedAt: isoTime(member.last_changed) ?? new Date(0).toISOString(),
    fields: memberFields(member),
  };
}

/** Where a read stands: the greatest stamp read, how many of its members, the last few of them. */
interface ReadState {
  after: string | null;
  atAfter: number;
  /** Ids of the last members read at `after`, comma-separated. */
  recent: string;
  /** Pages in a row that brought nothing new (a run of equal stamps longer than a page). */
  skip: number;
  since: string | null;
}

function stateOf(checkpoint: Checkpoint | undefined, since: string | undefined): ReadState {
  const valid =
    checkpoint !== undefined &&
    (checkpoint.after === null || typeof checkpoint.after === 'string') &&
    typeof checkpoint.atAfter === 'number' &&
    typeof checkpoint.recent === 'string' &&
    typeof checkpoint.skip === 'number';
  if (valid)
    return {
      after: checkpoint.after as string | null,
      atAfter: checkpoint.atAfter as number,
      recent: checkpoint.recent as string,
      skip: checkpoint.skip as number,
      since: typeof checkpoint.since === 'string' ? checkpoint.since : null,
    };
  return { after: null, atAfter: 0, recent: '', skip: 0, since: since ?? null };
}

/** One second before `iso`, in Mailchimp's form: `since_last_changed` is exclusive. */
function secondBefore(iso: string): string {
  const ms = Math.floor(Date.parse(iso) / 1000) * 1000 - 1000;
  return `${new Date(ms).toISOString().slice(0, 19)}+00:00`;
}

function pageQuery(state: ReadState, count: number): Record<string, string | number> {
  const recent = state.recent === '' ? [] : state.recent.split(',');
  const reread = Math.min(recent.length, Math.floor(count / 2));
  const from = state.after ?? state.since;
  return {
    count,
    offset: (state.after === null ? 0 : state.atAfter - reread) + state.skip * count,
    sort_field: 'last_changed',
    sort_dir: 'ASC',
    ...(from === null ? {} : { since_last_changed: secondBefore(from) }),
  };
}

/** The state after a page: the members new to this read, in the order read. */
function advance(state: ReadState, raw: RawMember[], count: number): [ReadState, RawMember[]] {
  // Every id kept is skipped, not only those re-read on purpose: a shift re-reads more.
  const recent = state.recent === '' ? [] : state.recent.split(',');
  const seen = new Set(recent);
  let { after, atAfter } = state;
  let ids = recent;
  const fresh: RawMember[] = [];
  for (const member of raw) {
    const stamp = isoTime(member.last_changed) ?? '';
    if (after !== null && stamp < after) continue;
    if (stamp === after && seen.has(member.id)) continue;
    fresh.push(member);
    if (stamp === after) {
      atAfter++;
      ids.push(member.id);
    } else {
      after = stamp;
      atAfter = 1;
      ids = [member.id];
    }
  }
  const full = raw.length >= count;
  return [
    {
      after,
      atAfter,
      recent: ids.slice(-REREAD).join(','),
      skip: fresh.length === 0 && full ? state.skip + 1 : 0,
      since: state.since,
    },
    fresh,
  ];
}

export async function* readMembers(
  parts: ReadParts,
  request: ReadRequest,
): AsyncIterable<ReadPage> {
  checkObject(request.object);
  const count = request.pageSize ?? 1000;
  let state = stateOf(request.checkpoint, request.since);
  for (;;) {
    const answer = await parts.client.get<{ members?: RawMember[] }>(
      membersPath(parts),
      pageQuery(state, count),
    );
    const raw = answer.members ?? [];
    const [next, fresh] = advance(state, raw, count);
    state = next;
    const records = fresh
      .map(asRecord)
      .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.id.localeCompare(b.id));
    const checkpoint: Checkpoint = { ...state };
    if (records.length > 0 || raw.length < count) yield { records, checkpoint };
    if (raw.length < count) return;
  }
}

async function memberByHash(parts: ReadParts, hash: string): Promise<RawMember | undefined> {
  try {
    const member = await parts.client.get<RawMember>(`${membersPath(parts)}/${hash}`);
    // An archived member (Mailchimp's delete) is gone as far as a sync is concerned.
    return member.status === 'archived' ? undefined : member;
  } catch (error) {
    if (error instanceof ConnectorError && error.code === 'not_found') return undefined;
    throw error;
  }
}

/**
 * The members of `hashes`, the cheaper way: Mailchimp has no lookup of many emails at once, so
 * either one call per member or the whole audience read 1,000 a page and matched here. The first
 * page tells the audience's size; reading on is chosen when it takes fewer calls (a first load
 * into a small audience, a large page of lookups).
 */
async function membersOf(parts: ReadParts, asked: string[]): Promise<RawMember[]> {
  const known = parts.index.fresh();
  const hashes = known === undefined ? asked : asked.filter((hash) => known.has(hash));
  if (hashes.length <= 2) return byHash(parts, hashes);
  const wanted = new Set(hashes);
  const takenAt = parts.index.now();
  const seen = new Set<string>();
  const found: RawMember[] = [];
  const page = (offset: number) =>
    parts.client.get<{ members?: RawMember[]; total_items?: number }>(membersPath(parts), {
      count: 1000,
      offset,
    });
  const first = await page(0);
  const total = first.total_items ?? 0;
  const take = (members: RawMember[] | undefined): void => {
    for (const member of members ?? []) {
      seen.add(member.id);
      if (wanted.delete(member.id)) found.push(member);
    }
  };
  take(first.members);
  if (Math.ceil(total / 1000) - 1 >= wanted.size)
    return [...found, ...(await byHash(parts, [...wanted]))];
  for (let offset = 1000; offset < total; offset += 1000) take((await page(offset)).members);
  parts.index.replace(seen, takenAt);
  return found;
}

async function byHash(parts: ReadParts, hashes: string[]): Promise<RawMember[]> {
  const found = await Promise.all(hashes.map((hash) => memberByHash(parts, hash)));
  return found.filter((member) => member !== undefined);
}

/** Members by email (or id); archived ones are left out. */
export async function lookupMembers(
  parts: ReadParts,
  request: LookupRequest,
): Promise<ConnectorRecord[]> {
  checkObject(request.object);
  if (request.field !== EMAIL && request.field !== 'id')
    throw new ConnectorError(
      'bad_request',
      `Mailchimp looks members up by ${EMAIL} (or id), not ${request.field}`,
    );
  const hashes = [
    ...new Set(
      request.values.map((value) => (request.field === EMAIL ? subscriberHash(value) : value)),
    ),
  ];
  return (await membersOf(parts, hashes)).map(asRecord);
}

export async function getMembers(
  parts: ReadParts,
  object: string,
  ids: string[],
): Promise<ConnectorRecord[]> {
  return lookupMembers(parts, { object, field: 'id', values: ids, fields: [] });
}
