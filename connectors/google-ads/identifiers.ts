/**
 * Who a conversion or a Customer Match member is, as Google takes it ("Enhanced conversions for
 * leads: normalize and hash", "Customer Match: normalize and hash"): emails trimmed, lower-cased,
 * without the dots before the @ of gmail.com and googlemail.com addresses, and phone numbers in
 * E.164 with their `+`, each sent as the hex SHA-256 of that form; the Google click id (gclid) as
 * given, never hashed.
 */
import type { IdentifierRule, Identifiers } from '../sdk/contract';

const CONVERSIONS =
  'https://developers.google.com/google-ads/api/docs/conversions/upload-identifiers';
const CUSTOMER_MATCH =
  'https://developers.google.com/google-ads/api/docs/remarketing/audience-segments/customer-match/get-started';

const hashed = (type: 'email' | 'phone', source: string): IdentifierRule => ({
  type,
  normalize: type === 'email' ? 'email_google' : 'phone',
  hash: 'sha256',
  source,
});

/**
 * The click id (`vendor_id`, sent as a conversion's `gclid`; Customer Match does not take it), the
 * email, the phone.
 */
export const GOOGLE_ADS_IDENTIFIERS: readonly IdentifierRule[] = [
  {
    type: 'vendor_id',
    normalize: 'none',
    hash: 'none',
    source: 'https://developers.google.com/google-ads/api/docs/conversions/upload-clicks',
  },
  hashed('email', `${CONVERSIONS}; ${CUSTOMER_MATCH}`),
  hashed('phone', `${CONVERSIONS}; ${CUSTOMER_MATCH}`),
];

/** A conversion's or member's `userIdentifiers`: one entry per hashed identifier. */
export function userIdentifiers(identifiers: Identifiers): Record<string, string>[] {
  return [
    ...(identifiers.email === undefined || identifiers.email === ''
      ? []
      : [{ hashedEmail: identifiers.email }]),
    ...(identifiers.phone === undefined || identifiers.phone === ''
      ? []
      : [{ hashedPhoneNumber: identifiers.phone }]),
  ];
}
