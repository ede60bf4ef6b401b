/**
 * Audience syncs on the memory vendor: the audience follows the filtered set of source records
 * (entries, exits, deletes, lost identifiers), each change asked for once, identifiers hashed;
 * under random edits and faults the audience equals the desired set after a quiet run.
 */
import fc from 'fast-check';
import { MemoryBackend, createMemoryConnector, memoryConsent } from '../../connectors/memory';
import { FakeClock } from '../../connectors/sdk/clock';
import { sha256Hex } from '../../connectors/sdk/normalize';
import type { AnySyncDefinition } from './definition';
import { runOneWaySync } from './run-sync';
import {
  type DestinationFault,
  destinationFault,
  withDestinationFault,
} from './testing/destination-faults.test-kit';
import { MemorySyncStore } from './testing/memory-store';

const DEFINITION: AnySyncDefinition = {
  id: 'customers',
  kind: 'audience',
  left: {
    object: 'contacts',
    filter: {
      combine: 'all',
      conditions: [{ field: 'lifecyclestage', op: 'eq', value: 'customer' }],
    },
  },
  right: { object: 'customers' },
  identifiers: { email: 'email' },
  mappings: [],
  defaultPolicy: 'manual',
  tieBreaker: 'left',
  deletePolicy: 'ignore',
};

function setup(vendor: { replace?: boolean } = {}) {
  const clock = new FakeClock({ autoAdvance: true, start: '2026-11-01T12:00:00.000Z' });
  const source = new MemoryBackend({ clock, idPrefix: 'src-' });
  const target = new MemoryBackend({ clock, idPrefix: 'dst-' });
  target.createAudience('customers', { name: 'Customers' });
  const store = new MemorySyncStore();
  const options = { clock, random: () => 0.5, maxBatch: 3 };
  const run = (definition: AnySyncDefinition = DEFINITION, fullRefresh = false) =>
    runOneWaySync({
      definition,
      source: createMemoryConnector(source, options),
      destination: createMemoryConnector(target, {
        ...options,
        replaceMembers: vendor.replace === true,
      }),
      store,
      trigger: 'manual',
      clock,
      pageSize: 4,
      fullRefresh,
    });
  const members = (): string[] =>
    [...(target.audiences.get('customers')?.members.keys() ?? [])].sort();
  return { clock, source, target, store, run, members };
}

