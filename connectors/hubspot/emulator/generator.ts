/** A seedable generator of plausible records, so tests and benchmarks are deterministic. */
import type { ObjectType } from './properties';

import { seededRandom } from '../../sdk/testing/emulator-kit';

const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Edsger',
  'Barbara',
  'Donald',
  'Frances',
  'Ken',
  'Radia',
  'Tim',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Allen',
  'Thompson',
  'Perlman',
  'Lee',
];
const STAGES = ['subscriber', 'lead', 'marketingqualifiedlead', 'customer'];
const DEAL_STAGES = ['appointmentscheduled', 'qualifiedtobuy', 'closedwon', 'closedlost'];

export class RecordGenerator {
  private readonly random: () => number;
  private counter = 0;

  constructor(seed = 1) {
    this.random = seededRandom(seed);
  }

  private pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.random() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** Properties (wire strings) of one new record; emails and domains are unique per generator. */
  next(type: ObjectType): Record<string, string> {
    const n = ++this.counter;
    switch (type) {
      case 'contacts': {
        const first = this.pick(FIRST);
        const last = this.pick(LAST);
        return {
          email: `${first}.${last}.${n}@example.com`.toLowerCase(),
          firstname: first,
          lastname: last,
          lifecyclestage: this.pick(STAGES),
          phone: `+1555${String(Math.floor(this.random() * 10_000_000)).padStart(7, '0')}`,
        };
      }
      case 'companies':
        return { name: `${this.pick(LAST)} Labs ${n}`, domain: `company-${n}.example.com` };
      case 'deals':
        return {
          dealname: `Deal ${n}`,
          amount: String(Math.floor(this.random() * 100_000)),
          pipeline: 'default',
          dealstage: this.pick(DEAL_STAGES),
        };
      default: {
        const unreachable: never = type;
        return unreachable;
      }
    }
  }
}
