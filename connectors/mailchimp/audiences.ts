/**
 * Tags as audiences ("Tags", "Segments"): a tag is a static segment of the audience, its members
 * added and removed by email, up to 500 each way a call (`POST /lists/{id}/segments/{id}`). Only
 * members of the audience can carry a tag: an email Mailchimp does not know is reported back and
 * fails as `not_found` (retryable: a records sync into the audience may add the person later; a
 * tag never adds anyone to the audience). Saved segments are listed as read only, since their
 * conditions choose their members.
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
import { type ReadParts, asRecord, checkObject } from './read';
import type { RawMember } from './schema';

/** Members a segment page holds at the most. */
const PAGE = 1000;

const TAGS_SOURCE = 'https://mailchimp.com/developer/marketing/api/list-segments/';

export const MAILCHIMP_IDENTIFIERS: readonly IdentifierRule[] = [
  // Members are found by the MD5 of the lower-cased email ("List Members", subscriber_hash).
  { type: 'email', normalize: 'email', hash: 'none', source: TAGS_SOURCE },
];

interface RawSegment {
  id: number;
  name: string;
  type: string;
}

const segmentsPath = (parts: ReadParts): string =>
  `lists/${encodeURIComponent(parts.audienceId)}/segments`;

export async function tagAudiences(parts: ReadParts): Promise<AudienceDescriptor[]> {
  const audiences: AudienceDescriptor[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const answer = await parts.client.get<{ segments?: RawSegment[]; total_items?: number }>(
      segmentsPath(parts),
      { count: PAGE, offset },
    );
    for (const segment of answer.segments ?? [])
      audiences.push(
        segment.type === 'static'
          ? { id: String(segment.id), name: segment.name, writable: true }
          : {
              id: String(segment.id),
              name: segment.name,
              writable: false,
              reason: `"${segment.name}" is a saved segment: its conditions choose its members`,
            },
      );
    if ((answer.segments ?? []).length < PAGE) return audiences;
  }
}

function segmentId(audience: string): string {
  if (!/^\d+$/.test(audience))
    throw new ConnectorError(
      'bad_request',
      `a Mailchimp tag is named by its segment id (a number), not ${audience}`,
    );
  return audience;
}

interface SegmentAnswer {
  errors?: { email_addresses?: string[]; error?: string }[];
}

export async function changeTagMembers(
  parts: ReadParts,
  request: MembershipChange,
): Promise<MemberResult[]> {
  const side = request.add.length > 0 ? 'add' : 'remove';
  const members = side === 'add' ? request.add : request.remove;
  const emailOf = (member: AudienceMember): string => member.identifiers.email ?? '';
  let answer: SegmentAnswer;
  try {
    answer = await parts.client.send<SegmentAnswer>(
      'POST',
      `${segmentsPath(parts)}/${segmentId(request.audience)}`,
      side === 'add'
        ? { members_to_add: members.map(emailOf) }
        : { members_to_remove: members.map(emailOf) },
      // Adding a member already tagged, or removing one who is not, changes nothing.
      { idempotent: true },
    );
  } catch (error) {
    // A saved segment, or a tag deleted meanwhile.
    const refused = refusedChange(error, members);
    if (refused === undefined) throw error;
    return refused;
  }
  const unknown = new Set<string>();
  for (const entry of answer.errors ?? [])
    for (const email of entry.email_addresses ?? []) unknown.add(email.toLowerCase());
  return members.map((member): MemberResult => {
    if (!unknown.has(emailOf(member).toLowerCase()))
      return { key: member.key, status: side === 'add' ? 'added' : 'removed' };
    return {
      key: member.key,
      status: 'failed',
      error: {
        code: 'not_found',
        message: `${emailOf(member)} is not a member of the audience: a tag labels members, it does not add them`,
        retryable: true,
      },
    };
  });
}

/** A segment's members, page by page (List members in segment: `count` ≤ 1,000, `offset`). */
async function* segmentMembers(
  parts: ReadParts,
  audience: string,
  count: number,
): AsyncIterable<RawMember[]> {
  const path = `${segmentsPath(parts)}/${segmentId(audience)}/members`;
  for (let offset = 0; ; offset += count) {
    const answer = await parts.client.get<{ members?: RawMember[] }>(path, { count, offset });
    const members = answer.members ?? [];
    yield members;
    if (members.length < count) return;
  }
}

/** A tag's members as Mailchimp holds them, by email (Mailchimp keeps no key of ours). */
export async function* readTagMembers(
  parts: ReadParts,
  audience: string,
): AsyncIterable<AudienceMember[]> {
  for await (const members of segmentMembers(parts, audience, PAGE))
    yield members.map((member) => ({
      key: member.email_address.toLowerCase(),
      identifiers: { email: member.email_address.toLowerCase() },
    }));
}

/**
 * A tag (or saved segment) as an audience source: its members as records of the audience's
 * members, the whole set each time. Offsets of a segment being changed can shift, so a member
 * tagged or untagged during the read may be missed once; the next run's read sees them.
 */
export async function* readTagRecords(
  parts: ReadParts,
  request: AudienceReadRequest,
): AsyncIterable<ConnectorRecord[]> {
  checkObject(request.object);
  for await (const members of segmentMembers(parts, request.audience, request.pageSize))
    yield members.map(asRecord);
}
