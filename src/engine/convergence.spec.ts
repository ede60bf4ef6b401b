/**
 * Property: random edits on both sides (creates, updates, deletes), sync runs in between, random
 * faults (429, 5xx, per-record rejections, a crash between a batch write and its commit); then
 * fault-free runs until quiet. Both sides must agree on every mapped field as the policies say,
 * no record may exist twice, unchanged records are never written, and a converged sync writes
 * nothing more (no echo).
 */
import fc from 'fast-check';
import type { Fields } from '../../connectors/sdk/contract';
import type { MemoryBackend } from '../../connectors/memory';
import type { SyncDefinition } from './definition';
import { type EngineHarness, createEngineHarness } from './testing/harness.test-kit';

const STATUS_TO_RIGHT: Record<string, string> = { Lead: 'NEW', Customer: 'WON', Lost: 'LOST' };
const KEYS = ['a@x.io', 'b@x.io', 'c@x.io', 'd@x.io'];
const NAMES = ['Ann', 'Bob', 'Cy', null];
const COMPANIES = ['Acme', 'Beta', null];
const STATUSES = ['Lead', 'Customer', 'Lost'];

const definition: SyncDefinition = {
  id: 'prop',
  left: { object: 'contacts', writeMode: 'upsert' },
  right: { object: 'leads', writeMode: 'upsert' },
  direction: 'bidirectional',
  match: { left: 'email', right: 'email', normalizer: 'email' },
  mappings: [
    { left: 'email', right: 'email', direction: 'both' },
    { left: 'firstName', right: 'first_name', direction: 'both', policy: 'left_wins' },
    { left: 'company', right: 'company', direction: 'both', policy: 'right_wins' },
    {
      left: 'status',
      right: 'lead_status',
      direction: 'both',
      policy: 'latest_wins',
      transforms: { leftToRight: [{ kind: 'value_map', map: STATUS_TO_RIGHT }] },
    },
  ],
  defaultPolicy: 'latest_wins',
  tieBreaker: 'left',
  deletePolicy: 'propagate',
};

type Side = 'left' | 'right';
type Field = 'name' | 'company' | 'status';

const FIELD_NAMES: Record<Side, Record<Field, string>> = {
  left: { name: 'firstName', company: 'company', status: 'status' },
  right: { name: 'first_name', company: 'company', status: 'lead_status' },
};

function valueFor(side: Side, field: Field, pick: number): string | null {
  switch (field) {
    case 'name':
      return NAMES[pick % NAMES.length] ?? null;
    case 'company':
      return COMPANIES[pick % COMPANIES.length] ?? null;
    case 'status': {
      const status = STATUSES[pick % STATUSES.length] ?? 'Lead';
      return side === 'left' ? status : (STATUS_TO_RIGHT[status] ?? null);
    }
  }
}

type Step =
  | { kind: 'create'; side: Side; key: number; name: number; company: number; status: number }
  | { kind: 'update'; side: Side; pick: number; field: Field; value: number }
  | { kind: 'delete'; side: Side; pick: number }
  | { kind: 'run'; fault: Fault };

type Fault =
  | { kind: 'none' }
  | { kind: 'calls'; side: Side; error: 'rate_limited' | 'server_error'; count: number }
  | { kind: 'reject'; side: Side; count: number }
  | { kind: 'crash'; side: Side };

const side = fc.constantFrom<Side>('left', 'right');
const small = fc.nat({ max: 11 });
const fault: fc.Arbitrary<Fault> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<Fault>({ kind: 'none' }) },
  fc.record({
    kind: fc.constant('calls' as const),
    side,
    error: fc.constantFrom('rate_limited' as const, 'server_error' as const),
    count: fc.integer({ min: 1, max: 7 }),
  }),
  fc.record({ kind: fc.constant('reject' as const), side, count: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('crash' as const), side }),
);
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      side,
      key: fc.nat({ max: KEYS.length - 1 }),
      name: small,
      company: small,
      status: small,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('update' as const),
      side,
      pick: small,
      field: fc.constantFrom<Field>('name', 'company', 'status'),
      value: small,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), side, pick: small }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('run' as const), fault }) },
);
const finalEdit = fc.record({
  side,
  pick: small,
  field: fc.constantFrom<Field>('name', 'company', 'status'),
  value: small,
});

