/**
 * Contact lists as audiences (Lists v3, through `@hubspot/api-client`): MANUAL and SNAPSHOT lists
 * can be changed, DYNAMIC ones cannot (their filters decide; HubSpot refuses a change with a 400),
 * so they are listed as read only. A member is its contact: by HubSpot record id where the source
 * has it, else by email (a batch read by `email`, 100 a call); a person HubSpot has no contact for
 * fails as `not_found` (a list holds only existing records; a records sync may create the contact
 * later, so the member is tried again). Adds and removes go by record id in one add-and-remove call
 * per batch, and a member already in (or already out) counts as done.
 */
import type {
  AudienceDescriptor,
  AudienceReadRequest,
  ConnectorRecord,
  AudienceMember,
  IdentifierRule,
  MemberResult,
  MembershipChange,
} from '../sdk/contract';
import { refusedChange } from '../sdk/batching';
import { ConnectorError } from '../sdk/errors';
import { getRecords } from './lookup';
import type { ReadContext } from './read';

const LISTS_SOURCE = 'https://developers.hubspot.com/docs/guides/api/crm/lists/overview';

export const HUBSPOT_IDENTIFIERS: readonly IdentifierRule[] = [
  { type: 'vendor_id', normalize: 'none', hash: 'none', source: LISTS_SOURCE },
  // HubSpot's email property is unique and compared without case.
  { type: 'email', normalize: 'email', hash: 'none', source: LISTS_SOURCE },
];

/** Contacts' object type id ("Lists API": objectTypeId). */
const CONTACTS_TYPE_ID = '0-1';
/** Lists a search answers at the most (ListSearchRequest: `count` ≤ 500). */
const SEARCH_COUNT = 500;
/** Members a membership page holds at the most (`limit` ≤ 250). */
const MEMBERS_PAGE = 250;

export async function contactLists(context: ReadContext): Promise<AudienceDescriptor[]> {
  const audiences: AudienceDescriptor[] = [];
  let offset = 0;
  for (;;) {
    const page = await context.calls.run(
      { endpoint: 'POST /crm/v3/lists/search', idempotent: true },
      (sdk) => sdk.searchLists(offset, SEARCH_COUNT),
    );
    for (const list of page.lists) {
      if (list.objectTypeId !== CONTACTS_TYPE_ID) continue;
      audiences.push(
        list.processingType === 'DYNAMIC'
          ? {
              id: list.listId,
              name: list.name,
              writable: false,
              reason: `"${list.name}" is a DYNAMIC list: its filters decide its members (only MANUAL and SNAPSHOT lists can be changed)`,
            }
          : { id: list.listId, name: list.name, writable: true },
      );
    }
    if (!page.hasMore || page.lists.length === 0) return audiences;
    offset = page.offset;
  }
}

/** Contact ids of the members: their own where given, else by email; or why one has none. */
async function contactIds(
  context: ReadContext,
  members: readonly AudienceMember[],
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const byEmail = new Map<string, string[]>();
  for (const member of members) {
    const own = member.identifiers.vendor_id;
    if (own !== undefined && /^\d+$/.test(own)) ids.set(member.key, own);
    else if (member.identifiers.email !== undefined) {
      const email = member.identifiers.email;
      byEmail.set(email, [...(byEmail.get(email) ?? []), member.key]);
    }
  }
  if (byEmail.size === 0) return ids;
  const found = await getRecords(context, 'contacts', [...byEmail.keys()], ['email'], 'email');
  for (const record of found) {
    const email = typeof record.fields.email === 'string' ? record.fields.email.toLowerCase() : '';
    for (const key of byEmail.get(email) ?? []) ids.set(key, record.id);
  }
  return ids;
}

const notFound = (member: AudienceMember): MemberResult => ({
  key: member.key,
  status: 'failed',
  error: {
    code: 'not_found',
    message: `HubSpot has no contact for ${member.identifiers.email ?? member.identifiers.vendor_id ?? member.key}: a list holds only existing contacts`,
    retryable: true,
  },
});

function listId(audience: string): void {
  if (!/^\d+$/.test(audience))
    throw new ConnectorError(
      'bad_request',
      `a HubSpot list is named by its list id (a number), not ${audience}`,
    );
}

export async function changeListMembers(
  context: ReadContext,
  request: MembershipChange,
): Promise<MemberResult[]> {
  const side = request.add.length > 0 ? 'add' : 'remove';
  const members = side === 'add' ? request.add : request.remove;
  listId(request.audience);
  const ids = await contactIds(context, members);
  const known = [...new Set(ids.values())];
  let missing = new Set<string>();
  if (known.length > 0) {
    try {
      const answer = await context.calls.run(
        {
          endpoint: `PUT /crm/v3/lists/:id/memberships/add-and-remove`,
          // Adding a member already in, or removing one not in, changes nothing.
          idempotent: true,
        },
        (sdk) =>
          sdk.changeListMembers(
            request.audience,
            side === 'add' ? known : [],
            side === 'remove' ? known : [],
          ),
      );
      missing = new Set(answer.missing);
    } catch (error) {
      // A DYNAMIC list, or one deleted meanwhile.
      const refused = refusedChange(error, members);
      if (refused === undefined) throw error;
      return refused;
    }
  }
  return members.map((member): MemberResult => {
    const id = ids.get(member.key);
    if (id === undefined || missing.has(id)) return notFound(member);
    return { key: member.key, status: side === 'add' ? 'added' : 'removed' };
  });
}

/** A list's members' record ids, page by page. */
async function* listMemberIds(context: ReadContext, audience: string): AsyncIterable<string[]> {
  let after: string | undefined;
  do {
    const page = await context.calls.run(
      { endpoint: 'GET /crm/v3/lists/:id/memberships', idempotent: true },
      (sdk) => sdk.listMembers(audience, MEMBERS_PAGE, after),
    );
    yield page.ids;
    after = page.after;
  } while (after !== undefined);
}

/** A list's members, with each contact's id and email (HubSpot keeps no key of ours). */
export async function* readListMembers(
  context: ReadContext,
  audience: string,
): AsyncIterable<AudienceMember[]> {
  for await (const ids of listMemberIds(context, audience)) {
    const records = await getRecords(context, 'contacts', ids, ['email']);
    yield records.map((record) => ({
      key: record.id,
      identifiers: {
        vendor_id: record.id,
        ...(typeof record.fields.email === 'string'
          ? { email: record.fields.email.toLowerCase() }
          : {}),
      },
    }));
  }
}

/**
 * A contact list (of any kind: DYNAMIC lists are read like the others) as an audience source: its
 * members' contacts with the fields asked for, a memberships page (250) and a batch read (100 a
 * call) at a time, the whole list each time.
 */
export async function* readListRecords(
  context: ReadContext,
  request: AudienceReadRequest,
): AsyncIterable<ConnectorRecord[]> {
  if (request.object !== 'contacts')
    throw new ConnectorError(
      'bad_request',
      `HubSpot lists here hold contacts: read list ${request.audience} as contacts, not ${request.object}`,
    );
  listId(request.audience);
  for await (const ids of listMemberIds(context, request.audience))
    yield await getRecords(context, 'contacts', ids, request.fields);
}
