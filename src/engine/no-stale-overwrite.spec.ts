/**
 * Property: people edit linked records between runs, each field of each person on one side only
 * (its owner), so the last edit is the only right answer whatever the field's policy. Runs meet
 * faults that leave Syncline's own writes unrecorded: a write the vendor applied whose answer is
 * an error, calls that fail after earlier batches of the page went through, and a worker killed
 * between the vendor's answers and the page's commit. After fault-free runs, every field on both
 * sides must hold the last edit, and no conflict may be open: a write of Syncline's own is never
 * taken for a person's edit, under any policy.
 */
import fc from 'fast-check';
import type { Fields } from '../../connectors/sdk/contract';
import type { MemoryBackend } from '../../connectors/memory';
import type { ConflictPolicy, SyncDefinition } from './definition';
import type { PageCommit } from './ports';
import { type EngineHarness, createEngineHarness } from './testing/harness.test-kit';
import { MemorySyncStore } from './testing/memory-store';
import { CONFLICT_POLICIES } from './merge';

type Side = 'left' | 'right';
const FIELDS = ['name', 'company', 'phone'] as const;
type Field = (typeof FIELDS)[number];
const NAMES: Record<Side, Record<Field, string>> = {
  left: { name: 'firstName', company: 'company', phone: 'phone' },
  right: { name: 'first_name', company: 'company', phone: 'phone' },
};
const OBJECT: Record<Side, string> = { left: 'contacts', right: 'leads' };
const POLICIES = CONFLICT_POLICIES;

function definitionFor(policy: ConflictPolicy): SyncDefinition {
  return {
    id: `stale-${policy}`,
    left: { object: OBJECT.left, writeMode: 'upsert' },
    right: { object: OBJECT.right, writeMode: 'upsert' },
    direction: 'bidirectional',
    match: { left: 'email', right: 'email', normalizer: 'email' },
    mappings: [
      { left: 'email', right: 'email', direction: 'both' },
      ...FIELDS.map((field) => ({
        left: NAMES.left[field],
        right: NAMES.right[field],
        direction: 'both' as const,
        policy,
        // No edit here opts anyone out: unsubscribe_wins then decides as latest_wins does.
        ...(policy === 'unsubscribe_wins'
          ? { optOut: { left: ['opted out'], right: ['opted out'] } }
          : {}),
      })),
    ],
    defaultPolicy: policy === 'unsubscribe_wins' ? 'latest_wins' : policy,
    tieBreaker: 'left',
    deletePolicy: 'ignore',
  };
}

/** A store whose page commit dies (as the worker would) after a number of commits. */
class KillableStore extends MemorySyncStore {
  private commitsBeforeKill: number | undefined;

  killAfter(commits: number): void {
    this.commitsBeforeKill = commits;
  }

  revive(): void {
    this.commitsBeforeKill = undefined;
  }

  override commitPage(commit: PageCommit): Promise<void> {
    if (this.commitsBeforeKill !== undefined) {
      if (this.commitsBeforeKill === 0) {
        this.commitsBeforeKill = undefined;
        return Promise.reject(new Error('the worker was killed before the page committed'));
      }
      this.commitsBeforeKill--;
    }
    return super.commitPage(commit);
  }
}

type Fault =
  | { kind: 'none' }
  /** The vendor applies the next writes, and the answers are errors. */
  | { kind: 'applied_then_error'; side: Side; count: number }
  /** Write calls fail before the vendor acts, after `after` calls (earlier batches) went through. */
  | { kind: 'calls'; side: Side; count: number; after: number }
  /** The worker dies after this many page commits. */
  | { kind: 'kill'; afterCommits: number };

interface Edit {
  person: number;
  field: Field;
}
interface Phase {
  edits: Edit[];
  runs: Fault[];
}

