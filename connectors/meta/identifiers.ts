/**
 * Who an event or an audience member is, as Meta takes it ("Customer Information Parameters",
 * "Customer File Custom Audiences: Hashing and Normalizing Data"): every identifier normalised by
 * Meta's rules and hashed with SHA-256 before it leaves Syncline. Emails trimmed and lower-cased
 * (dots kept), phones as digits with their country code (no `+`), names lower-cased without
 * punctuation, postal codes lower-cased without spaces or dashes, countries as ISO 3166-1 alpha-2
 * in lower case. The same identifier is `em` in a server event's `user_data` and `EMAIL` in a
 * customer file row.
 */
import type { IdentifierRule, IdentifierType, Identifiers } from '../sdk/contract';

const CAPI =
  'https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters';
const FILE = 'https://developers.facebook.com/docs/marketing-api/audiences/guides/custom-audiences';

const rule = (type: IdentifierType, normalize: IdentifierRule['normalize']): IdentifierRule => ({
  type,
  normalize,
  hash: 'sha256',
  source: `${CAPI}; ${FILE}`,
});

export const META_IDENTIFIERS: readonly IdentifierRule[] = [
  rule('email', 'email'),
  rule('phone', 'phone_digits'),
  rule('first_name', 'name_letters'),
  rule('last_name', 'name_letters'),
  rule('zip', 'zip'),
  rule('country', 'country'),
];

/** The identifier's name in a server event's `user_data`, and as a customer file key. */
export const META_KEYS: Record<
  Exclude<IdentifierType, 'vendor_id'>,
  { event: string; file: string }
> = {
  email: { event: 'em', file: 'EMAIL' },
  phone: { event: 'ph', file: 'PHONE' },
  first_name: { event: 'fn', file: 'FN' },
  last_name: { event: 'ln', file: 'LN' },
  zip: { event: 'zp', file: 'ZIP' },
  country: { event: 'country', file: 'COUNTRY' },
};

export type MetaIdentifier = keyof typeof META_KEYS;

/** The prepared identifiers Meta takes, in a fixed order. */
export function metaIdentifiers(identifiers: Identifiers): [MetaIdentifier, string][] {
  return (Object.keys(META_KEYS) as MetaIdentifier[])
    .map((type): [MetaIdentifier, string | undefined] => [type, identifiers[type]])
    .filter(
      (entry): entry is [MetaIdentifier, string] => entry[1] !== undefined && entry[1] !== '',
    );
}