describe('audience sync', () => {
  it('adds the people who enter the set, removes those who leave it or are deleted', async () => {
    const { clock, source, target, store, run, members } = setup();
    source.seed('contacts', [
      { id: 'ann', fields: { email: ' Ann@Example.com', lifecyclestage: 'customer' } },
      { id: 'bob', fields: { email: 'bob@example.com', lifecyclestage: 'lead' } },
      { id: 'cy', fields: { email: 'cy@example.com', lifecyclestage: 'customer' } },
    ]);
    const first = await run();
    expect(first.status).toBe('succeeded');
    expect(first.counters).toMatchObject({ added: 2, removed: 0 });
    expect(members()).toEqual(['ann', 'cy']);
    expect(target.audiences.get('customers')?.members.get('ann')).toEqual({
      email: sha256Hex('ann@example.com'),
    });

    await clock.advance(60_000);
    source.update('contacts', 'bob', { lifecyclestage: 'customer' });
    source.update('contacts', 'cy', { lifecyclestage: 'lead' });
    source.remove('contacts', 'ann');
    const second = await run();
    expect(second.counters).toMatchObject({ added: 1, removed: 2 });
    expect(members()).toEqual(['bob']);

    // A quiet run changes nothing, and no one was added twice in a row.
    await clock.advance(60_000);
    const quiet = await run();
    expect(quiet.counters).toMatchObject({ added: 0, removed: 0 });
    const history = target.audiences.get('customers')?.history ?? [];
    expect(history).toEqual([
      { op: 'add', key: 'ann' },
      { op: 'add', key: 'cy' },
      { op: 'remove', key: 'ann' },
      { op: 'remove', key: 'cy' },
      { op: 'add', key: 'bob' },
    ]);
    expect(
      store.events.filter((line) => line.action === 'added').map((line) => line.leftId),
    ).toEqual(['ann', 'cy', 'bob']);
  });

  it('removes a person who loses every identifier, and re-adds one whose email changed with the new hash', async () => {
    const { clock, source, target, run, members } = setup();
    source.seed('contacts', [
      { id: 'ann', fields: { email: 'ann@example.com', lifecyclestage: 'customer' } },
      { id: 'bob', fields: { email: 'bob@example.com', lifecyclestage: 'customer' } },
    ]);
    await run();
    await clock.advance(60_000);
    source.update('contacts', 'ann', { email: '' });
    source.update('contacts', 'bob', { email: 'robert@example.com' });
    const result = await run();
    expect(members()).toEqual(['bob']);
    expect(target.audiences.get('customers')?.members.get('bob')).toEqual({
      email: sha256Hex('robert@example.com'),
    });
    expect(result.counters).toMatchObject({ removed: 2, added: 1 });
  });

  it('keeps out, and removes, a person who has not granted the consent the destination requires', async () => {
    const clock = new FakeClock({ autoAdvance: true, start: '2026-11-01T12:00:00.000Z' });
    const source = new MemoryBackend({ clock, idPrefix: 'src-' });
    const target = new MemoryBackend({ clock, idPrefix: 'dst-' });
    target.createAudience('customers');
    const store = new MemorySyncStore();
    const options = { clock, random: () => 0.5 };
    const run = () =>
      runOneWaySync({
        definition: { ...DEFINITION, consent: { ad_user_data: 'ok', ad_personalization: 'ok' } },
        source: createMemoryConnector(source, options),
        destination: createMemoryConnector(target, { ...options, consent: memoryConsent(true) }),
        store,
        trigger: 'manual',
        clock,
      });
    source.seed('contacts', [
      { id: 'ann', fields: { email: 'ann@x.io', lifecyclestage: 'customer', ok: true } },
      { id: 'bob', fields: { email: 'bob@x.io', lifecyclestage: 'customer', ok: null } },
    ]);
    expect((await run()).counters).toMatchObject({ added: 1, no_consent: 1 });
    expect([...(target.audiences.get('customers')?.members.keys() ?? [])]).toEqual(['ann']);
    await clock.advance(60_000);
    source.update('contacts', 'ann', { ok: false });
    // Ann leaves for want of consent; Bob, read again, is not logged twice.
    expect((await run()).counters).toMatchObject({ removed: 1, no_consent: 0 });
    expect(target.audiences.get('customers')?.members.size).toBe(0);
    expect(store.events.at(-1)).toMatchObject({
      action: 'removed',
      leftId: 'ann',
      message: 'audience customers: it requires ad_user_data and ad_personalization, not granted',
    });
    await clock.advance(60_000);
    source.update('contacts', 'bob', { ok: 'yes' });
    expect((await run()).counters).toMatchObject({ added: 1, no_consent: 0 });
  });

  it.each([
    ['a read-back of its members', false, { added: 1, removed: 2 }, 3],
    ['its replace', true, { added: 1, removed: 1 }, 1],
  ] as const)(
    'sets the audience to the source on a full refresh through %s: a filter changed unseen, a member lost and a stranger added at the vendor',
    async (_how, replace, counted, calls) => {
      const { clock, source, target, run, members } = setup({ replace });
      // Edited hours apart: an ordinary run's overlap window re-reads only the last.
      const hoursAgo = (n: number): string =>
        new Date(Date.parse('2026-11-01T12:00:00.000Z') - n * 3_600_000).toISOString();
      source.seed('contacts', [
        {
          id: 'ann',
          fields: { email: 'ann@x.io', lifecyclestage: 'customer', region: 'EU' },
          updatedAt: hoursAgo(3),
        },
        {
          id: 'bob',
          fields: { email: 'bob@x.io', lifecyclestage: 'customer', region: 'US' },
          updatedAt: hoursAgo(2),
        },
        {
          id: 'cy',
          fields: { email: 'cy@x.io', lifecyclestage: 'lead', region: 'EU' },
          updatedAt: hoursAgo(1),
        },
      ]);
      await run();
      expect(members()).toEqual(['ann', 'bob']);
      // Someone removes Ann in the vendor's UI and adds Zed there; the sync's filter narrows to the EU.
      target.audiences.get('customers')?.members.delete('ann');
      target.audiences.get('customers')?.members.set('zed', { email: sha256Hex('zed@x.io') });
      const euOnly: AnySyncDefinition = {
        ...DEFINITION,
        left: {
          object: 'contacts',
          filter: {
            combine: 'all',
            conditions: [
              { field: 'lifecyclestage', op: 'eq', value: 'customer' },
              { field: 'region', op: 'eq', value: 'EU' },
            ],
          },
        },
      };
      await clock.advance(24 * 60 * 60_000);
      // An ordinary run sees no change to read.
      expect((await run(euOnly)).counters).toMatchObject({ added: 0, removed: 0 });
      const before = target.calls.members;
      const refresh = await run(euOnly, true);
      expect(refresh.status).toBe('succeeded');
      // A replace leaves the stranger to the vendor: only the ledger's leavers are counted.
      expect(refresh.counters).toMatchObject({ read: 3, ...counted });
      expect(target.calls.members - before).toBe(calls);
      expect(members()).toEqual(['ann']);
      expect(
        target.audiences
          .get('customers')
          ?.history.slice(-3)
          .map((change) => `${change.op} ${change.key}`)
          .sort(),
      ).toEqual(['add ann', 'remove bob', 'remove zed']);
      // And the next ordinary run starts after the full read.
      await clock.advance(60_000);
      expect((await run(euOnly)).counters).toMatchObject({ added: 0, removed: 0 });
    },
  );

  it('fails the run with the reason when the audience is not writable', async () => {
    const { target, run } = setup();
    target.createAudience('customers', { writable: false, reason: 'a dynamic list' });
    const result = await run();
    expect(result.status).toBe('failed');
    expect(result.error).toContain('cannot be changed by Syncline: a dynamic list');
  });

  it('asks again, once its wait is over, for an add the vendor refused for now', async () => {
    const { clock, source, target, store, run, members } = setup();
    source.seed('contacts', [
      { id: 'ann', fields: { email: 'ann@example.com', lifecyclestage: 'customer' } },
    ]);
    const stop = target.faults.rejectItems((key) =>
      key === 'ann' ? { code: 'locked', message: 'list busy', retryable: true } : undefined,
    );
    const refused = await run();
    expect(refused).toMatchObject({ status: 'partial', counters: { failed: 1, added: 0 } });
    expect(store.events.at(-1)?.message).toContain('list busy (asked again from');
    // Later edits move the cursor on: Ann is no longer read, only her ledger row remembers her.
    await clock.advance(60 * 60_000);
    source.seed('contacts', [
      { id: 'zed', fields: { email: 'zed@example.com', lifecyclestage: 'customer' } },
    ]);
    await run();
    stop();
    expect(members()).toEqual(['zed']);
    await clock.advance(60 * 60_000);
    const again = await run();
    expect(again.counters).toMatchObject({ added: 1, failed: 0, read: 1 });
    expect(members()).toEqual(['ann', 'zed']);
  });

  it('asks again for a change whose answer was lost, without changing anything twice', async () => {
    const { source, target, store, run, members } = setup();
    source.seed('contacts', [
      { id: 'ann', fields: { email: 'ann@example.com', lifecyclestage: 'customer' } },
    ]);
    target.faults.failAfterNext('members', 100);
    expect((await run()).status).toBe('failed');
    target.faults.reset();
    expect(store.ledgerMembers(DEFINITION.id, 'customers').map((member) => member.state)).toEqual([
      'pending_add',
    ]);
    const again = await run();
    expect(again.status).toBe('succeeded');
    expect(members()).toEqual(['ann']);
    expect(target.audiences.get('customers')?.history).toEqual([{ op: 'add', key: 'ann' }]);
    expect(store.ledgerMembers(DEFINITION.id, 'customers').map((member) => member.state)).toEqual([
      'member',
    ]);
  });
});

