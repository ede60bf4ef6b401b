/**
 * DMP segments as audiences ("Matched Audiences"): the account's USER segments, found by the
 * account finder, take users; COMPANY segments and segments ARCHIVED, EXPIRED or FAILED are
 * listed read only. Users are streamed 5,000 a batch create, each `{action: ADD | REMOVE,
 * userIds, firstName, lastName, country}`, and answered on their own. A segment is usable in
 * campaigns from 300 matched members (LinkedIn's minimum); until then it is BUILDING.
 */
import type {
  AudienceDescriptor,
  AudienceMember,
  MemberResult,
  MembershipChange,
} from '../sdk/contract';
import { refusedChange } from '../sdk/batching';
import type { LinkedInClient } from './client';
import { userIdsOf, userInfoOf } from './identifiers';

interface RawSegment {
  id: number;
  name: string;
  type?: string;
  destinations?: { status?: string }[];
}

const CLOSED = ['ARCHIVED', 'EXPIRED', 'FAILED'];

export async function dmpSegments(
  client: LinkedInClient,
  accountId: string,
): Promise<AudienceDescriptor[]> {
  const audiences: AudienceDescriptor[] = [];
  for (let start = 0; ; start += 100) {
    const page = await client.get<{ elements?: RawSegment[]; paging?: { total?: number } }>(
      'dmpSegments',
      {
        q: 'account',
        account: `urn:li:sponsoredAccount:${accountId}`,
        start: String(start),
        count: '100',
      },
    );
    for (const segment of page.elements ?? []) {
      const status = segment.destinations?.at(0)?.status ?? 'READY';
      const reason =
        segment.type !== 'USER'
          ? `"${segment.name}" is a ${segment.type ?? 'company'} segment: it takes companies, not people`
          : CLOSED.includes(status)
            ? `"${segment.name}" is ${status}: LinkedIn takes no users into it`
            : undefined;
      audiences.push({
        id: String(segment.id),
        name: segment.name,
        writable: reason === undefined,
        ...(reason === undefined ? {} : { reason }),
      });
    }
    if ((page.elements ?? []).length < 100) return audiences;
  }
}

function user(member: AudienceMember, action: 'ADD' | 'REMOVE'): Record<string, unknown> {
  const info = userInfoOf(member.identifiers);
  return {
    action,
    userIds: userIdsOf(member.identifiers),
    ...(info.firstName === undefined ? {} : { firstName: info.firstName }),
    ...(info.lastName === undefined ? {} : { lastName: info.lastName }),
    ...(info.countryCode === undefined ? {} : { country: info.countryCode }),
  };
}

export async function streamSegmentUsers(
  client: LinkedInClient,
  request: MembershipChange,
): Promise<MemberResult[]> {
  const side = request.add.length > 0 ? 'add' : 'remove';
  const members = side === 'add' ? request.add : request.remove;
  let answers: Awaited<ReturnType<LinkedInClient['batchCreate']>>;
  try {
    answers = await client.batchCreate(
      `dmpSegments/${encodeURIComponent(request.audience)}/users`,
      members.map((member) => user(member, side === 'add' ? 'ADD' : 'REMOVE')),
    );
  } catch (error) {
    // A company segment, or one archived or expired meanwhile.
    const refused = refusedChange(error, members);
    if (refused === undefined) throw error;
    return refused;
  }
  return members.map((member, index): MemberResult => {
    const answer = answers.at(index);
    if (answer !== undefined && answer.status >= 200 && answer.status < 300)
      return { key: member.key, status: side === 'add' ? 'added' : 'removed' };
    return {
      key: member.key,
      status: 'failed',
      error: {
        code: 'invalid_value',
        message: answer?.error?.message ?? 'LinkedIn gave no answer for this user',
        retryable: answer === undefined,
      },
    };
  });
}
