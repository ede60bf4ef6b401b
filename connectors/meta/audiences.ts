/**
 * Custom audiences ("Custom Audience Users", "Customer File Custom Audiences"): customer file
 * audiences (subtype CUSTOM) of the ad account take members; others (website, lookalike) and
 * audiences flagged by Meta's review (operation_status 471) are listed as read only. Members go as
 * rows of their hashed identifiers under a multi-key schema (EMAIL, PHONE, FN, LN, ZIP, COUNTRY),
 * 10,000 a call: `POST /{id}/users` adds, `DELETE /{id}/users` removes, `POST /{id}/usersreplace`
 * replaces the whole audience over one session of batches. Meta lists no members back.
 */
import { randomInt } from 'node:crypto';
import type {
  AudienceDescriptor,
  AudienceMember,
  MemberResult,
  MembershipChange,
  MembershipReplacement,
} from '../sdk/contract';
import { refusedChange } from '../sdk/batching';
import { ConnectorError } from '../sdk/errors';
import type { MetaClient } from './client';
import { META_KEYS, type MetaIdentifier, metaIdentifiers } from './identifiers';

/** Rows a call holds at the most ("Custom Audience Users": 10,000 at a time). */
export const MAX_ROWS = 10_000;

export interface AudienceParts {
  client: MetaClient;
  accountId: string;
}

interface RawAudience {
  id: string;
  name: string;
  subtype?: string;
  operation_status?: { code?: number; description?: string };
}

export async function customAudiences(parts: AudienceParts): Promise<AudienceDescriptor[]> {
  const audiences: AudienceDescriptor[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await parts.client.get<{
      data?: RawAudience[];
      paging?: { cursors?: { after?: string }; next?: string };
    }>(`act_${parts.accountId}/customaudiences`, {
      fields: 'id,name,subtype,operation_status',
      limit: '500',
      ...(after === undefined ? {} : { after }),
    });
    for (const audience of page.data ?? []) {
      const reason =
        audience.subtype !== 'CUSTOM'
          ? `"${audience.name}" is a ${audience.subtype ?? 'rule-based'} audience: only customer file audiences take members`
          : audience.operation_status?.code === 471
            ? `"${audience.name}" was flagged by Meta's review (operation status 471): resolve it in Audience Manager`
            : undefined;
      audiences.push({
        id: audience.id,
        name: audience.name,
        writable: reason === undefined,
        ...(reason === undefined ? {} : { reason }),
      });
    }
    after = page.paging?.cursors?.after;
    if (page.paging?.next === undefined || after === undefined) return audiences;
  }
}

/** The members as a customer file payload: the keys any of them has, a row each. */
function payloadOf(members: readonly AudienceMember[]): { schema: string[]; data: string[][] } {
  const present = new Set<MetaIdentifier>();
  for (const member of members)
    for (const [type] of metaIdentifiers(member.identifiers)) present.add(type);
  const types = (Object.keys(META_KEYS) as MetaIdentifier[]).filter((type) => present.has(type));
  return {
    schema: types.map((type) => META_KEYS[type].file),
    data: members.map((member) => types.map((type) => member.identifiers[type] ?? '')),
  };
}

interface UsersAnswer {
  num_received?: number;
  num_invalid_entries?: number;
  invalid_entry_samples?: Record<string, unknown>;
}

/** One result per member: failed where Meta's samples of invalid entries name its hashes. */
function resultsOf(
  members: readonly AudienceMember[],
  answer: UsersAnswer,
  status: 'added' | 'removed',
): MemberResult[] {
  const samples = Object.keys(answer.invalid_entry_samples ?? {}).join('\n');
  return members.map((member): MemberResult => {
    const invalid =
      (answer.num_invalid_entries ?? 0) > 0 &&
      metaIdentifiers(member.identifiers).some(([, hash]) => samples.includes(hash));
    return invalid
      ? {
          key: member.key,
          status: 'failed',
          error: {
            code: 'invalid_value',
            message: 'Meta counted this person as an invalid entry',
            retryable: false,
          },
        }
      : { key: member.key, status };
  });
}

export async function changeAudienceUsers(
  parts: AudienceParts,
  request: MembershipChange,
): Promise<MemberResult[]> {
  const side = request.add.length > 0 ? 'add' : 'remove';
  const members = side === 'add' ? request.add : request.remove;
  let answer: UsersAnswer;
  try {
    answer = await parts.client.send<UsersAnswer>(
      side === 'add' ? 'POST' : 'DELETE',
      `${request.audience}/users`,
      { payload: payloadOf(members) },
      // Adding someone already in, or removing someone not in, changes nothing.
      { idempotent: true },
    );
  } catch (error) {
    // Not a customer file audience, or one flagged meanwhile.
    const refused = refusedChange(error, members);
    if (refused === undefined) throw error;
    return refused;
  }
  return resultsOf(members, answer, side === 'add' ? 'added' : 'removed');
}

/**
 * A full refresh: the audience becomes exactly `members`, sent as one usersreplace session of
 * 10,000-row batches (Meta swaps the members when the last batch arrives). Meta cannot replace an
 * audience with no one: an empty set is refused, not sent.
 */
export async function replaceAudienceUsers(
  parts: AudienceParts,
  request: MembershipReplacement,
): Promise<MemberResult[]> {
  const { members } = request;
  if (members.length === 0)
    throw new ConnectorError(
      'bad_request',
      `Meta cannot replace custom audience ${request.audience} with no one: the sync's set is empty`,
    );
  const sessionId = randomInt(1, 2 ** 47);
  const results: MemberResult[] = [];
  const batches = Math.ceil(members.length / MAX_ROWS);
  for (let index = 0; index < batches; index++) {
    const batch = members.slice(index * MAX_ROWS, (index + 1) * MAX_ROWS);
    const answer = await parts.client.send<UsersAnswer>(
      'POST',
      `${request.audience}/usersreplace`,
      {
        payload: payloadOf(batch),
        session: {
          session_id: sessionId,
          batch_seq: index + 1,
          last_batch_flag: index === batches - 1,
          estimated_num_total: members.length,
        },
      },
      // A batch sent again under its batch_seq is taken once.
      { idempotent: true },
    );
    results.push(...resultsOf(batch, answer, 'added'));
  }
  return results;
}
