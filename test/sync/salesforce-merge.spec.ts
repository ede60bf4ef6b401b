import { MemoryBackend, createMemoryConnector } from '../../connectors/memory';
import { startSalesforcePair } from '../../connectors/salesforce/harness';
import { runSync } from '../../src/engine';
import { MemorySyncStore } from '../../src/engine/testing/memory-store';
import { contactsBothWays } from './definitions';

const definition = contactsBothWays(
  'contacts-with-salesforce',
  [{ left: 'lastName', right: 'LastName', direction: 'both' }],
  { deletePolicy: 'propagate' },
);

describe('a merge in Salesforce', () => {
  it('re-links the other side to the master record instead of deleting the person there', async () => {
    const { emulator, connector, clock } = await startSalesforcePair();
    try {
      const left = new MemoryBackend({ clock, idPrefix: 'L' });
      const ann = left.create('contacts', { email: 'ann@example.com', lastName: 'Lee' });
      const sync = { left: createMemoryConnector(left, { random: () => 0.5 }), right: connector };
      const store = new MemorySyncStore();
      const run = () => runSync({ definition, ...sync, store, trigger: 'manual', clock });
      expect((await run()).counters.created).toBe(1);
      const synced = emulator.store.list('Contact').at(0);
      if (synced === undefined) throw new Error('not created');

      // In Salesforce, Ann is entered again with her new address, and the old record merged into it.
      await clock.advance(60_000);
      const master = emulator.store.create('Contact', {
        Email: 'ann.lee@example.com',
        LastName: 'Lee-Smith',
      });
      if (!master.ok) throw new Error('not created');
      expect(emulator.store.merge('Contact', master.id, [synced.Id]).ok).toBe(true);
      await clock.advance(60_000);
      const result = await run();

      expect(result.status).toBe('succeeded');
      expect(result.counters).toMatchObject({ deleted: 0, created: 0, failed: 0 });
      expect(left.all('contacts').map((record) => [record.id, record.fields])).toEqual([
        [ann.id, { email: 'ann.lee@example.com', lastName: 'Lee-Smith' }],
      ]);
      expect(store.links(definition.id)).toEqual([
        expect.objectContaining({ leftId: ann.id, rightId: master.id }),
      ]);
      expect(emulator.store.list('Contact').map((record) => record.Id)).toEqual([master.id]);
      expect(store.events).toContainEqual(
        expect.objectContaining({
          action: 'linked',
          leftId: ann.id,
          rightId: master.id,
          message: `${synced.Id} was merged into ${master.id} on right; ${ann.id} is now linked to ${master.id}`,
        }),
      );
    } finally {
      await emulator.close();
    }
  });
});
