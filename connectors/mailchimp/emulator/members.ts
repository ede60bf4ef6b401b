/**
 * List members ("List Members", "Batch subscribe or unsubscribe", "List Member Tags"): one member
 * by subscriber hash (GET, PUT to add or update, PATCH, DELETE to archive, delete-permanent), the
 * audience's members page by page, batch subscribe of up to 500, a member's tags. Mailchimp's rules
 * are kept: an unsubscribed or cleaned member is not subscribed again by the API ("Member In
 * Compliance State"), a permanently deleted email is not added again, a fake-looking email is
 * refused, merge values are checked by type and required merge fields must be given.
 */
import type { MergeValue } from './merge-fields';
import { mergeValue } from './merge-fields';
import {
  type Answer,
  type FieldProblem,
  NO_CONTENT,
  Problem,
  invalidResource,
  notFound,
  ok,
  schemaInvalid,
  text,
} from './problems';
import {
  type MailchimpStore,
  type MemberStatus,
  MEMBER_STATUSES,
  type StoredList,
  type StoredMember,
  WRITABLE_STATUSES,
  mailchimpTime,
  subscriberHash,
} from './store';

/** Most members one batch subscribe takes. */
export const MAX_BATCH_MEMBERS = 500;
/** Most members one page of `GET /lists/{id}/members` holds. */
export const MAX_PAGE = 1000;

export interface MemberRouteContext {
  store: MailchimpStore;
  list: StoredList;
  query: URLSearchParams;
  body: unknown;
  /** A test's rejection of this member input, if any. */
  rejection(input: Record<string, unknown>): FieldProblem | undefined;
}

/**
 * Addresses Mailchimp is documented to refuse as fake: reserved example domains, reserved
 * top-level names and throwaway-mail hosts. Mailchimp publishes no list; these are the cases
 * reported (`…@example.com`, `…@yopmail.com`). Subdomains (`acme.example.com`) are let through.
 */
