/**
 * Formatting functions of field transforms: case, trim, E.164 phones, ISO country codes, dates.
 * Each maps a canonical value to a canonical value; a value it cannot format raises TransformError,
 * which fails that record (never the run).
 */
import type { FieldValue } from '../../connectors/sdk/contract';
import type { FormatFunction } from './definition';

export class TransformError extends Error {
  override readonly name = 'TransformError';
}

export { FORMAT_FUNCTIONS } from '../sync-definition/schema';

/** Country calling codes for the default region of phone numbers written without one. */
const CALLING_CODES: Record<string, string> = {
  US: '1',
  CA: '1',
  GB: '44',
  IE: '353',
  FR: '33',
  DE: '49',
  ES: '34',
  IT: '39',
  NL: '31',
  BE: '32',
  CH: '41',
  AT: '43',
  SE: '46',
  NO: '47',
  DK: '45',
  FI: '358',
  PL: '48',
  PT: '351',
  AU: '61',
  NZ: '64',
  JP: '81',
  CN: '86',
  IN: '91',
  SG: '65',
  BR: '55',
  MX: '52',
  ZA: '27',
  IL: '972',
  AE: '971',
};

export function isKnownRegion(region: string): boolean {
  return Object.prototype.hasOwnProperty.call(CALLING_CODES, region.toUpperCase());
}

/** E.164 (`+` and 8 to 15 digits). `region` (ISO 3166 alpha-2) is used for national numbers. */
export function toE164(input: string, region?: string): string {
  const trimmed = input.trim();
  const extension = /\s*(?:ext\.?|x|#)\s*\d+$/i;
  const main = trimmed.replace(extension, '');
  let digits = main.replace(/\D/g, '');
  let international = main.startsWith('+');
  if (!international && digits.startsWith('00')) {
    digits = digits.slice(2);
    international = true;
  }
  if (!international) {
    const code =
      region === undefined
        ? undefined
        : (CALLING_CODES[region.toUpperCase()] as string | undefined);
    if (code === undefined)
      throw new TransformError(`phone "${input}" has no country code and no default region`);
    // North American numbers keep their leading 1 as the country code; elsewhere drop the trunk 0.
    if (code === '1' && digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
    else if (digits.startsWith('0')) digits = digits.slice(1);
    digits = code + digits;
  }
  if (digits.length < 8 || digits.length > 15)
    throw new TransformError(`phone "${input}" is not a valid number`);
  return `+${digits}`;
}

const ALPHA3: Record<string, string> = {
  USA: 'US',
  CAN: 'CA',
  GBR: 'GB',
  IRL: 'IE',
  FRA: 'FR',
  DEU: 'DE',
  ESP: 'ES',
  ITA: 'IT',
  NLD: 'NL',
  BEL: 'BE',
  CHE: 'CH',
  AUT: 'AT',
  SWE: 'SE',
  NOR: 'NO',
  DNK: 'DK',
  FIN: 'FI',
  POL: 'PL',
  PRT: 'PT',
  AUS: 'AU',
  NZL: 'NZ',
  JPN: 'JP',
  CHN: 'CN',
  IND: 'IN',
  SGP: 'SG',
  BRA: 'BR',
  MEX: 'MX',
  ZAF: 'ZA',
  ISR: 'IL',
  ARE: 'AE',
  KOR: 'KR',
  ARG: 'AR',
  CHL: 'CL',
  COL: 'CO',
  LUX: 'LU',
  CZE: 'CZ',
  GRC: 'GR',
  HUN: 'HU',
  ROU: 'RO',
  TUR: 'TR',
  UKR: 'UA',
  RUS: 'RU',
  HKG: 'HK',
  TWN: 'TW',
  PHL: 'PH',
  IDN: 'ID',
  MYS: 'MY',
  THA: 'TH',
  VNM: 'VN',
  EGY: 'EG',
  NGA: 'NG',
  KEN: 'KE',
  SAU: 'SA',
};

const ALIASES: Record<string, string> = {
  'united states of america': 'US',
  usa: 'US',
  'u.s.': 'US',
  'u.s.a.': 'US',
  america: 'US',
  uk: 'GB',
  'great britain': 'GB',
  britain: 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  deutschland: 'DE',
  'south korea': 'KR',
  'korea, republic of': 'KR',
  russia: 'RU',
  holland: 'NL',
  'the netherlands': 'NL',
  uae: 'AE',
  españa: 'ES',
  'czech republic': 'CZ',
};

let countryNames: Map<string, string> | undefined;
const codes = new Set<string>();

/** English names of every region ICU knows, built once. */
function namesToCodes(): Map<string, string> {
  if (countryNames !== undefined) return countryNames;
  const names = new Map<string, string>();
  const display = new Intl.DisplayNames(['en'], { type: 'region' });
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  for (const first of letters) {
    for (const second of letters) {
      const code = first + second;
      const name = display.of(code);
      if (name === undefined || name === code || name === 'Unknown Region') continue;
      // Deprecated codes (DD, FX, UK) canonicalise to the current one, which owns the name.
      if (new Intl.Locale(`und-${code}`).region !== code) continue;
      names.set(name.toLowerCase(), code);
      codes.add(code);
    }
  }
  countryNames = names;
  return names;
}

/** ISO 3166-1 alpha-2 from a code (alpha-2 or common alpha-3) or an English name. */
export function toCountryIso2(input: string): string {
  const text = input.trim();
  const upper = text.toUpperCase();
  const lower = text.toLowerCase();
  const names = namesToCodes();
  if (/^[A-Z]{2}$/.test(upper) && codes.has(upper)) return upper;
  const fromAlpha3 = ALPHA3[upper] as string | undefined;
  if (fromAlpha3 !== undefined) return fromAlpha3;
  const fromAlias = ALIASES[lower] as string | undefined;
  if (fromAlias !== undefined) return fromAlias;
  const fromName = names.get(lower);
  if (fromName !== undefined) return fromName;
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
