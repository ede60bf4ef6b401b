import { connectToEmulator } from '../../connectors/hubspot/harness';
import { contactsBothWays } from './definitions';
import { withMemoryLeft } from './memory-side';

/** Memory contacts and HubSpot contacts both ways, deletes propagated. */
const definition = contactsBothWays(
  'contacts-with-hubspot',
  [{ left: 'title', right: 'jobtitle', direction: 'both' }],
  {
    right: { object: 'contacts', writeMode: 'upsert' },
    match: { left: 'email', right: 'email', normalizer: 'email' },
    deletePolicy: 'propagate',
  },
);

describe('a merge in HubSpot', () => {
  it('deletes only the duplicate it leaves: the person lives on, linked to the primary', async () => {
    const { emulator, connector, clock } = await connectToEmulator();
    try {
      const { left, store, run } = withMemoryLeft(definition, connector, clock);
      const ann = left.create('contacts', { email: 'ann@example.com', title: 'CTO' });
      const old = left.create('contacts', { email: 'ann.old@example.com', title: null });
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
