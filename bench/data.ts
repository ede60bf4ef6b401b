/**
 * The bench's accounts: N contacts on the left, N leads on the right, half of them the same people
 * (matched by email), 10 mapped fields. Generated straight into the memory vendors in chunks, so
 * the bench holds no copy of its data beside the vendors'.
 */
import type { MemoryBackend, SeedRecord } from '../connectors/memory';
import type { Fields } from '../connectors/sdk/contract';
import type { FieldMapping, Side, SyncDefinition } from '../src/engine/definition';
import type { EditSlice } from './vendor-protocol';

const SEED_CHUNK = 10_000;
const STATUSES = ['Lead', 'Customer', 'Lost'] as const;
const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'JP'];

export const MAPPINGS: FieldMapping[] = [
  { left: 'email', right: 'email', direction: 'both' },
  { left: 'firstName', right: 'first_name', direction: 'both' },
  { left: 'lastName', right: 'last_name', direction: 'both' },
  { left: 'company', right: 'company', direction: 'both' },
  { left: 'title', right: 'job_title', direction: 'both' },
  { left: 'phone', right: 'phone', direction: 'both' },
  { left: 'city', right: 'city', direction: 'both' },
  { left: 'country', right: 'country', direction: 'both' },
  {
    left: 'status',
    right: 'lead_status',
    direction: 'both',
    transforms: {
      leftToRight: [{ kind: 'value_map', map: { Lead: 'NEW', Customer: 'WON', Lost: 'LOST' } }],
    },
  },
  { left: 'score', right: 'score', direction: 'both' },
];

export function benchDefinition(id: string): SyncDefinition {
  return {
    id,
    left: { object: 'contacts', writeMode: 'upsert' },
    right: { object: 'leads', writeMode: 'upsert' },
    direction: 'bidirectional',
    match: { left: 'email', right: 'email', normalizer: 'email' },
    mappings: MAPPINGS,
    defaultPolicy: 'latest_wins',
    tieBreaker: 'left',
    deletePolicy: 'ignore',
  };
}

const LEAD_STATUS: Record<(typeof STATUSES)[number], string> = {
  Lead: 'NEW',
  Customer: 'WON',
  Lost: 'LOST',
};

/** Email of record i of a side: the first half of each side are the same people. */
function emailOf(side: Side, i: number, records: number): string {
  return i < records / 2 ? `person${i}@example.com` : `${side}${i}@example.com`;
}

/** The same person's values on each side, in that side's field names and picklist values. */
function fieldsOf(side: Side, i: number, records: number): Fields {
  const status = STATUSES[i % STATUSES.length] ?? 'Lead';
  const common = {
    email: emailOf(side, i, records),
    company: `Company ${i % 5000}`,
    phone: `+1555${String(i).padStart(7, '0')}`,
    city: `City ${i % 300}`,
    country: COUNTRIES[i % COUNTRIES.length] ?? 'US',
    score: i % 100,
  };
  return side === 'left'
    ? { ...common, firstName: `First${i}`, lastName: `Last${i}`, title: `Title ${i % 97}`, status }
    : {
        ...common,
        first_name: `First${i}`,
        last_name: `Last${i}`,
        job_title: `Title ${i % 97}`,
        lead_status: LEAD_STATUS[status],
      };
}

export const OBJECTS: Record<Side, string> = { left: 'contacts', right: 'leads' };

/**
 * Seeds `records` records of a side in chunks, last modified one second apart up to `until` (as a
 * real account's history, so the overlap window re-reads minutes, not the account); returns the
 * ids of the records i ≡ offset (mod 100), the 1 % the incremental run edits.
 */
export function seedSide(
  backend: MemoryBackend,
  side: Side,
  records: number,
  until: Date,
  offset: number,
): string[] {
  const first = until.getTime() - records * 1000;
  const sample: string[] = [];
  for (let start = 0; start < records; start += SEED_CHUNK) {
    const chunk: SeedRecord[] = [];
    const end = Math.min(records, start + SEED_CHUNK);
    for (let i = start; i < end; i++)
      chunk.push({
        fields: fieldsOf(side, i, records),
        updatedAt: new Date(first + i * 1000).toISOString(),
      });
    const seeded = backend.seed(OBJECTS[side], chunk);
    for (let i = offset; i < seeded.length; i += 100) {
      sample.push(seeded[i].id);
    }
  }
  return sample;
}

/**
 * Edits of a side (made in the vendor's UI): a mapped field each side, of the ids `slice` picks
 * from the 1 % (all by default); answers how many were edited.
 */
export function editSide(
  backend: MemoryBackend,
  side: Side,
  ids: readonly string[],
  slice: EditSlice = {},
): number {
  const from = slice.from ?? 0;
  const picked = ids.slice(from, from + (slice.count ?? ids.length));
  const tag = slice.round === undefined ? '' : ` (${String(slice.round)})`;
  for (const id of picked) {
    if (side === 'left') backend.update(OBJECTS.left, id, { title: `Edited title ${id}${tag}` });
    else backend.update(OBJECTS.right, id, { city: `Edited city ${id}${tag}` });
  }
  return picked.length;
}

/** Seeds a side and builds the vendor's match-field index, which then counts as the vendor's memory. */
export function seedVendor(
  backend: MemoryBackend,
  side: Side,
  records: number,
  until: Date,
  offset: number,
): string[] {
  const edits = seedSide(backend, side, records, until, offset);
  backend.object(OBJECTS[side]).idsWhere('email', '');
  return edits;
}
