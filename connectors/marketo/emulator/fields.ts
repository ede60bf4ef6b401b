/**
 * The lead fields the emulator knows, as Describe Lead and Describe Lead2 report them, and how it
 * checks a value sent for each: Marketo's field types (developer docs, "Field Types"), string up
 * to 255 characters, text area up to 30,000 bytes, emails of ASCII characters only ("Leads",
 * Create and Update).
 */
import { asText } from './responses';

export type MarketoDataType =
  | 'string'
  | 'text'
  | 'email'
  | 'phone'
  | 'url'
  | 'integer'
  | 'float'
  | 'currency'
  | 'score'
  | 'percent'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'reference';

export interface LeadField {
  id: number;
  name: string;
  displayName: string;
  dataType: MarketoDataType;
  length?: number;
  readOnly: boolean;
  /** Usable as `filterType` of Get Leads by Filter Type and `lookupField` of Sync Leads. */
  searchable: boolean;
}

export type LeadValue = string | number | boolean | null;

const field = (
  id: number,
  name: string,
  displayName: string,
  dataType: MarketoDataType,
  options: { readOnly?: boolean; searchable?: boolean; length?: number } = {},
): LeadField => ({
  id,
  name,
  displayName,
  dataType,
  readOnly: options.readOnly ?? false,
  searchable: options.searchable ?? false,
  ...(options.length === undefined
    ? dataType === 'string' || dataType === 'email' || dataType === 'phone' || dataType === 'url'
      ? { length: 255 }
      : {}
    : { length: options.length }),
});

/** Standard fields (a subset of "List of Standard Fields") and a few custom ones. */
export const LEAD_FIELDS: readonly LeadField[] = [
  field(1, 'id', 'Id', 'integer', { readOnly: true, searchable: true }),
  field(2, 'company', 'Company Name', 'string'),
  field(3, 'email', 'Email Address', 'email', { searchable: true }),
  field(4, 'firstName', 'First Name', 'string'),
  field(5, 'lastName', 'Last Name', 'string'),
  field(6, 'title', 'Job Title', 'string'),
  field(7, 'phone', 'Phone Number', 'phone'),
  field(8, 'mobilePhone', 'Mobile Phone Number', 'phone'),
  field(9, 'website', 'Website', 'url'),
  field(10, 'industry', 'Industry', 'string'),
  field(11, 'leadSource', 'Person Source', 'string'),
  field(12, 'leadStatus', 'Person Status', 'string'),
  field(13, 'annualRevenue', 'Annual Revenue', 'currency'),
  field(14, 'numberOfEmployees', 'Num Employees', 'integer'),
  field(15, 'address', 'Address', 'text', { length: 30_000 }),
  field(16, 'city', 'City', 'string'),
  field(17, 'state', 'State', 'string'),
  field(18, 'postalCode', 'Postal Code', 'string'),
  field(19, 'country', 'Country', 'string'),
  field(20, 'unsubscribed', 'Unsubscribed', 'boolean'),
  field(21, 'leadScore', 'Lead Score', 'score'),
  field(22, 'dateOfBirth', 'Date of Birth', 'date'),
  field(23, 'sfdcLeadId', 'SFDC Lead ID', 'string', { searchable: true }),
  field(24, 'sfdcContactId', 'SFDC Contact ID', 'string', { searchable: true }),
  field(25, 'createdAt', 'Created At', 'datetime', { readOnly: true }),
  field(26, 'updatedAt', 'Updated At', 'datetime', { readOnly: true }),
  // Custom fields: searchable because they are string, email or integer ("Leads", Query).
  field(101, 'externalId', 'External Id', 'string', { searchable: true }),
  field(102, 'lastEventAt', 'Last Event At', 'datetime'),
];

const BY_NAME = new Map(LEAD_FIELDS.map((each) => [each.name.toLowerCase(), each]));

/** A field by its REST API name (Marketo matches names without regard to case). */
export function leadField(name: string): LeadField | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** The fields Get Lead(s) return when the call names none ("Leads", Query). */
export const DEFAULT_FIELDS = ['id', 'email', 'updatedAt', 'createdAt', 'firstName', 'lastName'];

const EMAIL = /^[\x21-\x7e]+@[\x21-\x7e]+\.[\x21-\x7e]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Marketo shows datetimes to the second, in UTC: `2015-08-24T20:17:23Z`. */
export function marketoDateTime(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

/** The stored value of `raw` for `definition`, or why it is refused. */
export function leadValue(
  definition: LeadField,
  raw: unknown,
): { value: LeadValue } | { problem: string } {
  if (raw === null || raw === '') return { value: null };
  const refuse = (): { problem: string } => ({
    problem: `Invalid value '${asText(raw)}'. Required of type '${definition.dataType}' for field '${definition.name}'`,
  });
  switch (definition.dataType) {
    case 'string':
    case 'phone':
    case 'url':
    case 'reference':
    case 'text': {
      if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean')
        return refuse();
      const text = String(raw);
      const limit = definition.length ?? 255;
      const size = definition.dataType === 'text' ? Buffer.byteLength(text) : text.length;
      if (size > limit)
        return {
          problem: `Value for field '${definition.name}' exceeds the maximum length of ${limit}`,
        };
      return { value: text };
    }
    case 'email':
      return typeof raw === 'string' && EMAIL.test(raw) ? { value: raw } : refuse();
    case 'integer':
    case 'score':
    case 'percent': {
      const number = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN;
      return Number.isInteger(number) ? { value: number } : refuse();
    }
    case 'float':
    case 'currency': {
      const number = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN;
      return Number.isFinite(number) ? { value: number } : refuse();
    }
    case 'boolean':
      if (typeof raw === 'boolean') return { value: raw };
      if (raw === 'true' || raw === 'false') return { value: raw === 'true' };
      return refuse();
    case 'date':
      return typeof raw === 'string' && DATE.test(raw) && !Number.isNaN(Date.parse(raw))
        ? { value: raw }
        : refuse();
    case 'datetime': {
      if (typeof raw !== 'string' || !DATETIME.test(raw)) return refuse();
      const ms = Date.parse(raw);
      return Number.isNaN(ms) ? refuse() : { value: marketoDateTime(ms) };
    }
    default: {
      const unreachable: never = definition.dataType;
      return unreachable;
    }
  }
}

/** A stored value as a change activity shows it (`newValue`, `oldValue` are strings). */
export function activityValue(value: LeadValue | undefined): string | null {
  return value === undefined || value === null ? null : String(value);
}