const FAKE_DOMAINS = new Set([
  'example.com',
  'example.net',
  'example.org',
  'yopmail.com',
  'mailinator.com',
]);
const RESERVED_TLDS = new Set(['test', 'example', 'invalid', 'localhost']);
const EMAIL =
  /^[^\s@"(),:;<>[\\\]]+@([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+)$/i;

export function fakeOrInvalid(email: string): boolean {
  const match = EMAIL.exec(email);
  if (match === null || email.length > 254) return true;
  const domain = (match.at(1) ?? '').toLowerCase();
  return FAKE_DOMAINS.has(domain) || RESERVED_TLDS.has(domain.split('.').at(-1) ?? '');
}

export function memberJson(
  store: MailchimpStore,
  list: StoredList,
  member: StoredMember,
): Record<string, unknown> {
  const tags = store.tagsOf(list, member);
  const first = member.merge_fields.FNAME;
  const last = member.merge_fields.LNAME;
  return {
    id: member.id,
    email_address: member.email_address,
    unique_email_id: member.unique_email_id,
    contact_id: member.contact_id,
    full_name: [first, last]
      .map((part) => (typeof part === 'string' ? part : ''))
      .filter((part) => part !== '')
      .join(' '),
    web_id: member.web_id,
    email_type: member.email_type,
    status: member.status,
    ...(member.status === 'unsubscribed' ? { unsubscribe_reason: member.unsubscribe_reason } : {}),
    consents_to_one_to_one_messaging: true,
    merge_fields: { ...member.merge_fields },
    stats: { avg_open_rate: 0, avg_click_rate: 0 },
    ip_signup: '',
    timestamp_signup: mailchimpTime(member.timestamp_signup),
    ip_opt: '',
    timestamp_opt: mailchimpTime(member.timestamp_signup),
    member_rating: 2,
    last_changed: mailchimpTime(member.last_changed),
    language: member.language,
    vip: member.vip,
    email_client: '',
    location: { latitude: 0, longitude: 0, gmtoff: 0, dstoff: 0, country_code: '', timezone: '' },
    source: 'API - Generic',
    tags_count: tags.length,
    tags: tags.map((tag) => ({ id: tag.id, name: tag.name })),
    list_id: list.id,
    _links: [],
  };
}

type WriteKind = 'add' | 'put' | 'patch' | 'batch';

interface MemberWrite {
  kind: WriteKind;
  /** The member written, when the path names one. */
  hash?: string;
  input: Record<string, unknown>;
  skipMergeValidation: boolean;
  /** Batch subscribe: whether existing members are changed. */
  updateExisting?: boolean;
}

interface CheckedWrite {
  email?: string;
  status?: MemberStatus;
  statusIfNew?: MemberStatus;
  merges: Record<string, MergeValue>;
  tags: string[];
  vip?: boolean;
  language?: string;
}

function statusOf(
  value: unknown,
  field: string,
  problems: FieldProblem[],
): MemberStatus | undefined {
  if (value === undefined) return undefined;
  const status = WRITABLE_STATUSES.find((candidate) => candidate === value);
  if (status === undefined)
    problems.push({
      field,
      message: `Value must be one of: ${WRITABLE_STATUSES.join(', ')}`,
    });
  return status;
}

/** The input's values checked against the audience (not yet against the member). */
function checkInput(context: MemberRouteContext, write: MemberWrite): CheckedWrite {
  const { input } = write;
  const problems: FieldProblem[] = [];
  const email = input.email_address;
  if (email !== undefined && typeof email !== 'string')
    problems.push({ field: 'email_address', message: 'Value must be a string' });
  const checked: CheckedWrite = {
    ...(typeof email === 'string' ? { email: email.trim() } : {}),
    status: statusOf(input.status, 'status', problems),
    statusIfNew: statusOf(input.status_if_new, 'status_if_new', problems),
    merges: {},
    tags: Array.isArray(input.tags)
      ? input.tags.filter((tag): tag is string => typeof tag === 'string')
      : [],
    ...(typeof input.vip === 'boolean' ? { vip: input.vip } : {}),
    ...(typeof input.language === 'string' ? { language: input.language } : {}),
  };
  const merges: unknown = input.merge_fields ?? {};
  if (typeof merges !== 'object' || merges === null || Array.isArray(merges)) {
    problems.push({ field: 'merge_fields', message: 'Value must be an object' });
  } else {
    const mergeProblems: FieldProblem[] = [];
    for (const [tag, value] of Object.entries(merges as Record<string, unknown>)) {
      const field = context.list.mergeFields.find((candidate) => candidate.tag === tag);
      if (field === undefined) {
        mergeProblems.push({ field: tag, message: 'This merge field does not exist' });
        continue;
      }
      const stored = mergeValue(field, value);
      if ('message' in stored) mergeProblems.push({ field: tag, message: stored.message });
      else if (field.required && stored.value === '' && !write.skipMergeValidation)
        mergeProblems.push({ field: tag, message: 'Please enter a value' });
      else checked.merges[tag] = stored.value;
    }
    if (mergeProblems.length > 0)
      throw invalidResource('Your merge fields were invalid.', mergeProblems);
  }
  if (problems.length > 0) throw schemaInvalid(problems);
  return checked;
}

function requiredMissing(context: MemberRouteContext, merges: Record<string, MergeValue>): void {
  const missing = context.list.mergeFields
    .filter((field) => field.required && field.default_value === '')
    .filter((field) => !(field.tag in merges) || merges[field.tag] === '')
    .map((field) => ({ field: field.tag, message: 'Please enter a value' }));
  if (missing.length > 0) throw invalidResource('Your merge fields were invalid.', missing);
}

function refuseResubscribe(member: StoredMember, status: MemberStatus | undefined): void {
  if (status === 'subscribed' && (member.status === 'unsubscribed' || member.status === 'cleaned'))
    throw new Problem(
      400,
      'Member In Compliance State',
      `${member.email_address} is already a list member in compliance state due to unsubscribe, bounce, or compliance review and cannot be subscribed.`,
    );
}

/** Batch subscribe without `update_existing`, of a member already there (ERROR_CONTACT_EXISTS). */
class ContactExists extends Problem {
  constructor(email: string) {
    super(
      400,
      'Member Exists',
      `${email} is already a list member, do you want to update? please provide update_existing:true in the request body`,
    );
  }
}

/** Carries out one member write by Mailchimp's rules; throws the problem it answers with. */
export function writeMember(
  context: MemberRouteContext,
  write: MemberWrite,
): { member: StoredMember; created: boolean } {
  const { store, list } = context;
  const checked = checkInput(context, write);
  const rejected = context.rejection(write.input);
  if (rejected !== undefined) throw invalidResource(rejected.message, [rejected]);
  const email = checked.email;
  if (write.kind !== 'patch' && email === undefined)
    throw schemaInvalid([{ field: 'email_address', message: 'This value should not be blank.' }]);
  if (email !== undefined && fakeOrInvalid(email))
    throw invalidResource(`${email} looks fake or invalid, please enter a real email address.`);
  const hash = write.hash ?? subscriberHash(email ?? '');
  if (write.kind === 'put' && email !== undefined && subscriberHash(email) !== hash)
    throw invalidResource('The email address does not match the subscriber hash in the path.');
  const existing = list.members.get(hash);

  if (existing === undefined) {
    if (write.kind === 'patch') throw notFound();
    const status = write.kind === 'put' ? checked.statusIfNew : checked.status;
    if (status === undefined)
      throw schemaInvalid([
        {
          field: write.kind === 'put' ? 'status_if_new' : 'status',
          message: 'This value should not be blank.',
        },
      ]);
    if (list.forgotten.has(hash))
      throw new Problem(
        400,
        'Forgotten Email Not Subscribed',
        `${email ?? hash} was permanently deleted and cannot be re-imported. The contact must re-subscribe to get back on the list.`,
      );
    if (!write.skipMergeValidation) requiredMissing(context, checked.merges);
    const member = store.addMember(list, email ?? '', { status, merge_fields: checked.merges });
    store.changeMember(member, {
      ...(checked.vip === undefined ? {} : { vip: checked.vip }),
      ...(checked.language === undefined ? {} : { language: checked.language }),
    });
    for (const tag of checked.tags) store.tag(list, tag, true)?.members.add(member.id);
    return { member, created: true };
  }
  if (write.kind === 'add')
    throw new Problem(
      400,
      'Member Exists',
      `${existing.email_address} is already a list member. Use PUT to insert or update list members.`,
    );
  if (write.kind === 'batch' && write.updateExisting !== true)
    throw new ContactExists(existing.email_address);
  // An archived member written again comes back, with the status given or asked for if new.
  const status =
    checked.status ?? (existing.status === 'archived' ? checked.statusIfNew : undefined);
  refuseResubscribe(existing, status);
  store.changeMember(existing, {
    ...(status === undefined ? {} : { status }),
    merge_fields: checked.merges,
    ...(checked.vip === undefined ? {} : { vip: checked.vip }),
    ...(checked.language === undefined ? {} : { language: checked.language }),
  });
  return { member: existing, created: false };
}

function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw schemaInvalid([{ field: '', message: 'The request body must be a JSON object' }]);
  return body as Record<string, unknown>;
}

