/**
 * Static lists and program statuses as audiences. A list (`1001`): Add to List and Remove from
 * List ("List Membership"). A program status (`program:2001:Registered`): Sync Program Member
 * Status sets the members to it, Delete Program Members takes them out of the program ("Program
 * Members"); a member already in or past the status is left as it is (1037), since Marketo never
 * moves anyone back. Up to 300 lead ids a call. A member is its lead by Marketo lead id where the
 * source has it, else by email: an add first upserts the emails with Sync Leads (a person Marketo
 * does not know yet becomes a lead holding just the email, since only leads can be members), a
 * remove finds them with Get Leads by Filter Type.
 */
import type {
  AudienceMember,
  IdentifierRule,
  MemberResult,
  MembershipChange,
} from '../sdk/contract';
import { ConnectorError } from '../sdk/errors';
import { recordError, wireText } from './errors';
import { MARKETO_BATCH, type ReadParts } from './read';
import { type ProgramAudience, channelSteps, programAudience, programs } from './audience-catalog';

const LIST_SOURCE =
  'https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/list-membership';

export const MARKETO_IDENTIFIERS: readonly IdentifierRule[] = [
  { type: 'vendor_id', normalize: 'none', hash: 'none', source: LIST_SOURCE },
  // Marketo compares emails without regard to case ("Leads", Query by email).
  { type: 'email', normalize: 'email', hash: 'none', source: LIST_SOURCE },
];

interface RawMembership {
  id?: unknown;
  status?: unknown;
  reasons?: unknown;
}

interface RawLead {
  id?: unknown;
  email?: unknown;
}

function listId(audience: string): number {
  const id = Number(audience);
  if (!Number.isInteger(id) || id <= 0)
    throw new ConnectorError(
      'bad_request',
      `a Marketo static list is named by its numeric id, not ${audience}`,
    );
  return id;
}

/** Lead ids of the members (their own where given, else by email), or why one has none. */
async function leadIds(
  parts: ReadParts,
  members: readonly AudienceMember[],
  side: 'add' | 'remove',
): Promise<Map<string, number | MemberResult>> {
  const ids = new Map<string, number | MemberResult>();
  const byEmail: AudienceMember[] = [];
  for (const member of members) {
    const own = member.identifiers.vendor_id;
    if (own !== undefined && /^\d+$/.test(own)) ids.set(member.key, Number(own));
    else if (member.identifiers.email !== undefined) byEmail.push(member);
  }
  if (byEmail.length === 0) return ids;
  if (side === 'add') {
    // One Sync Leads call for up to 300 emails: the lead of each, created where there is none.
    const answer = await parts.client.post<RawMembership>(
      'v1/leads.json',
      {
        action: 'createOrUpdate',
        lookupField: 'email',
        input: byEmail.map((member) => ({ email: member.identifiers.email })),
      },
      { idempotent: true },
    );
    const results = answer.result ?? [];
    byEmail.forEach((member, index) => {
      const result = results[index];
      if (result.id !== undefined && result.status !== 'skipped')
        ids.set(member.key, Number(result.id));
      else
        ids.set(member.key, {
          key: member.key,
          status: 'failed',
          error: recordError(result.reasons),
        });
    });
    return ids;
  }
  const keysByEmail = new Map<string, string[]>();
  for (const member of byEmail) {
    const email = member.identifiers.email ?? '';
    keysByEmail.set(email, [...(keysByEmail.get(email) ?? []), member.key]);
  }
  let token: string | undefined;
  do {
    const answer = await parts.client.get<RawLead>('v1/leads.json', {
      filterType: 'email',
      filterValues: [...keysByEmail.keys()],
      fields: ['id', 'email'],
      batchSize: MARKETO_BATCH,
      nextPageToken: token,
    });
    for (const lead of answer.result ?? [])
      for (const key of keysByEmail.get(wireText(lead.email).toLowerCase()) ?? [])
        ids.set(key, Number(lead.id));
    token = answer.nextPageToken;
  } while (token !== undefined && token !== '');
  return ids;
}

/** Where members go: the call that adds or removes lead ids, and how its statuses read. */
interface MembershipTarget {
  send(side: 'add' | 'remove', ids: readonly number[]): Promise<RawMembership[]>;
  /** A status that means the lead is in (after an add) or out (after a remove). */
  done: Record<'add' | 'remove', readonly string[]>;
  /** Reason codes that leave the membership as wanted (already in, already out). */
  asWanted: Record<'add' | 'remove', readonly string[]>;
}

function listTarget(parts: ReadParts, audience: string): MembershipTarget {
  const path = `v1/lists/${String(listId(audience))}/leads.json`;
  return {
    send: async (side, ids) => {
      const body = { input: ids.map((id) => ({ id })) };
      const answer =
        side === 'add'
          ? await parts.client.post<RawMembership>(path, body, { idempotent: true })
          : await parts.client.delete<RawMembership>(path, body);
      return answer.result ?? [];
    },
    done: { add: ['added'], remove: ['removed'] },
    // 1015: not in the list.
    asWanted: { add: [], remove: ['1015'] },
  };
}

