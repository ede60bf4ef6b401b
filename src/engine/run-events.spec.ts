/**
 * Events syncs on the memory vendor: each record that passes the filter becomes one event, sent
 * once whatever re-reads, retries, lost answers and replays happen; events too old for the
 * destination are logged and never poison their batch; identifiers leave hashed.
 */
import fc from 'fast-check';
import { MemoryBackend, createMemoryConnector, memoryConsent } from '../../connectors/memory';
import { FakeClock } from '../../connectors/sdk/clock';
import { sha256Hex } from '../../connectors/sdk/normalize';
import type { AnySyncDefinition } from './definition';
import { eventKey } from './run-events';
import { runOneWaySync } from './run-sync';
import {
  type DestinationFault,
  destinationFault,
  withDestinationFault,
} from './testing/destination-faults.test-kit';
import { MemorySyncStore } from './testing/memory-store';

const DEFINITION: AnySyncDefinition = {
  id: 'won-deals',
  kind: 'events',
  left: {
    object: 'opportunities',
    filter: { combine: 'all', conditions: [{ field: 'stage', op: 'eq', value: 'Closed Won' }] },
  },
  right: { object: 'purchase' },
  identifiers: { email: 'email', phone: 'phone' },
  events: { key: 'opportunity-{id}-{stage}', occurredAt: 'closedAt' },
  mappings: [{ left: 'amount', right: 'value', direction: 'left_to_right' }],
  defaultPolicy: 'manual',
  tieBreaker: 'left',
  deletePolicy: 'ignore',
};

function setup(options: { maxEventAgeMs?: number; start?: string; consent?: boolean } = {}) {
  const clock = new FakeClock({
    autoAdvance: true,
    start: options.start ?? '2026-11-01T12:00:00.000Z',
  });
  const source = new MemoryBackend({ clock, idPrefix: 'src-' });
  const target = new MemoryBackend({ clock, idPrefix: 'dst-' });
  const store = new MemorySyncStore();
  const connectorOptions = { clock, random: () => 0.5, maxBatch: 3 };
  const run = (definition: AnySyncDefinition = DEFINITION) =>
    runOneWaySync({
      definition,
      source: createMemoryConnector(source, connectorOptions),
      destination: createMemoryConnector(target, {
        ...connectorOptions,
        ...(options.maxEventAgeMs === undefined ? {} : { maxEventAgeMs: options.maxEventAgeMs }),
        ...(options.consent === undefined ? {} : { consent: memoryConsent(options.consent) }),
      }),
      store,
      trigger: 'manual',
      clock,
      pageSize: 4,
    });
  return { clock, source, target, store, run };
}

function deal(id: string, stage: string, extra: Record<string, string | number> = {}) {
  return {
    id,
    fields: {
      stage,
      email: ` ${id.toUpperCase()}@Example.com `,
      phone: '+1 (415) 555-0100',
      amount: 1000,
      closedAt: '2026-10-30T09:00:00.000Z',
      ...extra,
    },
  };
}

