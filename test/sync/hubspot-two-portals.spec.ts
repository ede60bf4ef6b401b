/**
 * End to end: a bidirectional contacts sync between two emulated HubSpot portals through the
 * engine (runSync with the in-memory sync store), asserting what both portals hold.
 */
import type { SyncDefinition } from '../../src/engine';
import { runSync } from '../../src/engine';
import { MemorySyncStore } from '../../src/engine/testing/memory-store';
import { FakeClock } from '../../connectors/sdk/clock';
import type { HubSpotConnector } from '../../connectors/hubspot/connector';
import type { HubSpotEmulator } from '../../connectors/hubspot/emulator';
import { connectToEmulator } from '../../connectors/hubspot/harness';

const definition: SyncDefinition = {
  id: 'portal-a-to-portal-b',
  left: { object: 'contacts', writeMode: 'upsert' },
  right: { object: 'contacts', writeMode: 'upsert' },
  direction: 'bidirectional',
  match: { left: 'email', right: 'email', normalizer: 'email' },
  mappings: [
    { left: 'email', right: 'email', direction: 'both' },
    { left: 'firstname', right: 'firstname', direction: 'both' },
    { left: 'lastname', right: 'lastname', direction: 'both' },
    { left: 'lifecyclestage', right: 'lifecyclestage', direction: 'both' },
    { left: 'interests', right: 'interests', direction: 'both' },
  ],
  defaultPolicy: 'latest_wins',
  tieBreaker: 'left',
  deletePolicy: 'ignore',
};

/** A portal's contacts by email, as their stored (wire) properties. */
function portal(emulator: HubSpotEmulator): Record<string, Record<string, string | undefined>> {
  const result: Record<string, Record<string, string | undefined>> = {};
  for (const record of emulator.store.all('contacts')) {
    const values: Record<string, string | undefined> = record.properties;
    const { firstname, lastname, lifecyclestage, interests } = values;
    result[values['email'] ?? record.id] = { firstname, lastname, lifecyclestage, interests };
  }
  return result;
}

describe('bidirectional contacts sync between two HubSpot portals', () => {
  const clock = new FakeClock({ autoAdvance: true });
  let a: { emulator: HubSpotEmulator; connector: HubSpotConnector };
  let b: { emulator: HubSpotEmulator; connector: HubSpotConnector };
  const store = new MemorySyncStore();
  const run = () =>
    runSync({ definition, left: a.connector, right: b.connector, store, trigger: 'manual', clock });

  beforeAll(async () => {
    a = await connectToEmulator({ clock });
    b = await connectToEmulator({ clock, emulator: { seed: 2 } });
  });

  afterAll(async () => {
    await a.emulator.close();
    await b.emulator.close();
  });

  it('converges both portals, then writes nothing, then carries an edit across', async () => {
    // Portal b's Ann is older; a's later edit wins every field (latest_wins, no snapshot yet).
    b.emulator.store.insert('contacts', {
      email: 'ANN@example.com',
      firstname: 'Annie',
      lastname: 'King',
    });
    b.emulator.store.insert('contacts', {
      email: 'cat@example.com',
      firstname: 'Cat',
      lastname: 'Stevens',
    });
    await clock.advance(1_000);
    a.emulator.store.insert('contacts', {
      email: 'ann@example.com',
      firstname: 'Ann',
      lastname: 'Lovelace',
      lifecyclestage: 'lead',
      interests: 'crm;ads',
    });
    a.emulator.store.insert('contacts', {
      email: 'bob@example.com',
      firstname: 'Bob',
      lifecyclestage: 'customer',
    });

    const first = await run();
    expect(first.status).toBe('succeeded');
    expect(first.counters.failed).toBe(0);
    const bob = {
      firstname: 'Bob',
      lastname: undefined,
      lifecyclestage: 'customer',
      interests: undefined,
    };
    const cat = {
      firstname: 'Cat',
      lastname: 'Stevens',
      lifecyclestage: undefined,
      interests: undefined,
    };
    expect(portal(a.emulator)).toEqual({
      'ann@example.com': {
        firstname: 'Ann',
        lastname: 'Lovelace',
        lifecyclestage: 'lead',
        interests: 'crm;ads',
      },
      'bob@example.com': bob,
      'cat@example.com': cat,
    });
    // Written by the connector: the multi-select in HubSpot's `;` form, sorted as we compare it.
    expect(portal(b.emulator)).toEqual({
      'ann@example.com': {
        firstname: 'Ann',
        lastname: 'Lovelace',
        lifecyclestage: 'lead',
        interests: 'ads;crm',
      },
      'bob@example.com': bob,
      'cat@example.com': cat,
    });
    expect(a.emulator.store.count('contacts')).toBe(3);
    expect(b.emulator.store.count('contacts')).toBe(3);

    const writesBefore = a.emulator.counters.writeCalls() + b.emulator.counters.writeCalls();
    await clock.advance(60_000);
    const second = await run();
    expect(second.status).toBe('succeeded');
    expect(second.counters).toMatchObject({ created: 0, updated: 0, failed: 0 });
    expect(a.emulator.counters.writeCalls() + b.emulator.counters.writeCalls()).toBe(writesBefore);

    await clock.advance(60_000);
    const catInB = b.emulator.store.findBy('contacts', 'email', 'cat@example.com');
    if (catInB === undefined) throw new Error('cat is missing in portal b');
    b.emulator.store.edit('contacts', catInB.id, { lifecyclestage: 'opportunity' });
    const third = await run();
    expect(third.status).toBe('succeeded');
    expect(third.counters.updated).toBe(1);
    expect(portal(a.emulator)).toMatchObject({
      'cat@example.com': { lifecyclestage: 'opportunity' },
    });
  });
});
