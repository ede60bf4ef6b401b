/**
 * An audience's merge fields ("Merge Fields"): a tag of up to 10 letters, digits or underscores,
 * a type (text, number, address, phone, date, url, imageurl, radio, dropdown, birthday, zip), a
 * required flag and options (choices, date format). Values are checked by type when a member is
 * written; an empty value is "" as Mailchimp answers it.
 */
import { type FieldProblem, schemaInvalid } from './problems';

export const MERGE_TYPES = [
  'text',
  'number',
  'address',
  'phone',
  'date',
  'url',
  'imageurl',
  'radio',
  'dropdown',
  'birthday',
  'zip',
] as const;

export type MergeType = (typeof MERGE_TYPES)[number];

export interface MergeAddress {
  addr1: string;
  addr2: string;
  city: string;
  state: string;
  zip: string;
  country: string;
}

export type MergeValue = string | number | MergeAddress;

export interface StoredMergeField {
  merge_id: number;
  tag: string;
  name: string;
  type: MergeType;
  required: boolean;
  default_value: string;
  public: boolean;
  display_order: number;
  options: { choices?: string[]; date_format?: string; default_country?: number; size?: number };
  help_text: string;
}

/** The merge fields every new audience has (FNAME, LNAME, ADDRESS, PHONE, BIRTHDAY). */
export function defaultMergeFields(): StoredMergeField[] {
  const field = (
    merge_id: number,
    tag: string,
    name: string,
    type: MergeType,
    options: StoredMergeField['options'] = {},
  ): StoredMergeField => ({
    merge_id,
    tag,
    name,
    type,
    required: false,
    default_value: '',
    public: true,
    display_order: merge_id + 1,
    options,
    help_text: '',
  });
  return [
    field(1, 'FNAME', 'First Name', 'text', { size: 25 }),
    field(2, 'LNAME', 'Last Name', 'text', { size: 25 }),
    field(3, 'ADDRESS', 'Address', 'address', { default_country: 164 }),
    field(4, 'PHONE', 'Phone Number', 'phone'),
    field(5, 'BIRTHDAY', 'Birthday', 'birthday', { date_format: 'MM/DD' }),
  ];
}

const TAG = /^[A-Z0-9_]{1,10}$/;

