/**
 * A long first read is a list in id order, not in (updatedAt, id) order: edits made while it goes
 * on, one early in the list (already passed) and one late (still ahead), further apart than the
 * overlap window, must both reach the other side. The cursor after such a read is where the read
 * started, never the greatest stamp it saw (issue: "Edits lost after a long first read").
 */
import type { SyncDefinition } from '../../src/engine';
import { runSync } from '../../src/engine';
import { MemorySyncStore } from '../../src/engine/testing/memory-store';
import { FakeClock } from '../../connectors/sdk/clock';
import type { HubSpotConnector } from '../../connectors/hubspot/connector';
import type { HubSpotEmulator } from '../../connectors/hubspot/emulator';
import { connectToEmulator } from '../../connectors/hubspot/harness';

const OVERLAP_MS = 5 * 60_000;

const definition: SyncDefinition = {
  id: 'portal-a-to-portal-b',
  left: { object: 'contacts', writeMode: 'upsert' },
  right: { object: 'contacts', writeMode: 'upsert' },
  direction: 'left_to_right',
  match: { left: 'email', right: 'email', normalizer: 'email' },
  mappings: [
    { left: 'email', right: 'email', direction: 'both' },
    { left: 'firstname', right: 'firstname', direction: 'both' },
  ],
  defaultPolicy: 'left_wins',
  tieBreaker: 'left',
  deletePolicy: 'ignore',
  overlapMs: OVERLAP_MS,
};

function firstNames(emulator: HubSpotEmulator): Map<string, string | undefined> {
  return new Map(
    emulator.store
      .all('contacts')
      .map((record) => [record.properties['email'] ?? '', record.properties['firstname']]),
  );
}

describe('edits made during a long first read', () => {
  const clock = new FakeClock({ autoAdvance: true });
  let a: { emulator: HubSpotEmulator; connector: HubSpotConnector };
  let b: { emulator: HubSpotEmulator; connector: HubSpotConnector };

  beforeAll(async () => {
    a = await connectToEmulator({ clock });
    b = await connectToEmulator({ clock, emulator: { seed: 2 } });
  });

  afterAll(async () => {
    await a.emulator.close();
    await b.emulator.close();
  });

  it('reach the other side, early and late in the list, further apart than the overlap', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 400; index++)
      ids.push(
        a.emulator.store.insert('contacts', {
          email: `person${index}@example.com`,
          firstname: `Person${index}`,
        }).id,
      );
    await clock.advance(60_000);
    const store = new MemorySyncStore();
    let edited = false;
    const first = await runSync({
      definition,
      left: a.connector,
      right: b.connector,
      store,
      trigger: 'manual',
      clock,
      pageSize: 100,
      // After the first page: a person edits a contact the read has passed, and ten minutes
      // later one it has not reached yet.
      onProgress: (progress) => {
        if (edited || progress.read < 100) return;
        edited = true;
        a.emulator.store.edit('contacts', ids[5], { firstname: 'EarlyEdit' });
        clock.set(new Date(clock.now().getTime() + 2 * OVERLAP_MS));
        a.emulator.store.edit('contacts', ids[390], { firstname: 'LateEdit' });
      },
    });
    expect(first.status).toBe('succeeded');
    expect(edited).toBe(true);

    await clock.advance(60_000);
    const second = await runSync({
      definition,
      left: a.connector,
      right: b.connector,
      store,
      trigger: 'manual',
      clock,
      pageSize: 100,
    });
    expect(second.status).toBe('succeeded');
    const names = firstNames(b.emulator);
    expect(names.size).toBe(400);
    expect(names.get('person5@example.com')).toBe('EarlyEdit');
    expect(names.get('person390@example.com')).toBe('LateEdit');
  });
});