function backendOf(h: EngineHarness, s: Side): MemoryBackend {
  return s === 'left' ? h.left : h.right;
}
function objectOf(s: Side): string {
  return s === 'left' ? 'contacts' : 'leads';
}

function applyEdit(h: EngineHarness, edit: Exclude<Step, { kind: 'run' }>): void {
  const backend = backendOf(h, edit.side);
  const object = objectOf(edit.side);
  const records = backend.all(object);
  switch (edit.kind) {
    case 'create': {
      const email = KEYS[edit.key] ?? 'a@x.io';
      // A person does not create the same contact twice on one side; the engine must not either.
      if (records.some((record) => record.fields.email === email)) return;
      const names = FIELD_NAMES[edit.side];
      backend.create(object, {
        email,
        [names.name]: valueFor(edit.side, 'name', edit.name),
        [names.company]: valueFor(edit.side, 'company', edit.company),
        [names.status]: valueFor(edit.side, 'status', edit.status),
      });
      return;
    }
    case 'update': {
      const record = records[edit.pick % Math.max(1, records.length)] as
        (typeof records)[number] | undefined;
      if (record === undefined) return;
      backend.update(object, record.id, {
        [FIELD_NAMES[edit.side][edit.field]]: valueFor(edit.side, edit.field, edit.value),
      });
      return;
    }
    case 'delete': {
      const record = records[edit.pick % Math.max(1, records.length)] as
        (typeof records)[number] | undefined;
      if (record !== undefined) backend.remove(object, record.id);
      return;
    }
  }
}

function injectFault(h: EngineHarness, injected: Fault): void {
  switch (injected.kind) {
    case 'none':
      return;
    case 'calls':
      backendOf(h, injected.side).faults.failNextCalls(injected.error, injected.count);
      return;
    case 'reject': {
      let left = injected.count;
      backendOf(h, injected.side).faults.rejectRecords(() =>
        left-- > 0 ? { code: 'invalid_value', message: 'rejected', retryable: false } : undefined,
      );
      return;
    }
    case 'crash':
      backendOf(h, injected.side).faults.failAfterNextWrite();
      return;
  }
}

/** Runs fault-free (past every backoff) until a run writes nothing; returns how many it took. */
async function runUntilQuiet(h: EngineHarness): Promise<number> {
  for (let round = 1; round <= 8; round++) {
    await h.clock.advance(7 * 60 * 60 * 1000);
    const before = h.writes();
    const result = await h.run(definition);
    if (result.status !== 'succeeded' && result.status !== 'partial')
      throw new Error(`run ${result.status}: ${String(result.error)}`);
    if (h.writes() === before && result.status === 'succeeded') return round;
  }
  throw new Error('no quiet run after 8 fault-free runs');
}

function assertConverged(h: EngineHarness): void {
  const left = h.left.all('contacts');
  const right = h.right.all('leads');
  const leftEmails = left.map((record) => String(record.fields.email));
  const rightEmails = right.map((record) => String(record.fields.email));
  // No record exists twice on either side (by match key), and every record has its counterpart.
  expect(new Set(leftEmails).size).toBe(leftEmails.length);
  expect(new Set(rightEmails).size).toBe(rightEmails.length);
  expect([...leftEmails].sort()).toEqual([...rightEmails].sort());
  for (const record of left) {
    const other = right.find((candidate) => candidate.fields.email === record.fields.email) as {
      fields: Fields;
    };
    expect({
      name: other.fields.first_name ?? null,
      company: other.fields.company ?? null,
      status: other.fields.lead_status ?? null,
    }).toEqual({
      name: record.fields.firstName ?? null,
      company: record.fields.company ?? null,
      status: STATUS_TO_RIGHT[String(record.fields.status)] ?? null,
    });
  }
  const links = h.store.links('prop');
  expect(links).toHaveLength(left.length);
}

