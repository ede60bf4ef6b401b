import type { SyncDefinition } from '../../src/engine';

const BY_EMAIL: SyncDefinition['match'] = { left: 'email', right: 'Email', normalizer: 'email' };

/**
 * A one-way sync of memory `contacts` into `right` (Salesforce `Contact`s created by default),
 * matched by `match` (email by default), each of `fields` mapped left to right.
 */
export function contactsInto(
  id: string,
  fields: Array<[left: string, right: string]>,
  options: { right?: SyncDefinition['right']; match?: SyncDefinition['match'] } = {},
): SyncDefinition {
  return {
    id,
    left: { object: 'contacts', writeMode: 'create' },
    right: options.right ?? { object: 'Contact', writeMode: 'create' },
    direction: 'left_to_right',
    match: options.match ?? BY_EMAIL,
    mappings: fields.map(([left, right]) => ({
      left,
      right,
      direction: 'left_to_right' as const,
    })),
    defaultPolicy: 'left_wins',
    tieBreaker: 'left',
    deletePolicy: 'ignore',
  };
}

/** A one-way sync of memory `contacts` into Salesforce `Contact`s, matched by email. */
export function contactsIntoSalesforce(
  id: string,
  fields: Array<[left: string, right: string]>,
): SyncDefinition {
  return contactsInto(id, [['email', 'Email'], ...fields]);
}

/**
 * A two-way sync of memory or HubSpot `contacts` with Salesforce `Contact`s (or the `right` of
 * `overrides`), matched by email, upserting on both sides; the match fields are mapped both ways,
 * then `mappings`.
 */
export function contactsBothWays(
  id: string,
  mappings: SyncDefinition['mappings'],
  overrides: Partial<SyncDefinition> = {},
): SyncDefinition {
  const match = overrides.match ?? BY_EMAIL;
  return {
    id,
    left: { object: 'contacts', writeMode: 'upsert' },
    right: { object: 'Contact', writeMode: 'upsert' },
    direction: 'bidirectional',
    mappings: [{ left: match.left, right: match.right, direction: 'both' }, ...mappings],
    defaultPolicy: 'latest_wins',
    tieBreaker: 'left',
    deletePolicy: 'ignore',
    ...overrides,
    match,
  };
}