function programTarget(parts: ReadParts, audience: ProgramAudience): MembershipTarget {
  const base = `v1/programs/${String(audience.program)}/members`;
  return {
    send: async (side, ids) => {
      const input = ids.map((leadId) => ({ leadId }));
      const answer =
        side === 'add'
          ? await parts.client.post<RawMembership>(
              `${base}/status.json`,
              { statusName: audience.status, input },
              { idempotent: true },
            )
          : await parts.client.post<RawMembership>(
              `${base}/delete.json`,
              { input },
              { idempotent: true },
            );
      return answer.result ?? [];
    },
    done: { add: ['created', 'updated'], remove: ['deleted'] },
    // 1037: already in or past the status (add), or not in the program (remove).
    asWanted: { add: ['1037'], remove: ['1037'] },
  };
}

async function change(
  parts: ReadParts,
  target: MembershipTarget,
  members: readonly AudienceMember[],
  side: 'add' | 'remove',
): Promise<MemberResult[]> {
  if (members.length === 0) return [];
  const ids = await leadIds(parts, members, side);
  const answered = new Map<string, MemberResult>();
  const known: { key: string; id: number }[] = [];
  for (const [key, id] of ids) {
    if (typeof id === 'number') known.push({ key, id });
    else answered.set(key, id);
  }
  if (known.length > 0) {
    const results = await target.send(
      side,
      known.map((member) => member.id),
    );
    const status = side === 'add' ? 'added' : 'removed';
    known.forEach((member, index) => {
      const result = results.at(index);
      if (typeof result?.status === 'string' && target.done[side].includes(result.status)) {
        answered.set(member.key, { key: member.key, status });
        return;
      }
      const error = recordError(result?.reasons);
      const reason = error.message.split(' ')[0] ?? '';
      answered.set(
        member.key,
        target.asWanted[side].includes(reason)
          ? { key: member.key, status: 'skipped' }
          : { key: member.key, status: 'failed', error },
      );
    });
  }
  return members.map(
    (member) =>
      answered.get(member.key) ??
        // Without a lead (a remove of someone Marketo never knew): nobody to take out.
        { key: member.key, status: 'skipped' as const },
  );
}

export async function changeMembers(
  parts: ReadParts,
  request: MembershipChange,
): Promise<MemberResult[]> {
  const program = programAudience(request.audience);
  const target =
    program === undefined ? listTarget(parts, request.audience) : programTarget(parts, program);
  return [
    ...(await change(parts, target, request.add, 'add')),
    ...(await change(parts, target, request.remove, 'remove')),
  ];
}

/** Members as the audience's identifiers: the email they were sent by, else the lead id. */
async function asMembers(parts: ReadParts, ids: readonly number[]): Promise<AudienceMember[]> {
  if (ids.length === 0) return [];
  const answer = await parts.client.get<RawLead>('v1/leads.json', {
    filterType: 'id',
    filterValues: ids,
    fields: ['id', 'email'],
    batchSize: MARKETO_BATCH,
  });
  return (answer.result ?? []).map(memberOf);
}

function memberOf(lead: RawLead): AudienceMember {
  return {
    key: wireText(lead.id),
    identifiers:
      typeof lead.email === 'string' && lead.email !== ''
        ? { email: lead.email.trim().toLowerCase() }
        : { vendor_id: wireText(lead.id) },
  };
}

/** The leads in the program at the audience's status or past it (Marketo moves no one back). */
async function* programMembers(
  parts: ReadParts,
  audience: ProgramAudience,
): AsyncIterable<AudienceMember[]> {
  const programsById = new Map(
    (await programs(parts)).map((program) => [wireText(program.id), program]),
  );
  const program = programsById.get(String(audience.program));
  if (program === undefined)
    throw new ConnectorError('not_found', `Marketo has no program ${String(audience.program)}`);
  const steps =
    (await channelSteps(parts)).get(wireText(program.channel)) ?? new Map<string, number>();
  const least = steps.get(audience.status);
  if (least === undefined)
    throw new ConnectorError(
      'bad_request',
      `Marketo program ${String(audience.program)} has no status ${audience.status}`,
    );
  const statuses = [...steps].filter(([, step]) => step >= least).map(([name]) => name);
  let token: string | undefined;
  do {
    const answer = await parts.client.get<{ leadId?: unknown }>(
      `v1/programs/${String(audience.program)}/members.json`,
      {
        filterType: 'statusName',
        filterValues: statuses,
        batchSize: MARKETO_BATCH,
        nextPageToken: token,
      },
    );
    const page = await asMembers(
      parts,
      (answer.result ?? []).map((member) => Number(member.leadId)),
    );
    if (page.length > 0) yield page;
    token = answer.moreResult === true ? answer.nextPageToken : undefined;
  } while (token !== undefined && token !== '');
}

/** The audience's members as Marketo holds them, identified by email as they were sent. */
export function readAudienceMembers(
  parts: ReadParts,
  audience: string,
): AsyncIterable<AudienceMember[]> {
  const program = programAudience(audience);
  return program === undefined ? listMembers(parts, audience) : programMembers(parts, program);
}

/** The list's members as Marketo holds them, identified by email as they were sent. */
async function* listMembers(parts: ReadParts, audience: string): AsyncIterable<AudienceMember[]> {
  const list = listId(audience);
  let token: string | undefined;
  do {
    const answer = await parts.client.get<RawLead>(`v1/lists/${String(list)}/leads.json`, {
      fields: ['id', 'email'],
      batchSize: MARKETO_BATCH,
      nextPageToken: token,
    });
    const page = (answer.result ?? []).map(memberOf);
    if (page.length > 0) yield page;
    token = answer.nextPageToken;
  } while (token !== undefined && token !== '');
}