const skipMerge = (query: URLSearchParams): boolean =>
  query.get('skip_merge_validation') === 'true';

export function getMember(context: MemberRouteContext, hash: string): Answer {
  const member = context.store.member(context.list, hash);
  if (member === undefined) throw notFound();
  return ok(memberJson(context.store, context.list, member));
}

export function putMember(context: MemberRouteContext, hash: string): Answer {
  const { member } = writeMember(context, {
    kind: 'put',
    hash: hash.includes('@') ? subscriberHash(hash) : hash.toLowerCase(),
    input: bodyObject(context.body),
    skipMergeValidation: skipMerge(context.query),
  });
  return ok(memberJson(context.store, context.list, member));
}

export function patchMember(context: MemberRouteContext, hash: string): Answer {
  const { member } = writeMember(context, {
    kind: 'patch',
    hash: hash.includes('@') ? subscriberHash(hash) : hash.toLowerCase(),
    input: bodyObject(context.body),
    skipMergeValidation: skipMerge(context.query),
  });
  return ok(memberJson(context.store, context.list, member));
}

export function addMember(context: MemberRouteContext): Answer {
  const { member } = writeMember(context, {
    kind: 'add',
    input: bodyObject(context.body),
    skipMergeValidation: skipMerge(context.query),
  });
  return ok(memberJson(context.store, context.list, member));
}

