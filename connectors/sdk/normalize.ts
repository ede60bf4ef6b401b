/**
 * Canonical forms of field values (see FieldValue in contract.ts), so that equal values compare
 * equal whatever the vendor's wire format. The PII helpers of events and audiences are in
 * identifiers.ts (re-exported here).
 */
import type { FieldType, FieldValue } from './contract';
import { ConnectorError } from './errors';

function invalid(type: string, value: unknown): ConnectorError {
  return new ConnectorError('invalid_value', `cannot read ${JSON.stringify(value)} as ${type}`);
}

/** Absent values and, for non-string types, the empty string. */
function isEmpty(value: unknown): value is null | undefined | '' {
  return (
    value === null || value === undefined || (typeof value === 'string' && value.trim() === '')
  );
}

/** Datetime as ISO 8601 UTC with milliseconds; accepts Date, ISO strings with offsets, epoch ms. */
export function normalizeDatetime(value: unknown): string | null {
  if (isEmpty(value)) return null;
  let date: Date;
  if (value instanceof Date) date = value;
  else if (typeof value === 'number') date = new Date(value);
  else if (typeof value === 'string' && /^-?\d+$/.test(value.trim()))
    date = new Date(Number(value));
  else if (typeof value === 'string') date = new Date(value.trim());
  else throw invalid('datetime', value);
  if (Number.isNaN(date.getTime())) throw invalid('datetime', value);
  return date.toISOString();
}

/**
 * Date as YYYY-MM-DD. A plain date is kept as written; a datetime or epoch ms (HubSpot sends
 * dates as midnight UTC) is read in UTC.
 */
export function normalizeDate(value: unknown): string | null {
  if (isEmpty(value)) return null;
  if (typeof value === 'string') {
    const plain = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
    if (plain !== null) {
      const check = new Date(`${value.trim()}T00:00:00.000Z`);
      if (Number.isNaN(check.getTime()) || check.toISOString().slice(0, 10) !== value.trim()) {
        throw invalid('date', value);
      }
      return value.trim();
    }
  }
  const datetime = normalizeDatetime(value);
  return datetime === null ? null : datetime.slice(0, 10);
}

/** A number from a number or a numeric string (`'1e3'`, `' 42 '`); never NaN or Infinity. */
export function normalizeNumber(value: unknown): number | null {
  if (isEmpty(value)) return null;
  const number =
    typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
  if (!Number.isFinite(number)) throw invalid('number', value);
  return number;
}

export function normalizeInteger(value: unknown): number | null {
  const number = normalizeNumber(value);
  if (number !== null && !Number.isInteger(number)) throw invalid('integer', value);
  return number;
}

/** A boolean from a boolean or 'true' / 'false' in any case. */
export function normalizeBoolean(value: unknown): boolean | null {
  if (isEmpty(value)) return null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  throw invalid('boolean', value);
}

/** Multi-select as a sorted list without duplicates; vendors send `'b;a;b'` or an array. */
export function normalizeMultiEnum(value: unknown): readonly string[] | null {
  if (isEmpty(value)) return null;
  let items: unknown[];
  if (typeof value === 'string') items = value.split(';');
  else if (Array.isArray(value)) items = value;
  else throw invalid('multi_enum', value);
  const strings = items.map((item) => {
    if (typeof item !== 'string' && typeof item !== 'number') throw invalid('multi_enum', value);
    return String(item).trim();
  });
  const unique = [...new Set(strings.filter((item) => item !== ''))].sort();
  return unique.length === 0 ? null : unique;
}

/** Strings are kept exactly as given (trimming is a transform's choice); numbers become strings. */
export function normalizeString(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw invalid('string', value);
}

/** Any JSON value, kept as its JSON text so it compares by content. */
function normalizeJson(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The canonical form of `value` for a field of `type`; throws ConnectorError('invalid_value'). */
export function normalizeValue(type: FieldType, value: unknown): FieldValue {
  switch (type) {
    case 'string':
    case 'text':
    case 'email':
    case 'phone':
    case 'url':
    case 'id':
    case 'reference':
    case 'enum':
      return normalizeString(value);
    case 'number':
      return normalizeNumber(value);
    case 'integer':
      return normalizeInteger(value);
    case 'boolean':
      return normalizeBoolean(value);
    case 'date':
      return normalizeDate(value);
    case 'datetime':
      return normalizeDatetime(value);
    case 'multi_enum':
      return normalizeMultiEnum(value);
    case 'json':
      return normalizeJson(value);
    default: {
      const unreachable: never = type;
      return unreachable;
    }
  }
}

export {
  hashEmail,
  normalizeEmail,
  normalizeIdentifier,
  normalizePhone,
  prepareIdentifiers,
  sha256Hex,
} from './identifiers';
