/**
 * Segments and tags ("Segments", "Tags"): a tag is a static segment. `GET /lists/{id}/segments`
 * (`type` static or saved), one segment, its members page by page, `POST` to create one (a tag
 * with `static_segment` emails, or a saved segment with conditions), batch add and remove of up to
 * 500 emails each on a static segment (a saved segment's members follow its conditions and cannot
 * be changed), `DELETE`, and `GET /lists/{id}/tag-search`.
 */
import { type MemberRouteContext, memberJson, paging } from './members';
import { type Answer, NO_CONTENT, invalidResource, notFound, ok, schemaInvalid } from './problems';
import { type StoredSegment, mailchimpTime, subscriberHash } from './store';

/** Most emails one batch add or remove takes, each way. */
export const MAX_SEGMENT_BATCH = 500;

function segmentJson(context: MemberRouteContext, segment: StoredSegment): Record<string, unknown> {
  return {
    id: segment.id,
    name: segment.name,
    member_count: segment.members.size,
    type: segment.type,
    created_at: mailchimpTime(segment.created_at),
    updated_at: mailchimpTime(segment.updated_at),
    ...(segment.type === 'saved' ? { options: { match: 'all', conditions: [] } } : {}),
    list_id: context.list.id,
    _links: [],
  };
}

function segmentOf(context: MemberRouteContext, id: string): StoredSegment {
  const segment = context.list.segments.get(Number(id));
  if (segment === undefined) throw notFound();
  return segment;
}

export function listSegments(context: MemberRouteContext): Answer {
  const { count, offset } = paging(context.query);
  const type = context.query.get('type');
  const segments = [...context.list.segments.values()].filter(
    (segment) => type === null || segment.type === type,
  );
  return ok({
    segments: segments.slice(offset, offset + count).map((each) => segmentJson(context, each)),
    list_id: context.list.id,
    total_items: segments.length,
    _links: [],
  });
}

export function getSegment(context: MemberRouteContext, id: string): Answer {
  return ok(segmentJson(context, segmentOf(context, id)));
}

export function createSegment(context: MemberRouteContext): Answer {
  const body = (context.body ?? {}) as Record<string, unknown>;
  const name = typeof body.name === 'string' ? body.name.trim() : '';
  if (name === '')
    throw schemaInvalid([{ field: 'name', message: 'This value should not be blank.' }]);
  const emails = body.static_segment;
  if (emails === undefined && body.options === undefined)
    throw invalidResource('A segment needs static_segment emails (a tag) or options (conditions).');
  if ([...context.list.segments.values()].some((segment) => segment.name === name))
    throw invalidResource(`A segment or tag named "${name}" already exists.`);
  const segment = context.store.createSegment(
    context.list,
    name,
    emails === undefined ? 'saved' : 'static',
  );
  if (Array.isArray(emails))
    for (const email of emails)
      if (typeof email === 'string' && context.list.members.has(subscriberHash(email)))
        segment.members.add(subscriberHash(email));
  return ok(segmentJson(context, segment));
}

export function deleteSegment(context: MemberRouteContext, id: string): Answer {
  const segment = segmentOf(context, id);
  context.list.segments.delete(segment.id);
  return NO_CONTENT;
}

function emailsOf(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((email) => typeof email !== 'string'))
    throw schemaInvalid([{ field, message: 'Value must be an array of email addresses' }]);
  if (value.length > MAX_SEGMENT_BATCH)
    throw invalidResource(
      `${field} takes at most ${String(MAX_SEGMENT_BATCH)} email addresses in one call.`,
    );
  return value as string[];
}

/**
 * `POST /lists/{id}/segments/{segment_id}`: emails that are not members of the audience are
 * reported in `errors`, the rest added or removed (adding a member already in, or removing one
 * not in, changes nothing and reports it as done).
 */
export function batchSegmentMembers(context: MemberRouteContext, id: string): Answer {
  const segment = segmentOf(context, id);
  const body = (context.body ?? {}) as Record<string, unknown>;
  const adding = emailsOf(body.members_to_add, 'members_to_add');
  const removing = emailsOf(body.members_to_remove, 'members_to_remove');
  if (segment.type !== 'static')
    throw invalidResource(
      `The segment "${segment.name}" is a saved segment: its members follow its conditions and cannot be added or removed.`,
    );
  const json = (hash: string) => {
    const member = context.list.members.get(hash);
    return member === undefined ? undefined : memberJson(context.store, context.list, member);
  };
  const missing: string[] = [];
  const added: Record<string, unknown>[] = [];
  const removed: Record<string, unknown>[] = [];
  for (const email of adding) {
    const hash = subscriberHash(email);
    if (!context.list.members.has(hash)) {
      missing.push(email);
      continue;
    }
    segment.members.add(hash);
    const member = json(hash);
    if (member !== undefined) added.push(member);
  }
  for (const email of removing) {
    const hash = subscriberHash(email);
    if (!context.list.members.has(hash)) {
      missing.push(email);
      continue;
    }
    segment.members.delete(hash);
    const member = json(hash);
    if (member !== undefined) removed.push(member);
  }
  segment.updated_at = context.store.now();
  const errors =
    missing.length === 0
      ? []
      : [{ email_addresses: missing, error: 'Email addresses are not members of this list' }];
  return ok({
    members_added: added,
    members_removed: removed,
    errors,
    total_added: added.length,
    total_removed: removed.length,
    error_count: missing.length,
    _links: [],
  });
}

export function segmentMembers(context: MemberRouteContext, id: string): Answer {
  const segment = segmentOf(context, id);
  const { count, offset } = paging(context.query);
  const members = [...segment.members]
    .map((hash) => context.list.members.get(hash))
    .filter((member) => member !== undefined)
    .sort((a, b) => a.seq - b.seq);
  return ok({
    members: members
      .slice(offset, offset + count)
      .map((member) => memberJson(context.store, context.list, member)),
    total_items: members.length,
    _links: [],
  });
}

export function tagSearch(context: MemberRouteContext): Answer {
  const name = (context.query.get('name') ?? '').toLowerCase();
  const tags = [...context.list.segments.values()]
    .filter((segment) => segment.type === 'static')
    .filter((segment) => segment.name.toLowerCase().startsWith(name));
  return ok({
    tags: tags.map((tag) => ({ id: tag.id, name: tag.name })),
    total_items: tags.length,
  });
}