export function archiveMember(context: MemberRouteContext, hash: string): Answer {
  const member = context.store.member(context.list, hash);
  if (member === undefined || member.status === 'archived') throw notFound();
  context.store.archive(member);
  return NO_CONTENT;
}

export function deletePermanent(context: MemberRouteContext, hash: string): Answer {
  const member = context.store.member(context.list, hash);
  if (member === undefined) throw notFound();
  context.store.forget(context.list, member);
  return NO_CONTENT;
}

export function paging(query: URLSearchParams): { count: number; offset: number } {
  const count = Number(query.get('count') ?? '10');
  const offset = Number(query.get('offset') ?? '0');
  const problems: FieldProblem[] = [];
  if (!Number.isInteger(count) || count < 1 || count > MAX_PAGE)
    problems.push({ field: 'count', message: `count must be between 1 and ${String(MAX_PAGE)}` });
  if (!Number.isInteger(offset) || offset < 0)
    problems.push({ field: 'offset', message: 'offset must be a whole number, 0 or more' });
  if (problems.length > 0) throw schemaInvalid(problems);
  return { count, offset };
}

function timeParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms))
    throw schemaInvalid([
      { field: name, message: 'Use ISO 8601 time format: 2015-10-21T15:41:36+00:00' },
    ]);
  return ms;
}

const SORT_FIELDS = ['timestamp_opt', 'timestamp_signup', 'last_changed'] as const;

/**
 * `GET /lists/{id}/members`: archived members only when asked for by status; `since_last_changed`
 * and `before_last_changed` compare with `last_changed` strictly ("changed after", "before");
 * sorted by `sort_field` (ties in the order members were added), else in that order.
 */
export function listMembers(context: MemberRouteContext): Answer {
  const { query, list, store } = context;
  const { count, offset } = paging(query);
  const status = query.get('status');
  if (status !== null && !MEMBER_STATUSES.some((candidate) => candidate === status))
    throw schemaInvalid([
      { field: 'status', message: `Value must be one of: ${MEMBER_STATUSES.join(', ')}` },
    ]);
  const since = timeParam(query, 'since_last_changed');
  const before = timeParam(query, 'before_last_changed');
  const sortField = query.get('sort_field');
  if (sortField !== null && !SORT_FIELDS.some((candidate) => candidate === sortField))
    throw schemaInvalid([
      { field: 'sort_field', message: `Value must be one of: ${SORT_FIELDS.join(', ')}` },
    ]);
  const descending = query.get('sort_dir') === 'DESC';
  const members = [...list.members.values()]
    .filter((member) => (status === null ? member.status !== 'archived' : member.status === status))
    .filter((member) => since === undefined || member.last_changed > since)
    .filter((member) => before === undefined || member.last_changed < before);
  const key = (member: StoredMember): number =>
    sortField === 'last_changed' ? member.last_changed : member.timestamp_signup;
  members.sort((a, b) =>
    sortField === null
      ? a.seq - b.seq
      : (descending ? key(b) - key(a) : key(a) - key(b)) || a.seq - b.seq,
  );
  return ok({
    members: members.slice(offset, offset + count).map((member) => memberJson(store, list, member)),
    list_id: list.id,
    total_items: members.length,
    _links: [],
  });
}

