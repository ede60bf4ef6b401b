/**
 * Values between Salesforce's wire forms and the contract's canonical ones: datetimes
 * `2024-05-01T10:00:00.000+0000` ↔ ISO `…Z`, multipicklists `a;b` ↔ sorted arrays, SOQL literals,
 * and Bulk API 2.0 CSV cells (`#N/A` sets null).
 */
import type { FieldType, FieldValue } from '../sdk/contract';
import { normalizeDatetime, normalizeValue } from '../sdk/normalize';

/** `+0000` / `-0800` → `+00:00` / `-08:00`, which every ISO parser reads. */
export function salesforceDatetimeToIso(value: string): string | null {
  return normalizeDatetime(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

/** A value read from Salesforce in canonical form for a field of `type`. */
export function fromSalesforce(type: FieldType, value: unknown): FieldValue {
  if (type === 'datetime' && typeof value === 'string') return salesforceDatetimeToIso(value);
  return normalizeValue(type, value);
}

/** A canonical value as Salesforce's JSON takes it. */
export function toSalesforce(value: FieldValue): string | number | boolean | null {
  if (Array.isArray(value)) return value.length === 0 ? null : value.join(';');
  return value as string | number | boolean | null;
}

/** Bulk API 2.0: an empty cell leaves a field unchanged; `#N/A` sets it to null. */
export function toCsvCell(value: FieldValue | undefined): string {
  if (value === undefined) return '';
  const wire = toSalesforce(value);
  return wire === null ? '#N/A' : String(wire);
}

/** A SOQL string literal: backslash and quote escaped, control characters spelt out. */
export function soqlString(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
  return `'${escaped}'`;
}

/**
 * A SOQL dateTime literal (`YYYY-MM-DDThh:mm:ssZ`, SOQL reference "Date Formats"); the format
 * has no fractions, so the instant is floored to its second, which only ever widens `>=`.
 */
export function soqlDatetime(iso: string): string {
  const ms = Date.parse(iso);
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