describe('events sync', () => {
  it('sends each Closed Won opportunity once, hashed, and never again on a re-read', async () => {
    const { source, target, store, run } = setup();
    source.seed('opportunities', [
      deal('o1', 'Closed Won'),
      deal('o2', 'Prospecting'),
      deal('o3', 'Closed Won', { amount: 250 }),
    ]);
    const first = await run();
    expect(first.status).toBe('succeeded');
    expect(first.counters).toMatchObject({ read: 3, sent: 2, failed: 0 });
    const held = target.eventsOf('purchase');
    expect([...held.keys()].sort()).toEqual([
      'opportunity-o1-Closed Won',
      'opportunity-o3-Closed Won',
    ]);
    const o3 = held.get('opportunity-o3-Closed Won');
    expect(o3).toMatchObject({
      occurredAt: '2026-10-30T09:00:00.000Z',
      fields: { value: 250 },
      identifiers: { email: sha256Hex('o3@example.com'), phone: sha256Hex('+14155550100') },
    });
    // The raw value never reaches the destination nor the ledger.
    expect(JSON.stringify([...held.values()])).not.toContain('Example.com');
    expect(JSON.stringify(store.ledgerEvents(DEFINITION.id))).not.toContain('xample');

    // A record edited without changing its key is read again (with the overlap window's others):
    // nothing is sent twice.
    source.update('opportunities', 'o1', { amount: 1200 });
    const second = await run();
    expect(second.counters.read).toBeGreaterThan(0);
    expect(second.counters).toMatchObject({ sent: 0, duplicates: 0 });
    expect(held.size).toBe(2);
    expect(store.events.filter((line) => line.action === 'sent')).toHaveLength(2);
  });

  it('answers a lost answer by asking again in the run: the vendor says duplicate', async () => {
    const { source, target, store, run } = setup();
    source.seed('opportunities', [deal('o1', 'Closed Won')]);
    target.faults.failAfterNext('append');
    const result = await run();
    expect(result.counters).toMatchObject({ sent: 0, duplicates: 1 });
    expect(target.eventsOf('purchase').size).toBe(1);
    expect(store.ledgerEvents(DEFINITION.id).map((event) => event.status)).toEqual(['duplicate']);
  });

  it('sends again under the same key an event whose answer was lost, and the vendor dedupes it', async () => {
    const { source, target, store, run } = setup();
    source.seed('opportunities', [deal('o1', 'Closed Won'), deal('o2', 'Closed Won')]);
    // Every answer of the run is lost (retries too), as when its worker dies after the send.
    target.faults.failAfterNext('append', 100);
    const lost = await run();
    target.faults.reset();
    expect(lost.status).toBe('failed');
    expect(target.eventsOf('purchase').size).toBe(2);
    expect(store.ledgerEvents(DEFINITION.id).map((event) => event.status)).toEqual([
      'pending',
      'pending',
    ]);
    const again = await run();
    expect(again.status).toBe('succeeded');
    expect(again.counters).toMatchObject({ duplicates: 2, sent: 0 });
    expect(target.eventsOf('purchase').size).toBe(2);
    expect(store.ledgerEvents(DEFINITION.id).map((event) => [event.status, event.payload])).toEqual(
      [
        ['duplicate', null],
        ['duplicate', null],
      ],
    );
  });

  it('logs an event older than the destination accepts as too_old, and sends the rest of its batch', async () => {
    const { source, target, store, run } = setup({ maxEventAgeMs: 7 * 86_400_000 });
    source.seed('opportunities', [
      deal('old', 'Closed Won', { closedAt: '2026-10-01T00:00:00.000Z' }),
      deal('new', 'Closed Won'),
    ]);
    const result = await run();
    expect(result.counters).toMatchObject({ sent: 1, too_old: 1, failed: 0 });
    expect([...target.eventsOf('purchase').keys()]).toEqual(['opportunity-new-Closed Won']);
    const line = store.events.find((event) => event.action === 'too_old');
    expect(line).toMatchObject({ leftId: 'old', rightId: 'opportunity-old-Closed Won' });
    expect(line?.message).toContain('older than the 7 days');
  });

  it('retries an event the vendor refused for now, and gives up on one it refused for good', async () => {
    const { clock, source, target, store, run } = setup();
    source.seed('opportunities', [deal('later', 'Closed Won'), deal('never', 'Closed Won')]);
    let busy = true;
    target.faults.rejectItems((key) => {
      if (key.includes('never'))
        return { code: 'invalid_value', message: 'bad conversion', retryable: false };
      return busy && key.includes('later')
        ? { code: 'locked', message: 'try later', retryable: true }
        : undefined;
    });
    const first = await run();
    expect(first.status).toBe('partial');
    expect(first.counters).toMatchObject({ sent: 0, failed: 2 });
    busy = false;
    await clock.advance(2 * 60_000);
    const second = await run();
    expect(second.counters).toMatchObject({ sent: 1, failed: 0 });
    expect(
      store
        .ledgerEvents(DEFINITION.id)
        .map((event) => [event.key, event.status])
        .sort(),
    ).toEqual([
      ['opportunity-later-Closed Won', 'sent'],
      ['opportunity-never-Closed Won', 'dead'],
    ]);
  });

  it('sends consent signals with each event, and not an event whose required consent is missing', async () => {
    const { source, target, store, run } = setup({ consent: true });
    source.seed('opportunities', [
      deal('yes', 'Closed Won', { adsOk: 'Granted', dataOk: 'true' }),
      deal('no', 'Closed Won', { adsOk: 'granted', dataOk: 'no' }),
      deal('blank', 'Closed Won', { adsOk: 'yes' }),
    ]);
    const result = await run({
      ...DEFINITION,
      consent: { ad_user_data: 'dataOk', ad_personalization: 'adsOk' },
    });
    expect(result.counters).toMatchObject({ sent: 1, no_consent: 2, failed: 0 });
    expect(
      [...target.eventsOf('purchase').values()].map((event) => [event.key, event.consent]),
    ).toEqual([
      ['opportunity-yes-Closed Won', { ad_user_data: 'granted', ad_personalization: 'granted' }],
    ]);
    const refused = store.events.filter((line) => line.action === 'no_consent');
    expect(refused.map((line) => line.leftId).sort()).toEqual(['blank', 'no']);
    expect(refused[0]?.message).toContain('requires ad_user_data, not granted');
    // Settled for good: read again, they are not sent.
    expect((await run()).counters).toMatchObject({ sent: 0, no_consent: 0 });
  });

  it('fails, without sending, a record whose key or identifiers are missing', async () => {
    const { source, target, store, run } = setup();
    source.seed('opportunities', [
      {
        id: 'nobody',
        fields: { stage: 'Closed Won', email: '', phone: null, amount: 1, closedAt: '2026-10-30' },
      },
    ]);
    const result = await run();
    expect(result.counters).toMatchObject({ failed: 1, sent: 0 });
    expect(target.eventsOf('purchase').size).toBe(0);
    expect(store.events[0]?.message).toContain('no identifier the destination takes');
  });

  it('sends only events that happened since the backfill date', async () => {
    const { source, target, run } = setup();
    source.seed('opportunities', [
      deal('before', 'Closed Won', { closedAt: '2026-09-01T00:00:00.000Z' }),
      deal('after', 'Closed Won', { closedAt: '2026-10-15T00:00:00.000Z' }),
    ]);
    const result = await run({
      ...DEFINITION,
      events: {
        key: 'opportunity-{id}-{stage}',
        occurredAt: 'closedAt',
        since: '2026-10-01T00:00:00.000Z',
      },
    });
    expect(result.counters).toMatchObject({ sent: 1, skipped: 1 });
    expect([...target.eventsOf('purchase').keys()]).toEqual(['opportunity-after-Closed Won']);
  });

  it('makes keys from {field} and {{ field }} placeholders, and none when a value is missing', () => {
    const record = { id: 'r1', updatedAt: '', fields: { stage: 'Won', n: 3 } };
    expect(eventKey('x-{id}-{stage}-{{ n }}', record)).toBe('x-r1-Won-3');
    expect(eventKey('x-{missing}', record)).toEqual({ missing: 'missing' });
  });
});

