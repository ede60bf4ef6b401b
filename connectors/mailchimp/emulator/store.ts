/**
 * The emulated Mailchimp account's data: audiences (lists) with their merge fields, members by
 * subscriber hash (the MD5 of the lower-cased email), tags and saved segments, and the emails
 * permanently deleted from each audience (which cannot be added again). Times are the emulator
 * clock's, kept to the second as Mailchimp shows them.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../sdk/contract';
import { type MergeValue, type StoredMergeField, defaultMergeFields } from './merge-fields';

export const MEMBER_STATUSES = [
  'subscribed',
  'unsubscribed',
  'cleaned',
  'pending',
  'transactional',
  'archived',
] as const;

export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/** Statuses a write may set (`archived` comes from DELETE). */
export const WRITABLE_STATUSES: readonly MemberStatus[] = [
  'subscribed',
  'unsubscribed',
  'cleaned',
  'pending',
  'transactional',
];

export interface StoredMember {
  /** The subscriber hash. */
  id: string;
  email_address: string;
  unique_email_id: string;
  contact_id: string;
  web_id: number;
  status: MemberStatus;
  merge_fields: Record<string, MergeValue>;
  vip: boolean;
  language: string;
  email_type: 'html' | 'text';
  /** ms, whole seconds. */
  timestamp_signup: number;
  last_changed: number;
  unsubscribe_reason: string;
  /** Insertion order: Mailchimp's order for members with one `last_changed`. */
  seq: number;
}

export interface StoredSegment {
  id: number;
  name: string;
  /** `static`: a tag; `saved`: defined by conditions, not changed member by member. */
  type: 'static' | 'saved';
  /** Static segments: subscriber hashes. Saved ones: their members as the conditions select. */
  members: Set<string>;
  created_at: number;
  updated_at: number;
}

export interface StoredList {
  id: string;
  web_id: number;
  name: string;
  date_created: number;
  mergeFields: StoredMergeField[];
  members: Map<string, StoredMember>;
  segments: Map<number, StoredSegment>;
  /** Subscriber hashes permanently deleted: such an email cannot be added again. */
  forgotten: Set<string>;
}

/** Mailchimp's subscriber hash: the MD5 of the lower-cased email. */
export function subscriberHash(email: string): string {
  return createHash('md5').update(email.toLowerCase()).digest('hex');
}

/** `2024-05-01T10:00:00+00:00`: how Mailchimp writes times. */
export function mailchimpTime(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}+00:00`;
}

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

export class MailchimpStore {
  readonly lists = new Map<string, StoredList>();
  private seq = 0;
  private nextWebId = 100_001;
  private nextSegmentId = 10_001;

  constructor(private readonly clock: Clock) {}

  /** Now, to the second. */
  now(): number {
    return Math.floor(this.clock.now().getTime() / 1000) * 1000;
  }

  createList(name: string, id = hex(5)): StoredList {
    const list: StoredList = {
      id,
      web_id: this.nextWebId++,
      name,
      date_created: this.now(),
      mergeFields: defaultMergeFields(),
      members: new Map(),
      segments: new Map(),
      forgotten: new Set(),
    };
    this.lists.set(id, list);
    return list;
  }

  list(id: string): StoredList | undefined {
    return this.lists.get(id);
  }

  /** A member by subscriber hash, or by email address (as the API also accepts). */
  member(list: StoredList, hashOrEmail: string): StoredMember | undefined {
    const hash = hashOrEmail.includes('@') ? subscriberHash(hashOrEmail) : hashOrEmail;
    return list.members.get(hash.toLowerCase());
  }

  /** Adds a member as given, with no check (a signup form, an import in the UI). */
  addMember(
    list: StoredList,
    email: string,
    values: { status?: MemberStatus; merge_fields?: Record<string, MergeValue> } = {},
  ): StoredMember {
    const at = this.now();
    const id = subscriberHash(email);
    const member: StoredMember = {
      id,
      email_address: email,
      unique_email_id: hex(5),
      contact_id: hex(16),
      web_id: this.nextWebId++,
      status: values.status ?? 'subscribed',
      merge_fields: this.blankMergeFields(list),
      vip: false,
      language: '',
      email_type: 'html',
      timestamp_signup: at,
      last_changed: at,
      unsubscribe_reason: '',
      seq: ++this.seq,
    };
    Object.assign(member.merge_fields, values.merge_fields ?? {});
    list.members.set(id, member);
    list.forgotten.delete(id);
    return member;
  }

  /** Changes a member as given (a user's edit, or a checked write): its `last_changed` moves. */
  changeMember(
    member: StoredMember,
    change: Partial<Pick<StoredMember, 'status' | 'vip' | 'language' | 'email_type'>> & {
      merge_fields?: Record<string, MergeValue>;
      email_address?: string;
    },
  ): void {
    const { merge_fields: merges, ...rest } = change;
    Object.assign(member, rest);
    if (merges !== undefined) Object.assign(member.merge_fields, merges);
    if (change.status === 'unsubscribed' && member.unsubscribe_reason === '')
      member.unsubscribe_reason = 'N/A (Unsubscribed by an admin)';
    member.last_changed = this.now();
  }

  /** Archives (DELETE): the member stays, with status `archived`, out of default member lists. */
  archive(member: StoredMember): void {
    this.changeMember(member, { status: 'archived' });
  }

  /** Deletes permanently: the email is gone and cannot be added to this audience again. */
  forget(list: StoredList, member: StoredMember): void {
    list.members.delete(member.id);
    list.forgotten.add(member.id);
    for (const segment of list.segments.values()) segment.members.delete(member.id);
  }

  /** The tag (static segment) of this name, created when `create` and absent. */
  tag(list: StoredList, name: string, create: boolean): StoredSegment | undefined {
    const found = [...list.segments.values()].find(
      (segment) => segment.type === 'static' && segment.name === name,
    );
    if (found !== undefined || !create) return found;
    return this.createSegment(list, name, 'static');
  }

  createSegment(list: StoredList, name: string, type: StoredSegment['type']): StoredSegment {
    const at = this.now();
    const segment: StoredSegment = {
      id: this.nextSegmentId++,
      name,
      type,
      members: new Set(),
      created_at: at,
      updated_at: at,
    };
    list.segments.set(segment.id, segment);
    return segment;
  }

  /** The tags a member carries, by name. */
  tagsOf(list: StoredList, member: StoredMember): StoredSegment[] {
    return [...list.segments.values()].filter(
      (segment) => segment.type === 'static' && segment.members.has(member.id),
    );
  }

  blankMergeFields(list: StoredList): Record<string, MergeValue> {
    return Object.fromEntries(list.mergeFields.map((field) => [field.tag, field.default_value]));
  }
}