const side = fc.constantFrom<Side>('left', 'right');
const PEOPLE = 5;
const fault: fc.Arbitrary<Fault> = fc.oneof(
  fc.constant<Fault>({ kind: 'none' }),
  fc.record({
    kind: fc.constant('applied_then_error' as const),
    side,
    count: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({
    kind: fc.constant('calls' as const),
    side,
    count: fc.integer({ min: 1, max: 3 }),
    after: fc.integer({ min: 0, max: 2 }),
  }),
  fc.record({ kind: fc.constant('kill' as const), afterCommits: fc.integer({ min: 0, max: 2 }) }),
);
const edit: fc.Arbitrary<Edit> = fc.record({
  person: fc.nat({ max: PEOPLE - 1 }),
  field: fc.constantFrom(...FIELDS),
});
const phase: fc.Arbitrary<Phase> = fc.record({
  edits: fc.array(edit, { minLength: 1, maxLength: 6 }),
  runs: fc.array(fault, { minLength: 1, maxLength: 2 }),
});
/** Which side people edit each field of each person on. */
const owners = fc.array(fc.array(side, { minLength: 3, maxLength: 3 }), {
  minLength: PEOPLE,
  maxLength: PEOPLE,
});

function backendOf(h: EngineHarness, of: Side): MemoryBackend {
  return of === 'left' ? h.left : h.right;
}

function emailOf(person: number): string {
  return `person${person}@example.com`;
}

function recordOf(h: EngineHarness, of: Side, person: number): { id: string; fields: Fields } {
  const found = backendOf(h, of)
    .all(OBJECT[of])
    .find((record) => record.fields.email === emailOf(person));
  if (found === undefined) throw new Error(`${emailOf(person)} is missing on the ${of} side`);
  return found;
}

function inject(h: EngineHarness, store: KillableStore, injected: Fault): void {
  switch (injected.kind) {
    case 'none':
      return;
    case 'applied_then_error':
      backendOf(h, injected.side).faults.failAfterNextWrite(injected.count);
      return;
    case 'calls':
      backendOf(h, injected.side).faults.failNextCalls('server_error', injected.count, {
        operation: 'write',
        after: injected.after,
      });
      return;
    case 'kill':
      store.killAfter(injected.afterCommits);
      return;
  }
}

async function runQuietly(h: EngineHarness, definition: SyncDefinition): Promise<void> {
  for (let round = 1; round <= 8; round++) {
    await h.clock.advance(7 * 60 * 60 * 1000);
    const before = h.writes();
    const result = await h.run(definition);
    if (result.status !== 'succeeded')
      throw new Error(`quiet run ${result.status}: ${String(result.error)}`);
    if (h.writes() === before) return;
  }
  throw new Error('no quiet run after 8 fault-free runs');
}

async function scenario(policy: ConflictPolicy, sides: Side[][], phases: Phase[]): Promise<void> {
  const store = new KillableStore();
  const h = createEngineHarness({ pageSize: 2, maxBatch: 1, store });
  const definition = definitionFor(policy);
  const oracle = new Map<string, string>();
  for (let person = 0; person < PEOPLE; person++) {
    for (const of of ['left', 'right'] as const) {
      const fields: Fields = { email: emailOf(person) };
      for (const field of FIELDS) fields[NAMES[of][field]] = `${field}-${person}-0`;
      backendOf(h, of).create(OBJECT[of], fields);
    }
    for (const field of FIELDS) oracle.set(`${person}|${field}`, `${field}-${person}-0`);
  }
  const first = await h.run(definition);
  expect(first.status).toBe('succeeded');

  let edits = 0;
  for (const current of phases) {
    await h.clock.advance(60_000);
    for (const { person, field } of current.edits) {
      const owner = sides[person]?.[FIELDS.indexOf(field)] ?? 'left';
      const value = `${field}-${person}-${++edits}`;
      backendOf(h, owner).update(OBJECT[owner], recordOf(h, owner, person).id, {
        [NAMES[owner][field]]: value,
      });
      oracle.set(`${person}|${field}`, value);
      await h.clock.advance(1000);
    }
    for (const injected of current.runs) {
      inject(h, store, injected);
      try {
        await h.run(definition);
      } catch {
        // A killed worker: the run never finished, the next one goes on from the store.
      }
      store.revive();
      h.left.faults.reset();
      h.right.faults.reset();
      await h.clock.advance(1000);
    }
  }
  await runQuietly(h, definition);

  for (let person = 0; person < PEOPLE; person++) {
    for (const of of ['left', 'right'] as const) {
      const fields = recordOf(h, of, person).fields;
      const actual = Object.fromEntries(FIELDS.map((field) => [field, fields[NAMES[of][field]]]));
      const expected = Object.fromEntries(
        FIELDS.map((field) => [field, oracle.get(`${person}|${field}`)]),
      );
      expect({ person, side: of, ...actual }).toEqual({ person, side: of, ...expected });
    }
  }
  expect(h.left.all(OBJECT.left)).toHaveLength(PEOPLE);
  expect(h.right.all(OBJECT.right)).toHaveLength(PEOPLE);
  expect(store.openConflicts(definition.id)).toEqual([]);
}

describe('a newer edit is never overwritten by a write of Syncline that was not recorded', () => {
  it.each(POLICIES)('under %s', async (policy) => {
    await fc.assert(
      fc.asyncProperty(owners, fc.array(phase, { minLength: 2, maxLength: 5 }), (sides, phases) =>
        scenario(policy, sides, phases),
      ),
      { numRuns: 60 },
    );
  });

  it('holds in the reported case: a later batch fails, then the owner edits again (right_wins)', async () => {
    // Phones are edited on the left only; the right's first batch goes through, its second fails.
    const h = createEngineHarness({ pageSize: 2, maxBatch: 1 });
    const definition = definitionFor('right_wins');
    const people = ['ann@example.com', 'bob@example.com'].map((email) => {
      const left = h.left.create(OBJECT.left, { email, phone: '+1 555 4962' });
      h.right.create(OBJECT.right, { email, phone: '+1 555 4962' });
      return left.id;
    });
    expect((await h.run(definition)).status).toBe('succeeded');
    await h.clock.advance(60_000);
    for (const id of people) h.left.update(OBJECT.left, id, { phone: '+1 555 8895' });
    h.right.faults.failNextCalls('server_error', 1, { operation: 'write', after: 1 });
    await h.run(definition);
    h.right.faults.reset();
    // One of the two went through before the failure.
    expect(
      h.right
        .all(OBJECT.right)
        .map((record) => record.fields.phone)
        .sort(),
    ).toEqual(['+1 555 4962', '+1 555 8895']);
    await h.clock.advance(60_000);
    for (const id of people) h.left.update(OBJECT.left, id, { phone: '+1 555 7888' });
    await runQuietly(h, definition);
    for (const of of ['left', 'right'] as const)
      expect(
        backendOf(h, of)
          .all(OBJECT[of])
          .map((record) => record.fields.phone),
      ).toEqual(['+1 555 7888', '+1 555 7888']);
  });
});