/** A new merge field from `POST /lists/{id}/merge-fields`, or the fields that are wrong. */
export function newMergeField(
  body: Record<string, unknown>,
  existing: readonly StoredMergeField[],
): StoredMergeField {
  const problems: FieldProblem[] = [];
  const name = typeof body.name === 'string' ? body.name.trim() : '';
  if (name === '') problems.push({ field: 'name', message: 'This value should not be blank.' });
  const type = MERGE_TYPES.find((candidate) => candidate === body.type);
  if (type === undefined)
    problems.push({ field: 'type', message: `Value must be one of: ${MERGE_TYPES.join(', ')}` });
  const next = Math.max(0, ...existing.map((field) => field.merge_id)) + 1;
  const tag =
    typeof body.tag === 'string' && body.tag !== '' ? body.tag.toUpperCase() : `MMERGE${next}`;
  if (!TAG.test(tag))
    problems.push({ field: 'tag', message: 'Tags are up to 10 letters, digits or underscores.' });
  if (existing.some((field) => field.tag === tag))
    problems.push({ field: 'tag', message: `A merge field with the tag "${tag}" already exists.` });
  const rawOptions = (body.options ?? {}) as Record<string, unknown>;
  const choices = Array.isArray(rawOptions.choices)
    ? rawOptions.choices.filter((choice): choice is string => typeof choice === 'string')
    : undefined;
  if ((type === 'radio' || type === 'dropdown') && (choices === undefined || choices.length === 0))
    problems.push({ field: 'options.choices', message: 'A choice field needs its choices.' });
  if (problems.length > 0 || type === undefined) throw schemaInvalid(problems);
  return {
    merge_id: next,
    tag,
    name,
    type,
    required: body.required === true,
    default_value: typeof body.default_value === 'string' ? body.default_value : '',
    public: body.public !== false,
    display_order: next + 1,
    options: {
      ...(choices === undefined ? {} : { choices }),
      ...(type === 'date' ? { date_format: 'MM/DD/YYYY' } : {}),
      ...(type === 'birthday' ? { date_format: 'MM/DD' } : {}),
    },
    help_text: typeof body.help_text === 'string' ? body.help_text : '',
  };
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const US_DATE = /^(\d{2})\/(\d{2})\/(\d{4})$/;

function validDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A date merge value as Mailchimp stores it (`YYYY-MM-DD`), from that form or MM/DD/YYYY. */
function dateValue(value: string): string | undefined {
  const iso = ISO_DATE.exec(value);
  if (iso !== null)
    return validDate(Number(iso[1]), Number(iso[2]), Number(iso[3])) ? value : undefined;
  const us = US_DATE.exec(value);
  if (us !== null && validDate(Number(us[3]), Number(us[1]), Number(us[2])))
    return `${us[3]}-${us[1]}-${us[2]}`;
  return undefined;
}

function addressValue(value: unknown): MergeAddress | string | undefined {
  if (value === '') return '';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const raw = value as Record<string, unknown>;
  const part = (name: string): string => (typeof raw[name] === 'string' ? raw[name] : '');
  const address: MergeAddress = {
    addr1: part('addr1'),
    addr2: part('addr2'),
    city: part('city'),
    state: part('state'),
    zip: part('zip'),
    country: part('country') === '' ? 'US' : part('country'),
  };
  // Mailchimp needs a street, a city, a state and a zip for an address.
  if ([address.addr1, address.city, address.state, address.zip].some((each) => each === ''))
    return undefined;
  return address;
}

/** The stored form of `value` for `field`, or the message Mailchimp gives for it. */
export function mergeValue(
  field: StoredMergeField,
  value: unknown,
): { value: MergeValue } | { message: string } {
  if (value === null || value === undefined || value === '') return { value: '' };
  switch (field.type) {
    case 'number': {
      const number = typeof value === 'number' ? value : Number(value);
      if (typeof value === 'boolean' || !Number.isFinite(number))
        return { message: 'Please enter a number' };
      return { value: number };
    }
    case 'address': {
      const address = addressValue(value);
      return address === undefined
        ? { message: 'Please enter a complete address' }
        : { value: address };
    }
    case 'date': {
      const date = typeof value === 'string' ? dateValue(value) : undefined;
      return date === undefined ? { message: 'Please enter a valid date' } : { value: date };
    }
    case 'birthday': {
      const match = typeof value === 'string' ? /^(\d{2})\/(\d{2})$/.exec(value) : null;
      return match !== null && validDate(2000, Number(match[1]), Number(match[2]))
        ? { value: value as string }
        : { message: 'Please enter a valid birthday (MM/DD)' };
    }
    case 'zip':
      return typeof value === 'string' && /^\d{5}$/.test(value)
        ? { value }
        : { message: 'Please enter a valid US zip code' };
    case 'radio':
    case 'dropdown':
      return typeof value === 'string' && (field.options.choices ?? []).includes(value)
        ? { value }
        : { message: 'Please choose one of the options' };
    case 'url':
    case 'imageurl':
      return typeof value === 'string' && /^https?:\/\/\S+$/i.test(value)
        ? { value }
        : { message: 'Please enter a valid URL' };
    case 'text':
    case 'phone':
      if (typeof value !== 'string' && typeof value !== 'number')
        return { message: 'Please enter a value' };
      return String(value).length > 255
        ? { message: 'Value must be 255 characters or fewer' }
        : { value: String(value) };
    default: {
      const unreachable: never = field.type;
      return unreachable;
    }
  }
}
