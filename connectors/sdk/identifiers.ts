/**
 * Who an event or an audience member is about, prepared as the destination asks before it leaves
 * Syncline: normalised by the rule its connector declares (IdentifierNormalizer in contract.ts),
 * then, where the rule says so, sent as the lower-case hex SHA-256 of that form. An empty value,
 * or a phone number with no country to read it in, is left out, never hashed.
 *
 * The rules, as the vendors document them:
 * - Google (Google Ads API, "Enhanced conversions for web", normalise and hash; Campaign Manager
 *   360, "Enhanced conversions", hashing): trim, lower-case, phone numbers in E.164, and for
 *   gmail.com and googlemail.com addresses the dots before the domain removed.
 *   https://developers.google.com/google-ads/api/docs/conversions/enhance-conversions
 *   https://developers.google.com/doubleclick-advertisers/guides/conversions_ec#hashing
 * - Meta (Conversions API, "Customer information parameters"): email trimmed and lower-cased;
 *   phone as digits with the country code, no symbols; names lower-cased, no punctuation, UTF-8;
 *   zip lower-cased without spaces or dashes; country as the lower-case ISO 3166-1 alpha-2 code.
 *   https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters
 * - Phone numbers are read by libphonenumber-js (Google's libphonenumber metadata).
 */
import { createHash } from 'node:crypto';
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import type { IdentifierNormalizer, IdentifierRule, Identifiers } from './contract';

/** Lower-case hex SHA-256 of an already normalised value. */
export function sha256Hex(normalized: string): string {
  return createHash('sha256').update(normalized, 'utf8').digest('hex');
}

/** Email for matching and hashing: trimmed, lower case (what Google, Meta and LinkedIn ask for). */
export function normalizeEmail(value: string): string {
  return value.trim().toLowerCase();
}

/** Google's form: as normalizeEmail, without the dots before @gmail.com or @googlemail.com. */
export function normalizeGoogleEmail(value: string): string {
  const email = normalizeEmail(value);
  const at = email.lastIndexOf('@');
  if (at < 0) return email;
  const domain = email.slice(at + 1);
  if (domain !== 'gmail.com' && domain !== 'googlemail.com') return email;
  return `${email.slice(0, at).replaceAll('.', '')}@${domain}`;
}

function isCountryCode(value: string | undefined): value is CountryCode {
  return value !== undefined && /^[A-Z]{2}$/.test(value);
}

/**
 * A phone number in E.164 (`+14155550100`), read in `defaultCountry` when it is written without a
 * country code; '' when it cannot be read as a possible number (no country known, too short).
 */
export function normalizePhone(value: string, defaultCountry?: string): string {
  const country = defaultCountry?.trim().toUpperCase();
  const text = value.trim();
  if (text === '') return '';
  // "00" is the international prefix of most countries: 0044… is +44….
  const international = text.startsWith('00') ? `+${text.slice(2)}` : text;
  const parsed = parsePhoneNumberFromString(
    international,
    isCountryCode(country) ? country : undefined,
  );
  return parsed?.isPossible() === true ? parsed.number : '';
}

/** SHA-256 of a normalised email, the form ad platforms match on. */
export function hashEmail(value: string): string {
  return sha256Hex(normalizeEmail(value));
}

/** A value normalised by one of the rules a destination declares for its identifiers. */
export function normalizeIdentifier(
  rule: IdentifierNormalizer,
  value: string,
  options: { defaultCountry?: string } = {},
): string {
  switch (rule) {
    case 'email':
      return normalizeEmail(value);
    case 'email_google':
      return normalizeGoogleEmail(value);
    case 'phone':
      return normalizePhone(value, options.defaultCountry);
    case 'phone_digits':
      return normalizePhone(value, options.defaultCountry).replace(/^\+/, '');
    case 'name':
      return value.trim().toLowerCase();
    case 'name_letters':
      return value
        .trim()
        .toLowerCase()
        .replace(/[\p{P}\p{S}]/gu, '');
    case 'zip':
      return value
        .trim()
        .toLowerCase()
        .replace(/[\s-]+/g, '');
    case 'country': {
      const code = value.trim().toLowerCase();
      return /^[a-z]{2}$/.test(code) ? code : '';
    }
    case 'none':
      return value;
    default: {
      const unreachable: never = rule;
      return unreachable;
    }
  }
}

/**
 * The identifiers a destination accepts, each normalised and (where its rule says) hashed, so the
 * raw value never leaves Syncline; identifiers it does not accept, or empty once normalised, are
 * left out.
 */
export function prepareIdentifiers(
  rules: readonly IdentifierRule[],
  raw: Identifiers,
  options: { defaultCountry?: string } = {},
): Identifiers {
  const prepared: Identifiers = {};
  for (const rule of rules) {
    const value = raw[rule.type];
    if (value === undefined) continue;
    const normalized = normalizeIdentifier(rule.normalize, value, options);
    if (normalized === '') continue;
    prepared[rule.type] = rule.hash === 'sha256' ? sha256Hex(normalized) : normalized;
  }
  return prepared;
}

/** The setting of a destination that takes phone numbers: the country of those written without one. */
export const DEFAULT_COUNTRY_SETTING = {
  label: 'Default phone country',
  type: 'string',
  default: '',
  description:
    'ISO 3166-1 alpha-2 code (US, FR…) of phone numbers written without a country code; empty: such numbers are left out of events and audiences.',
} as const;

/** A destination's `defaultCountry` from that setting's value; nothing when it is empty. */
export function defaultCountryOf(value: string): { defaultCountry?: string } {
  const code = value.trim().toUpperCase();
  return code === '' ? {} : { defaultCountry: code };
}
