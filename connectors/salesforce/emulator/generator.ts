/** A seedable generator of plausible records, so tests and benchmarks get the same data for a seed. */

import { seededRandom } from '../../sdk/testing/emulator-kit';

const FIRST = ['Ann', 'Bob', 'Chen', 'Dana', 'Eli', 'Fatima', 'Goran', 'Hana', 'Ivo', 'Jun'];
const LAST = ['Smith', 'Garcia', 'Okafor', 'Novak', 'Tanaka', 'Larsen', 'Silva', 'Kumar'];
const STAGES = ['Subscriber', 'Lead', 'MQL', 'SQL', 'Customer'];
const INTERESTS = ['Analytics', 'Automation', 'CRM', 'Ads'];

/** Contact field values for record `index`; emails are unique per index. */
export function generateContacts(count: number, seed = 1, offset = 0): Record<string, unknown>[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  return Array.from({ length: count }, (_, i) => {
    const first = pick(FIRST);
    const last = pick(LAST);
    const interests = INTERESTS.filter(() => random() < 0.3);
    return {
      FirstName: first,
      LastName: last,
      Email: `${first}.${last}.${offset + i}@example.com`.toLowerCase(),
      Lifecycle_Stage__c: pick(STAGES),
      Interests__c: interests.length === 0 ? null : interests.join(';'),
      Score__c: Math.round(random() * 1000) / 10,
    };
  });
}
