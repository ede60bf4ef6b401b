/**
 * Static lists as audiences ("Static Lists", "List Membership"): Add to List and Remove from List
 * take up to 300 lead ids a call. A member is its lead by Marketo lead id where the source has it,
 * else by email: an add first upserts the emails with Sync Leads (a person Marketo does not know
 * yet becomes a lead holding just the email, since only leads can be listed), a remove finds them
 * with Get Leads by Filter Type.
 */
import type {
  AudienceDescriptor,
  AudienceMember,
  IdentifierRule,
  MemberResult,
  MembershipChange,
} from '../sdk/contract';
import { ConnectorError } from '../sdk/errors';
import { recordError, wireText } from './errors';
import { MARKETO_BATCH, type ReadParts } from './read';

const LIST_SOURCE =
  'https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/list-membership';

export const MARKETO_IDENTIFIERS: readonly IdentifierRule[] = [
  { type: 'vendor_id', normalize: 'none', hash: 'none', source: LIST_SOURCE },
  // Marketo compares emails without regard to case ("Leads", Query by email).
  { type: 'email', normalize: 'email', hash: 'none', source: LIST_SOURCE },
];

interface RawList {
  id?: unknown;
  name?: unknown;
  programName?: unknown;
}

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

export async function staticLists(parts: ReadParts): Promise<AudienceDescriptor[]> {
  const lists: AudienceDescriptor[] = [];
  let token: string | undefined;
  do {
    const answer = await parts.client.get<RawList>('v1/lists.json', {
      batchSize: MARKETO_BATCH,
      nextPageToken: token,
    });
    for (const list of answer.result ?? [])
      lists.push({
        id: String(list.id),
        name:
          typeof list.programName === 'string'
            ? `${list.programName} › ${String(list.name)}`
            : String(list.name),
        writable: true,
      });
    token = answer.nextPageToken;
  } while (token !== undefined && token !== '');
  return lists;
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

async function change(
  parts: ReadParts,
  audience: string,
  members: readonly AudienceMember[],
  side: 'add' | 'remove',
): Promise<MemberResult[]> {
  if (members.length === 0) return [];
  const list = listId(audience);
  const ids = await leadIds(parts, members, side);
  const answered = new Map<string, MemberResult>();
  const known: { key: string; id: number }[] = [];
  for (const [key, id] of ids) {
    if (typeof id === 'number') known.push({ key, id });
    else answered.set(key, id);
  }
  if (known.length > 0) {
    const body = { input: known.map((member) => ({ id: member.id })) };
    const path = `v1/lists/${String(list)}/leads.json`;
    const answer =
      side === 'add'
        ? await parts.client.post<RawMembership>(path, body, { idempotent: true })
        : await parts.client.delete<RawMembership>(path, body);
    const results = answer.result ?? [];
    known.forEach((member, index) => {
      const result = results[index];
      if (result.status === 'added' || result.status === 'removed')
        answered.set(member.key, { key: member.key, status: result.status });
      else {
        const error = recordError(result.reasons);
        // Taking out someone who is not in the list leaves the list as wanted.
        answered.set(
          member.key,
          side === 'remove' && error.message.startsWith('1015')
            ? { key: member.key, status: 'skipped' }
            : { key: member.key, status: 'failed', error },
        );
      }
    });
  }
  return members.map(
    (member) =>
      answered.get(member.key) ??
        // Without a lead (a remove of someone Marketo never knew): nobody to take out.
        { key: member.key, status: 'skipped' as const },
  );
}

export async function changeListMembers(
  parts: ReadParts,
  request: MembershipChange,
): Promise<MemberResult[]> {
  return [
    ...(await change(parts, request.audience, request.add, 'add')),
    ...(await change(parts, request.audience, request.remove, 'remove')),
  ];
}

/** The list's members as Marketo holds them, identified by email as they were sent. */
export async function* listMembers(
  parts: ReadParts,
  audience: string,
): AsyncIterable<AudienceMember[]> {
  const list = listId(audience);
  let token: string | undefined;
  do {
    const answer = await parts.client.get<RawLead>(`v1/lists/${String(list)}/leads.json`, {
      fields: ['id', 'email'],
      batchSize: MARKETO_BATCH,
      nextPageToken: token,
    });
    const page = (answer.result ?? []).map((lead) => ({
      key: String(lead.id),
      identifiers:
        typeof lead.email === 'string' && lead.email !== ''
          ? { email: lead.email.trim().toLowerCase() }
          : { vendor_id: String(lead.id) },
    }));
    if (page.length > 0) yield page;
    token = answer.nextPageToken;
  } while (token !== undefined && token !== '');
}
