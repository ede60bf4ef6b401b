/**
 * Who a conversion or a segment user is, as LinkedIn takes it ("Conversions API", "DMP Segment
 * Users"): the email as `SHA256_EMAIL`, the SHA-256 of the trimmed, lower-cased address; the
 * LinkedIn first-party ads tracking id (`li_fat_id`) as given; and first name, last name and
 * country in clear, as LinkedIn's `userInfo` takes them (it hashes nothing there).
 */
import type { IdentifierRule, Identifiers } from '../sdk/contract';

const SOURCE =
  'https://learn.microsoft.com/en-us/linkedin/marketing/integrations/ads-reporting/conversions-api';

export const LINKEDIN_IDENTIFIERS: readonly IdentifierRule[] = [
  { type: 'email', normalize: 'email', hash: 'sha256', source: SOURCE },
  { type: 'vendor_id', normalize: 'none', hash: 'none', source: SOURCE },
  { type: 'first_name', normalize: 'name', hash: 'none', source: SOURCE },
  { type: 'last_name', normalize: 'name', hash: 'none', source: SOURCE },
  { type: 'country', normalize: 'country', hash: 'none', source: SOURCE },
];

/** The user's ids, as LinkedIn's `userIds`. */
export function userIdsOf(identifiers: Identifiers): { idType: string; idValue: string }[] {
  return [
    ...(identifiers.email === undefined
      ? []
      : [{ idType: 'SHA256_EMAIL', idValue: identifiers.email }]),
    ...(identifiers.vendor_id === undefined
      ? []
      : [{ idType: 'LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID', idValue: identifiers.vendor_id }]),
  ];
}

/** The user's names and country, as LinkedIn names them. */
export function userInfoOf(
  identifiers: Identifiers,
): Partial<Record<'firstName' | 'lastName' | 'countryCode', string>> {
  return {
    ...(identifiers.first_name === undefined ? {} : { firstName: identifiers.first_name }),
    ...(identifiers.last_name === undefined ? {} : { lastName: identifiers.last_name }),
    ...(identifiers.country === undefined
      ? {}
      : { countryCode: identifiers.country.toUpperCase() }),
  };
}
