import type { SyncDefinition } from '../../src/engine';

/** A one-way sync of memory `contacts` into Salesforce `Contact`s, matched by email. */
export function contactsIntoSalesforce(
  id: string,
  fields: Array<[left: string, right: string]>,
): SyncDefinition {
  return {
    id,
    left: { object: 'contacts', writeMode: 'create' },
    right: { object: 'Contact', writeMode: 'create' },
    direction: 'left_to_right',
    match: { left: 'email', right: 'Email', normalizer: 'email' },
    mappings: [['email', 'Email'] as const, ...fields].map(([left, right]) => ({
      left,
      right,
      direction: 'left_to_right' as const,
    })),
    defaultPolicy: 'left_wins',
    tieBreaker: 'left',
    deletePolicy: 'ignore',
  };
}

/**
 * A two-way sync of HubSpot `contacts` with Salesforce `Contact`s, matched by email, upserting on
 * both sides; `mappings` come after the email one, each both ways.
 */
export function contactsBothWays(
  id: string,
  mappings: SyncDefinition['mappings'],
  overrides: Partial<SyncDefinition> = {},
): SyncDefinition {
  return {
    id,
    left: { object: 'contacts', writeMode: 'upsert' },
    right: { object: 'Contact', writeMode: 'upsert' },
    direction: 'bidirectional',
    match: { left: 'email', right: 'Email', normalizer: 'email' },
    mappings: [{ left: 'email', right: 'Email', direction: 'both' }, ...mappings],
    defaultPolicy: 'latest_wins',
    tieBreaker: 'left',
    deletePolicy: 'ignore',
    ...overrides,
  };
}
