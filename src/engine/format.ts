/**
 * Formatting functions of field transforms: case, trim, E.164 phones, ISO country codes, dates.
 * Each maps a canonical value to a canonical value; a value it cannot format raises TransformError,
 * which fails that record (never the run).
 */
import countries from 'i18n-iso-countries';
import dutch from 'i18n-iso-countries/langs/nl.json';
import english from 'i18n-iso-countries/langs/en.json';
import french from 'i18n-iso-countries/langs/fr.json';
import german from 'i18n-iso-countries/langs/de.json';
import italian from 'i18n-iso-countries/langs/it.json';
import portuguese from 'i18n-iso-countries/langs/pt.json';
import spanish from 'i18n-iso-countries/langs/es.json';
import { isSupportedCountry } from 'libphonenumber-js';
import type { FieldValue } from '../../connectors/sdk/contract';
import { normalizePhone } from '../../connectors/sdk/identifiers';
import type { FormatFunction } from './definition';

export class TransformError extends Error {
  override readonly name = 'TransformError';
}

export { FORMAT_FUNCTIONS } from '../sync-definition/schema';

/** Languages whose country names `country_iso2` reads, besides codes. */
countries.registerLocale(english);
countries.registerLocale(german);
countries.registerLocale(french);
countries.registerLocale(spanish);
countries.registerLocale(italian);
countries.registerLocale(dutch);
countries.registerLocale(portuguese);
const NAME_LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt'];

/** Names people write that are no country's name in ISO 3166 or the library's lists. */
const ALIASES: Record<string, string> = {
  america: 'US',
  britain: 'GB',
  'great britain': 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'northern ireland': 'GB',
  holland: 'NL',
};

/** Whether `region` is an ISO 3166-1 alpha-2 code libphonenumber has numbering plans for. */
export function isKnownRegion(region: string): boolean {
  return isSupportedCountry(region.trim().toUpperCase());
}

/**
 * E.164 through libphonenumber-js (Google's metadata): a national number is read in `region`
 * (ISO 3166-1 alpha-2) and keeps what E.164 keeps (the leading 0 of Italian numbers).
 */
export function toE164(input: string, region?: string): string {
  const e164 = normalizePhone(input, region);
  if (e164 !== '') return e164;
  const national = !input.trim().startsWith('+') && !input.trim().startsWith('00');
  if (national && region === undefined)
    throw new TransformError(`phone "${input}" has no country code and no default region`);
  throw new TransformError(`phone "${input}" is not a valid number`);
}

/**
 * ISO 3166-1 alpha-2 through i18n-iso-countries: from an alpha-2 or alpha-3 code or a country's
 * name in English, German, French, Spanish, Italian, Dutch or Portuguese.
 */
export function toCountryIso2(input: string): string {
  const text = input.trim();
  const upper = text.toUpperCase();
  if (/^[A-Z]{2}$/.test(upper) && countries.isValid(upper)) return upper;
  if (/^[A-Z]{3}$/.test(upper)) {
    const code = countries.alpha3ToAlpha2(upper);
    if (code !== undefined) return code;
  }
  const alias = ALIASES[text.toLowerCase()] as string | undefined;
  if (alias !== undefined) return alias;
  for (const language of NAME_LANGUAGES) {
    const code = countries.getAlpha2Code(text, language);
    if (code !== undefined) return code;
  }
  throw new TransformError(`"${input}" is not a known country`);
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** Parses ISO dates and datetimes (and what Date.parse accepts); date-only values as UTC days. */
function parseInstant(input: string): Date {
  const text = input.trim();
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const ms =
    dateOnly === null
      ? Date.parse(text)
      : Date.UTC(Number(dateOnly[1]), Number(dateOnly[2]) - 1, Number(dateOnly[3]));
  if (Number.isNaN(ms)) throw new TransformError(`"${input}" is not a date`);
  return new Date(ms);
}

const PATTERN_TOKENS = /yyyy|yy|MM|M|dd|d|HH|H|mm|ss|SSS|'[^']*'/g;

/** A date-fns-like subset, in UTC: yyyy yy MM M dd d HH H mm ss SSS and 'quoted text'. */
export function formatInstant(date: Date, pattern: string): string {
  return pattern.replace(PATTERN_TOKENS, (token) => {
    switch (token) {
      case 'yyyy':
        return pad(date.getUTCFullYear(), 4);
      case 'yy':
        return pad(date.getUTCFullYear() % 100, 2);
      case 'MM':
        return pad(date.getUTCMonth() + 1, 2);
      case 'M':
        return String(date.getUTCMonth() + 1);
      case 'dd':
        return pad(date.getUTCDate(), 2);
      case 'd':
        return String(date.getUTCDate());
      case 'HH':
        return pad(date.getUTCHours(), 2);
      case 'H':
        return String(date.getUTCHours());
      case 'mm':
        return pad(date.getUTCMinutes(), 2);
      case 'ss':
        return pad(date.getUTCSeconds(), 2);
      case 'SSS':
        return pad(date.getUTCMilliseconds(), 3);
      default:
        return token.slice(1, -1);
    }
  });
}

export function formatDate(input: string | number, pattern?: string): string {
  const date = typeof input === 'number' ? new Date(input) : parseInstant(input);
  return formatInstant(date, pattern ?? 'yyyy-MM-dd');
}

/** Canonical datetime (ISO UTC with milliseconds) unless a pattern is given. */
export function formatDatetime(input: string | number, pattern?: string): string {
  const date = typeof input === 'number' ? new Date(input) : parseInstant(input);
  if (Number.isNaN(date.getTime()))
    throw new TransformError(`"${String(input)}" is not a datetime`);
  return pattern === undefined ? date.toISOString() : formatInstant(date, pattern);
}

function mapStrings(value: FieldValue, fn: (text: string) => string): FieldValue {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return [...new Set((value as readonly string[]).map(fn))].sort();
  return value;
}

/** Applies one formatting function; blanks pass through untouched. */
export function applyFormat(fn: FormatFunction, value: FieldValue, format?: string): FieldValue {
  if (value === null || value === '') return value;
  switch (fn) {
    case 'lowercase':
      return mapStrings(value, (text) => text.toLowerCase());
    case 'uppercase':
      return mapStrings(value, (text) => text.toUpperCase());
    case 'trim':
      return mapStrings(value, (text) => text.trim());
    case 'phone_e164':
      return mapStrings(value, (text) => toE164(text, format));
    case 'country_iso2':
      return mapStrings(value, toCountryIso2);
    case 'date':
      if (typeof value === 'string' || typeof value === 'number') return formatDate(value, format);
      throw new TransformError('date format needs a string or a timestamp');
    case 'datetime':
      if (typeof value === 'string' || typeof value === 'number')
        return formatDatetime(value, format);
      throw new TransformError('datetime format needs a string or a timestamp');
    default: {
      const unreachable: never = fn;
      return unreachable;
    }
  }
}