/**
 * `POST /lists/{id}`: up to 500 members, each added, updated (with `update_existing`) or refused
 * on its own; the answer lists new and updated members and the errors, each with its email.
 */
export function batchSubscribe(context: MemberRouteContext): Answer {
  const body = bodyObject(context.body);
  if (!Array.isArray(body.members))
    throw schemaInvalid([{ field: 'members', message: 'This value should not be blank.' }]);
  if (body.members.length > MAX_BATCH_MEMBERS)
    throw invalidResource(
      `You can add or update at most ${String(MAX_BATCH_MEMBERS)} members in one call.`,
    );
  const newMembers: StoredMember[] = [];
  const updatedMembers: StoredMember[] = [];
  const errors: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  for (const raw of body.members as unknown[]) {
    const input = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const email = text(input.email_address) ?? '';
    try {
      const hash = subscriberHash(email);
      if (seen.has(hash)) throw invalidResource(`${email} appears more than once in this request.`);
      seen.add(hash);
      const { member, created } = writeMember(context, {
        kind: 'batch',
        input,
        skipMergeValidation: skipMerge(context.query),
        updateExisting: body.update_existing === true,
      });
      (created ? newMembers : updatedMembers).push(member);
    } catch (error) {
      if (!(error instanceof Problem)) throw error;
      const field = error.errors?.at(0);
      errors.push({
        email_address: email,
        error:
          field === undefined ? error.detail : `${error.detail} ${field.field}: ${field.message}`,
        error_code: error instanceof ContactExists ? 'ERROR_CONTACT_EXISTS' : 'ERROR_GENERIC',
        field: field?.field ?? '',
        field_message: field?.message ?? '',
      });
    }
  }
  const json = (member: StoredMember) => memberJson(context.store, context.list, member);
  return ok({
    new_members: newMembers.map(json),
    updated_members: updatedMembers.map(json),
    errors,
    total_created: newMembers.length,
    total_updated: updatedMembers.length,
    error_count: errors.length,
    _links: [],
  });
}

export function memberTags(context: MemberRouteContext, hash: string): Answer {
  const member = context.store.member(context.list, hash);
  if (member === undefined) throw notFound();
  const tags = context.store.tagsOf(context.list, member);
  return ok({
    tags: tags.map((tag) => ({
      id: tag.id,
      name: tag.name,
      date_added: mailchimpTime(tag.updated_at),
    })),
    total_items: tags.length,
    _links: [],
  });
}

/** `POST …/members/{hash}/tags`: each tag `active` (added, created if new) or `inactive`. */
export function changeMemberTags(context: MemberRouteContext, hash: string): Answer {
  const member = context.store.member(context.list, hash);
  if (member === undefined) throw notFound();
  const body = bodyObject(context.body);
  if (!Array.isArray(body.tags))
    throw schemaInvalid([{ field: 'tags', message: 'This value should not be blank.' }]);
  const tags = body.tags as unknown[];
  const problems: FieldProblem[] = [];
  tags.forEach((tag, index) => {
    const entry = (tag ?? {}) as Record<string, unknown>;
    if (typeof entry.name !== 'string' || entry.name.trim() === '')
      problems.push({
        field: `tags.item:${String(index)}.name`,
        message: 'This value should not be blank.',
      });
    if (entry.status !== 'active' && entry.status !== 'inactive')
      problems.push({
        field: `tags.item:${String(index)}.status`,
        message: 'Value must be one of: active, inactive',
      });
  });
  if (problems.length > 0) throw schemaInvalid(problems);
  for (const tag of tags as { name: string; status: string }[]) {
    const segment = context.store.tag(context.list, tag.name.trim(), tag.status === 'active');
    if (segment === undefined) continue;
    if (tag.status === 'active') segment.members.add(member.id);
    else segment.members.delete(member.id);
    segment.updated_at = context.store.now();
  }
  return NO_CONTENT;
}
