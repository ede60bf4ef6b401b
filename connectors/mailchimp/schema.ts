/**
 * The audience's members as one object, `members`, described from its merge fields ("Merge
 * Fields"): each merge tag a field of the matching type (a dropdown or radio an enum with its
 * choices, an address a JSON object), beside the member's own fields: `email_address` (the key
 * Mailchimp upserts on, by its subscriber hash), `status` (the subscription status), `tags`,
 * `vip`, `language` and the read-only stamps. Values are converted both ways here.
 */
import type {
  FieldDescriptor,
  FieldType,
  FieldValue,
  Fields,
  ObjectDescriptor,
} from '../sdk/contract';
import { ConnectorError } from '../sdk/errors';
import type { FactCache } from '../sdk/facts';
import type { MailchimpClient } from './client';

export const MEMBERS = 'members';
export const EMAIL = 'email_address';
export const STATUS = 'status';

/** Statuses a sync may set; `archived` is Mailchimp's own (DELETE) and read only. */
/**
 * The statuses that mean the person opted out: unsubscribed, or cleaned (their address bounced).
 * Mailchimp refuses to set either back to subscribed by an upsert ("Member In Compliance State").
 */
export const OPTED_OUT_STATUSES: readonly string[] = ['unsubscribed', 'cleaned'];

export const WRITABLE_STATUSES = [
  'subscribed',
  'unsubscribed',
  'cleaned',
  'pending',
  'transactional',
] as const;

export interface MergeField {
  tag: string;
  name: string;
  type: string;
  required: boolean;
  options?: { choices?: string[] };
}

export interface AudienceSchema {
  descriptor: ObjectDescriptor;
  mergeFields: Map<string, MergeField>;
}

const field = (
  name: string,
  label: string,
  type: FieldType,
  flags: Partial<FieldDescriptor> = {},
): FieldDescriptor => ({
  name,
  label,
  type,
  required: false,
  readOnly: false,
  unique: false,
  externalId: false,
  ...flags,
});

/** The member's own fields, beside its merge fields. */
const MEMBER_FIELDS: readonly FieldDescriptor[] = [
  field(EMAIL, 'Email address', 'email', { required: true, unique: true, externalId: true }),
  field(STATUS, 'Subscription status', 'enum', {
    options: [...WRITABLE_STATUSES, 'archived'].map((value) => ({ value, label: value })),
  }),
  field('tags', 'Tags', 'multi_enum', { readOnly: true }),
  field('vip', 'VIP', 'boolean'),
  field('language', 'Language', 'string'),
  field('unsubscribe_reason', 'Unsubscribe reason', 'string', { readOnly: true }),
  field('member_rating', 'Member rating', 'integer', { readOnly: true }),
  field('timestamp_signup', 'Signed up at', 'datetime', { readOnly: true }),
  field('last_changed', 'Last changed', 'datetime', { readOnly: true }),
];

function mergeType(type: string): FieldType {
  switch (type) {
    case 'number':
      return 'number';
    case 'address':
      return 'json';
    case 'phone':
      return 'phone';
    case 'date':
      return 'date';
    case 'url':
    case 'imageurl':
      return 'url';
    case 'radio':
    case 'dropdown':
      return 'enum';
    default:
      // text, birthday (MM/DD), zip
      return 'string';
  }
}

export async function loadSchema(
  client: MailchimpClient,
  audienceId: string,
  facts: FactCache,
): Promise<AudienceSchema> {
  return facts.remember(`mailchimp:schema:${audienceId}`, async () => {
    const answer = await client.get<{ merge_fields?: MergeField[] }>(
      `lists/${encodeURIComponent(audienceId)}/merge-fields`,
      { count: 1000 },
    );
    const mergeFields = new Map((answer.merge_fields ?? []).map((each) => [each.tag, each]));
    const merged = [...mergeFields.values()].map((each) =>
      field(each.tag, each.name, mergeType(each.type), {
        required: each.required,
        ...(each.options?.choices === undefined
          ? {}
          : { options: each.options.choices.map((value) => ({ value, label: value })) }),
      }),
    );
    return {
      mergeFields,
      descriptor: {
        name: MEMBERS,
        label: 'Audience members',
        fields: [...MEMBER_FIELDS, ...merged],
        deletes: false,
        writeModes: ['upsert', 'create', 'update', 'delete'],
      },
    };
  });
}

/** `2024-05-01T10:00:00+00:00` as the contract's ISO form. */
export function isoTime(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** A member as Mailchimp answers it. */
export interface RawMember {
  id: string;
  email_address: string;
  status: string;
  merge_fields?: Record<string, unknown>;
  tags?: { name: string }[];
  vip?: boolean;
  language?: string;
  unsubscribe_reason?: string;
  member_rating?: number;
  timestamp_signup?: string;
  last_changed: string;
}

function mergeRead(value: unknown): FieldValue {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'number' || typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** A member's fields in the contract's form. */
export function memberFields(member: RawMember): Fields {
  const fields: Fields = {
    [EMAIL]: member.email_address,
    [STATUS]: member.status,
    tags: [...new Set((member.tags ?? []).map((tag) => tag.name))].sort(),
    vip: member.vip ?? false,
    language: member.language === '' ? null : (member.language ?? null),
    unsubscribe_reason: member.unsubscribe_reason ?? null,
    member_rating: member.member_rating ?? null,
    timestamp_signup: isoTime(member.timestamp_signup),
    last_changed: isoTime(member.last_changed),
  };
  for (const [tag, value] of Object.entries(member.merge_fields ?? {}))
    fields[tag] = mergeRead(value);
  return fields;
}

/** The body of a member write: its own fields and its merge fields, as Mailchimp takes them. */
export function memberBody(schema: AudienceSchema, fields: Fields): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const merges: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (name === EMAIL) body.email_address = typeof value === 'string' ? value.trim() : value;
    else if (name === STATUS) body.status = value;
    else if (name === 'vip') body.vip = value === true;
    else if (name === 'language') body.language = value ?? '';
    else {
      const merge = schema.mergeFields.get(name);
      if (merge === undefined)
        throw new ConnectorError('invalid_value', `${name} is not a writable member field`);
      merges[name] = mergeWrite(merge, value);
    }
  }
  if (Object.keys(merges).length > 0) body.merge_fields = merges;
  return body;
}

function mergeWrite(merge: MergeField, value: FieldValue): unknown {
  if (value === null) return '';
  if (merge.type === 'address' && typeof value === 'string') {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      throw new ConnectorError('invalid_value', `${merge.tag} takes an address as a JSON object`);
    }
  }
  return Array.isArray(value) ? value.join(', ') : value;
}