describe('convergence of two-way sync under random edits and faults', () => {
  it('converges, never duplicates, never writes unchanged records, never echoes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 8 }),
        fc.array(finalEdit, { maxLength: 4 }),
        async (steps, edits) => {
          const h = createEngineHarness({ pageSize: 2, maxBatch: 2 });
          for (const current of steps) {
            await h.clock.advance(1000);
            if (current.kind === 'run') {
              injectFault(h, current.fault);
              await h.run(definition);
              h.left.faults.reset();
              h.right.faults.reset();
            } else applyEdit(h, current);
          }
          await runUntilQuiet(h);
          assertConverged(h);

          // Final round on a converged pair set: the policies decide, and only edited pairs are written.
          const expected = new Map<string, { left?: string | null; right?: string | null }>();
          const touched = new Set<string>();
          const original = new Map<string, string | number | boolean | readonly string[] | null>();
          for (const editSide of ['left', 'right'] as const) {
            await h.clock.advance(1000);
            for (const edit of edits.filter((candidate) => candidate.side === editSide)) {
              const records = backendOf(h, editSide).all(objectOf(editSide));
              const record = records[edit.pick % Math.max(1, records.length)] as
                (typeof records)[number] | undefined;
              if (record === undefined) continue;
              const value = valueFor(editSide, edit.field, edit.value);
              const email = String(record.fields.email);
              const key = `${email}|${edit.field}`;
              const baseKey = `${editSide}|${key}`;
              const base = original.has(baseKey)
                ? original.get(baseKey)
                : (record.fields[FIELD_NAMES[editSide][edit.field]] ?? null);
              original.set(baseKey, base ?? null);
              backendOf(h, editSide).update(objectOf(editSide), record.id, {
                [FIELD_NAMES[editSide][edit.field]]: value,
              });
              touched.add(email);
              // Only a value that differs from the converged one is a change (A → B → A is none).
              const next = { ...expected.get(key) };
              next[editSide] = value === base ? undefined : value;
              expected.set(key, next);
            }
          }
          const eventsBefore = h.store.events.length;
          await h.clock.advance(1000);
          const result = await h.run(definition);
          expect(result.status).toBe('succeeded');
          for (const event of h.store.events.slice(eventsBefore)) {
            if (event.action !== 'updated' && event.action !== 'created') continue;
            const id = event.side === 'left' ? event.leftId : event.rightId;
            const record = backendOf(h, event.side).getRecord(objectOf(event.side), String(id));
            expect(touched.has(String(record?.fields.email))).toBe(true);
          }
          expect(await runUntilQuiet(h)).toBe(1);
          assertConverged(h);
          for (const [key, values] of expected) {
            const [email, field] = key.split('|') as [string, Field];
            const record = h.left
              .all('contacts')
              .find((candidate) => candidate.fields.email === email);
            const actual = record?.fields[FIELD_NAMES.left[field]] ?? null;
            const toLeft = (value: string | null | undefined): string | null | undefined =>
              field === 'status' && value !== undefined && value !== null
                ? Object.keys(STATUS_TO_RIGHT).find((status) => STATUS_TO_RIGHT[status] === value)
                : value;
            if (values.left === undefined && values.right === undefined) continue;
            let winner: string | null | undefined;
            if (values.left !== undefined && values.right !== undefined) {
              // firstName: left_wins; company: right_wins; status: latest_wins (right edited later).
              winner = field === 'name' ? values.left : toLeft(values.right);
            } else winner = values.left !== undefined ? values.left : toLeft(values.right);
            expect(actual).toEqual(winner ?? null);
          }
        },
      ),
      { numRuns: 1000 },
    );
  }, 120_000);
});
