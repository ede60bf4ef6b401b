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
