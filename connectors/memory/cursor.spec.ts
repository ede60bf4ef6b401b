import fc from 'fast-check';
import { FakeClock } from '../sdk/clock';
import type { Checkpoint, RecordConnector } from '../sdk/contract';
import { MemoryBackend } from './backend';
import { createMemoryConnector } from './connector';

type Step =
  | { kind: 'create' }
  | { kind: 'update'; pick: number }
  | { kind: 'remove'; pick: number }
  | { kind: 'tick'; ms: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.constant<Step>({ kind: 'create' }),
  fc.nat(1_000).map<Step>((pick) => ({ kind: 'update', pick })),
  fc.nat(1_000).map<Step>((pick) => ({ kind: 'remove', pick })),
  // Mostly no time passes, so many records share a stamp.
  fc.constantFrom(0, 0, 1, 5).map<Step>((ms) => ({ kind: 'tick', ms })),
);

/** Applies the steps; returns the ids of every record created. */
async function apply(
  backend: MemoryBackend,
  clock: FakeClock,
  steps: Step[],
): Promise<Set<string>> {
  const created = new Set<string>();
  for (const current of steps) {
    const ids = backend.all('contacts').map((record) => record.id);
    const picked =
      ids.length === 0 ? undefined : ids[('pick' in current ? current.pick : 0) % ids.length];
    switch (current.kind) {
      case 'create':
        created.add(backend.create('contacts', { n: ids.length }).id);
        break;
      case 'update':
        if (picked !== undefined) backend.update('contacts', picked, { touched: true });
        break;
      case 'remove':
        if (picked !== undefined) backend.remove('contacts', picked);
        break;
      case 'tick':
        await clock.advance(current.ms);
        break;
      default: {
        const unreachable: never = current;
        throw new Error(`unknown step ${JSON.stringify(unreachable)}`);
      }
    }
  }
  return created;
}

/** Reads `stopAfter` pages, then resumes from the JSON-stored checkpoint to the end. */
async function readInTwoRuns(
  connector: RecordConnector,
  pageSize: number,
  stopAfter: number,
): Promise<string[]> {
  const ids: string[] = [];
  let checkpoint: Checkpoint | undefined;
  let pages = 0;
  for await (const page of connector.read({ object: 'contacts', fields: [], pageSize })) {
    ids.push(...page.records.map((record) => record.id));
    checkpoint = JSON.parse(JSON.stringify(page.checkpoint)) as Checkpoint;
    if (++pages === stopAfter) break;
  }
  if (pages < stopAfter) return ids;
  for await (const page of connector.read({
    object: 'contacts',
    fields: [],
    pageSize,
    checkpoint,
  })) {
    ids.push(...page.records.map((record) => record.id));
  }
  return ids;
}

describe('memory cursor (property)', () => {
  it('a read interrupted anywhere and resumed returns every live record once, in (updatedAt, id) order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 80 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 5 }),
        async (steps, pageSize, stopAfter) => {
          const clock = new FakeClock({ autoAdvance: true });
          const backend = new MemoryBackend({ clock });
          await apply(backend, clock, steps);
          const connector = createMemoryConnector(backend, { maxPageSize: 7 });

          const ids = await readInTwoRuns(connector, pageSize, stopAfter);
          const expected = backend
            .all('contacts')
            .sort((a, b) =>
              a.updatedAt === b.updatedAt
                ? a.id < b.id
                  ? -1
                  : 1
                : a.updatedAt < b.updatedAt
                  ? -1
                  : 1,
            )
            .map((record) => record.id);
          expect(ids).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('readDeleted reports each deleted record once, and nothing that still exists', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 80 }),
        fc.integer({ min: 1, max: 4 }),
        async (steps, pageSize) => {
          const clock = new FakeClock({ autoAdvance: true });
          const backend = new MemoryBackend({ clock });
          const created = await apply(backend, clock, steps);
          const connector = createMemoryConnector(backend, { maxPageSize: pageSize });
          const deleted: string[] = [];
          for await (const page of connector.readDeleted?.({ object: 'contacts' }) ?? []) {
            deleted.push(...page.records.map((record) => record.id));
          }
          const live = new Set(backend.all('contacts').map((record) => record.id));
          expect(new Set(deleted).size).toBe(deleted.length);
          expect(deleted.filter((id) => live.has(id))).toEqual([]);
          expect([...deleted, ...live].sort()).toEqual([...created].sort());
        },
      ),
      { numRuns: 200 },
    );
  });
});
