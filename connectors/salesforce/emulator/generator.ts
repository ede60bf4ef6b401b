/** A seedable generator of plausible records, so tests and benchmarks get the same data for a seed. */

/** mulberry32: a tiny, well-distributed 32-bit PRNG. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

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
