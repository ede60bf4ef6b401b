import { MemoryBackend, createMemoryConnector } from '../../connectors/memory';
import { connectToEmulator } from '../../connectors/hubspot/harness';
import type { SyncDefinition } from '../../src/engine';
import { runSync } from '../../src/engine';
import { MemorySyncStore } from '../../src/engine/testing/memory-store';

/** Memory contacts and HubSpot contacts both ways, deletes propagated. */
const definition: SyncDefinition = {
  id: 'contacts-with-hubspot',
  left: { object: 'contacts', writeMode: 'upsert' },
  right: { object: 'contacts', writeMode: 'upsert' },
  direction: 'bidirectional',
  match: { left: 'email', right: 'email', normalizer: 'email' },
  mappings: [
    { left: 'email', right: 'email', direction: 'both' },
    { left: 'title', right: 'jobtitle', direction: 'both' },
  ],
  defaultPolicy: 'latest_wins',
  tieBreaker: 'left',
  deletePolicy: 'propagate',
};

describe('a merge in HubSpot', () => {
  it('deletes only the duplicate it leaves: the person lives on, linked to the primary', async () => {
    const { emulator, connector, clock } = await connectToEmulator();
    try {
      const left = new MemoryBackend({ clock, idPrefix: 'L' });
      const ann = left.create('contacts', { email: 'ann@example.com', title: 'CTO' });
      const old = left.create('contacts', { email: 'ann.old@example.com', title: null });
      const store = new MemorySyncStore();
      const run = () =>
        runSync({
          definition,
          left: createMemoryConnector(left, { random: () => 0.5 }),
          right: connector,
          store,
          trigger: 'manual',
          clock,
        });
      expect((await run()).counters.created).toBe(2);
      const idOf = (email: string): string => {
        const found = emulator.store.findBy('contacts', 'email', email);
        if (found === undefined) throw new Error(`no ${email}`);
        return found.id;
      };
      const primary = idOf('ann@example.com');
      const loser = idOf('ann.old@example.com');

      // In HubSpot, the old record is merged into Ann's.
      await clock.advance(60_000);
      expect(emulator.store.merge('contacts', primary, loser)).toBeDefined();
      await clock.advance(60_000);
      const result = await run();

      expect(result.status).toBe('succeeded');
      // Ann lives on in both systems, linked; the old record's copy goes as HubSpot's did.
      expect(result.counters.deleted).toBe(1);
      expect(left.all('contacts').map((record) => record.id)).toEqual([ann.id]);
      expect(store.links(definition.id).map((link) => [link.leftId, link.rightId])).toEqual([
        [ann.id, primary],
      ]);
      expect(store.events).toContainEqual(
        expect.objectContaining({
          action: 'deleted',
          leftId: old.id,
          rightId: loser,
          message: `${loser} was merged into ${primary} on right, which is linked to ${ann.id}`,
        }),
      );
    } finally {
      await emulator.close();
    }
  });
});