type Step =
  | { kind: 'create'; stage: number; email: number }
  | { kind: 'update'; pick: number; stage: number; email: number }
  | { kind: 'delete'; pick: number }
  | { kind: 'filter'; stage: number }
  | { kind: 'run'; fault: DestinationFault };

const STAGES = ['lead', 'customer', 'evangelist'];
const EMAILS = ['', 'a@x.io', 'B@X.io ', 'c@x.io'];

const fault = destinationFault(12);

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('create' as const),
    stage: fc.nat({ max: 2 }),
    email: fc.nat({ max: 3 }),
  }),
  fc.record({
    kind: fc.constant('update' as const),
    pick: fc.nat({ max: 20 }),
    stage: fc.nat({ max: 2 }),
    email: fc.nat({ max: 3 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat({ max: 20 }) }),
  fc.record({ kind: fc.constant('filter' as const), stage: fc.nat({ max: 2 }) }),
  fc.record({ kind: fc.constant('run' as const), fault }),
);

describe('audience sync, property', () => {
  it('leaves the audience equal to the desired set after a quiet run, never adding twice in a row nor removing who should stay', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        const { clock, source, target, run, members } = setup();
        let created = 0;
        let wantedStage = 'customer';
        const definition = (): AnySyncDefinition => ({
          ...DEFINITION,
          left: {
            object: 'contacts',
            filter: {
              combine: 'all',
              conditions: [{ field: 'lifecyclestage', op: 'eq', value: wantedStage }],
            },
          },
        });
        const live = (): string[] => source.all('contacts').map((record) => record.id);
        const desired = (): string[] =>
          source
            .all('contacts')
            .filter(
              (record) =>
                record.fields['lifecyclestage'] === wantedStage &&
                String(record.fields['email'] ?? '').trim() !== '',
            )
            .map((record) => record.id)
            .sort();
        for (const current of steps) {
          await clock.advance(1_000);
          if (current.kind === 'create') {
            source.seed('contacts', [
              {
                id: `p${String(++created)}`,
                fields: {
                  email: EMAILS[current.email] ?? '',
                  lifecyclestage: STAGES[current.stage] ?? 'lead',
                },
              },
            ]);
          } else if (current.kind === 'update') {
            const ids = live();
            const id = ids.at(current.pick % Math.max(1, ids.length));
            if (id === undefined) continue;
            source.update('contacts', id, {
              email: EMAILS[current.email] ?? '',
              lifecyclestage: STAGES[current.stage] ?? 'lead',
            });
          } else if (current.kind === 'delete') {
            const ids = live();
            const id = ids.at(current.pick % Math.max(1, ids.length));
            if (id !== undefined) source.remove('contacts', id);
          } else if (current.kind === 'filter') {
            // A changed filter applies to records read from then on (see the README).
            wantedStage = STAGES[current.stage] ?? 'customer';
            for (const id of live()) source.update('contacts', id, {});
          } else {
            await withDestinationFault(target, 'members', current.fault, () => run(definition()));
          }
        }
        for (let quiet = 0; quiet < 4; quiet++) {
          await clock.advance(24 * 60 * 60 * 1000);
          await run(definition());
        }
        expect(members()).toEqual(desired());
        // No one added twice in a row, nor removed twice in a row.
        const last = new Map<string, string>();
        for (const change of target.audiences.get('customers')?.history ?? []) {
          expect(last.get(change.key)).not.toBe(change.op);
          last.set(change.key, change.op);
        }
        // A last quiet run asks for nothing.
        const before = target.calls.members;
        await clock.advance(60_000);
        await run(definition());
        expect(target.calls.members).toBe(before);
      }),
      { numRuns: 60 },
    );
  });
});
