/**
 * Audience syncs whose source is a list (`left.audience`): the list's members, read whole each
 * run, are the set; whoever leaves the list leaves the destination's audience, a quiet run asks
 * for nothing, the filter still applies, and a read that fails part-way removes no one.
 */
import { MemoryBackend, createMemoryConnector } from '../../connectors/memory';
import { FakeClock } from '../../connectors/sdk/clock';
import type { AnySyncDefinition } from './definition';
import { previewOneWay } from './preview-one-way';
import { runOneWaySync } from './run-sync';
import { validateSyncDefinition } from './validate';
import { MemorySyncStore } from './testing/memory-store';

const DEFINITION: AnySyncDefinition = {
  id: 'vip-to-customers',
  kind: 'audience',
  left: { object: 'contacts', audience: 'vip' },
  right: { object: 'customers' },
  identifiers: { email: 'email' },
  mappings: [],
  defaultPolicy: 'manual',
  tieBreaker: 'left',
  deletePolicy: 'ignore',
};

function setup() {
  const clock = new FakeClock({ autoAdvance: true, start: '2026-11-01T12:00:00.000Z' });
  const source = new MemoryBackend({ clock, idPrefix: 'src-' });
  const target = new MemoryBackend({ clock, idPrefix: 'dst-' });
  source.seed('contacts', [
    { id: 'ann', fields: { email: 'ann@example.com', lifecyclestage: 'customer' } },
    { id: 'bob', fields: { email: 'bob@example.com', lifecyclestage: 'customer' } },
    { id: 'cy', fields: { email: 'cy@example.com', lifecyclestage: 'lead' } },
    { id: 'dee', fields: { email: 'dee@example.com', lifecyclestage: 'customer' } },
  ]);
  const list = source.createAudience('vip', { name: 'VIP', writable: false, reason: 'dynamic' });
  target.createAudience('customers', { name: 'Customers' });
  const store = new MemorySyncStore();
  const options = { clock, random: () => 0.5, maxBatch: 3 };
  const sourceConnector = createMemoryConnector(source, options);
  const destination = createMemoryConnector(target, options);
  const run = (definition: AnySyncDefinition = DEFINITION, fullRefresh = false) =>
    runOneWaySync({
      definition,
      source: sourceConnector,
      destination,
      store,
      trigger: 'manual',
      clock,
      pageSize: 2,
      fullRefresh,
    });
  const inList = (...keys: string[]): void => {
    list.members.clear();
    for (const key of keys) list.members.set(key, {});
  };
  const members = (): string[] =>
    [...(target.audiences.get('customers')?.members.keys() ?? [])].sort();
  const history = () => target.audiences.get('customers')?.history ?? [];
  return { source, target, store, run, inList, members, history, sourceConnector, destination };
}

describe('audience sync from a list', () => {
  it('keeps the audience equal to the list through adds and removals, asking only for changes', async () => {
    const { run, inList, members, history } = setup();
    inList('ann', 'bob', 'cy');
    const first = await run();
    expect(first.status).toBe('succeeded');
    expect(first.counters).toMatchObject({ read: 3, added: 3, removed: 0 });
    expect(members()).toEqual(['ann', 'bob', 'cy']);

    // Bob and Cy leave the list, Dee joins it: no change report says so, the whole read does.
    inList('ann', 'dee');
    const second = await run();
    expect(second.counters).toMatchObject({ read: 2, added: 1, removed: 2 });
    expect(members()).toEqual(['ann', 'dee']);

    const quiet = await run();
    expect(quiet.counters).toMatchObject({ read: 2, added: 0, removed: 0 });
    expect(history()).toEqual([
      { op: 'add', key: 'ann' },
      { op: 'add', key: 'bob' },
      { op: 'add', key: 'cy' },
      // Adds as the read finds them; removals once it has found everyone.
      { op: 'add', key: 'dee' },
      { op: 'remove', key: 'bob' },
      { op: 'remove', key: 'cy' },
    ]);
  });

  it('applies the filter to the list and removes a member whose record no longer passes', async () => {
    const { source, run, inList, members } = setup();
    inList('ann', 'bob', 'cy');
    const filtered: AnySyncDefinition = {
      ...DEFINITION,
      left: {
        ...DEFINITION.left,
        filter: {
          combine: 'all',
          conditions: [{ field: 'lifecyclestage', op: 'eq', value: 'customer' }],
        },
      },
    };
    await run(filtered);
    expect(members()).toEqual(['ann', 'bob']);
    source.update('contacts', 'bob', { lifecyclestage: 'lead' });
    await run(filtered);
    expect(members()).toEqual(['ann']);
  });

  it('removes no one when the list cannot be read to its end, and catches up on the next run', async () => {
    const { source, run, inList, members, history } = setup();
    inList('ann', 'bob', 'cy', 'dee');
    await run();
    expect(members()).toEqual(['ann', 'bob', 'cy', 'dee']);
    inList('ann', 'bob', 'cy');
    // The second page of the list fails past every retry.
    source.faults.failNextCalls('server_error', 20, { operation: 'audiences', after: 1 });
    const failed = await run();
    expect(failed.status).toBe('failed');
    expect(members()).toEqual(['ann', 'bob', 'cy', 'dee']);
    source.faults.reset();
    const next = await run();
    expect(next.status).toBe('succeeded');
    expect(members()).toEqual(['ann', 'bob', 'cy']);
    expect(history().filter((change) => change.op === 'remove')).toEqual([
      { op: 'remove', key: 'dee' },
    ]);
  });

  it('previews the changes the list asks for', async () => {
    const { store, inList, sourceConnector, destination, run } = setup();
    inList('ann', 'bob');
    await run();
    inList('ann', 'bob', 'dee');
    const preview = await previewOneWay({
      definition: DEFINITION,
      source: sourceConnector,
      destination,
      store,
    });
    expect(preview.problems).toEqual([]);
    expect(preview.read).toBe(3);
    expect(preview.adds.map((member) => member.key)).toEqual(['dee']);
  });

  it('refuses a list on the wrong side or of a kind that keeps no audience', () => {
    const problems = (definition: AnySyncDefinition) =>
      validateSyncDefinition(definition).map((problem) => problem.path);
    expect(problems({ ...DEFINITION, right: { object: 'customers', audience: 'vip' } })).toEqual([
      'right.audience',
    ]);
    expect(
      problems({
        ...DEFINITION,
        kind: 'events',
        events: { key: 'signup-{id}' },
      }),
    ).toEqual(['left.audience']);
  });
});