type Step =
  | { kind: 'create'; stage: number }
  | { kind: 'update'; pick: number; stage: number }
  | { kind: 'delete'; pick: number }
  | { kind: 'run'; fault: DestinationFault };

const STAGES = ['Prospecting', 'Closed Won', 'Closed Lost'];

const fault = destinationFault(2);

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), stage: fc.nat({ max: 2 }) }),
  fc.record({
    kind: fc.constant('update' as const),
    pick: fc.nat({ max: 20 }),
    stage: fc.nat({ max: 2 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat({ max: 20 }) }),
  fc.record({ kind: fc.constant('run' as const), fault }),
);

describe('events sync, property', () => {
  it('acknowledges every event exactly once in the ledger, and the destination holds it once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        const { clock, source, target, store, run } = setup();
        let created = 0;
        // Every (record, stage) that was ever Closed Won is an event that may arrive.
        const possible = new Set<string>();
        const live = (): string[] => source.all('opportunities').map((record) => record.id);
        const note = (id: string, stage: string): void => {
          if (stage === 'Closed Won') possible.add(`opportunity-${id}-${stage}`);
        };
        for (const current of steps) {
          if (current.kind === 'create') {
            const id = `o${String(++created)}`;
            const stage = STAGES[current.stage] ?? 'Prospecting';
            source.seed('opportunities', [deal(id, stage)]);
            note(id, stage);
          } else if (current.kind === 'update') {
            const ids = live();
            const id = ids.at(current.pick % Math.max(1, ids.length));
            if (id === undefined) continue;
            const stage = STAGES[current.stage] ?? 'Prospecting';
            source.update('opportunities', id, { stage });
            note(id, stage);
          } else if (current.kind === 'delete') {
            const ids = live();
            const id = ids.at(current.pick % Math.max(1, ids.length));
            if (id !== undefined) source.remove('opportunities', id);
          } else {
            await withDestinationFault(target, 'append', current.fault, () => run());
          }
        }
        // Quiet runs, time moving on past every retry's wait.
        for (let quiet = 0; quiet < 4; quiet++) {
          await clock.advance(24 * 60 * 60 * 1000);
          await run();
        }
        const ledger = store.ledgerEvents(DEFINITION.id);
        const held = [...target.eventsOf('purchase').keys()].sort();
        // Every opportunity Closed Won now has arrived; nothing arrived that never happened.
        for (const record of source.all('opportunities'))
          if (record.fields['stage'] === 'Closed Won')
            expect(held).toContain(`opportunity-${record.id}-Closed Won`);
        for (const key of held) expect(possible).toContain(key);
        // The ledger acknowledges exactly what the destination holds, each once.
        expect(ledger.map((event) => event.key).sort()).toEqual(held);
        for (const event of ledger) expect(['sent', 'duplicate']).toContain(event.status);
        const acknowledged = store.events
          .filter((line) => line.action === 'sent' || line.action === 'duplicate')
          .map((line) => line.rightId)
          .sort();
        expect(acknowledged).toEqual(held);
      }),
      { numRuns: 60 },
    );
  });
});
