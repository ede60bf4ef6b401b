import { startSalesforcePair } from '../../connectors/salesforce/harness';
import { contactsInto } from './definitions';
import { withMemoryLeft } from './memory-side';

/** Memory contacts that carry their Salesforce Contact's Id, matched on it. */
const definition = contactsInto('contacts-by-id', [['title', 'Title']], {
  right: { object: 'Contact', writeMode: 'upsert' },
  match: { left: 'salesforceId', right: 'Id', normalizer: 'exact' },
});

describe('a sync matched on the Salesforce Id', () => {
  it.each([
    ['sObject Collections', 10_000],
    ['Bulk API 2.0', 1],
  ])('updates each record by its Id through %s', async (_path, bulkThreshold) => {
    const { emulator, connector, clock } = await startSalesforcePair({
      connector: { settings: { bulkThreshold } },
    });
    try {
      const ids = ['Ann', 'Bob'].map((name) => {
        const outcome = emulator.store.create('Contact', { LastName: name, Title: 'Engineer' });
        if (!outcome.ok) throw new Error('seed failed');
        return outcome.id;
      });
      const { left, store, run } = withMemoryLeft(definition, connector, clock);
      // One kept in the 15-character form, as spreadsheets and reports give it.
      left.seed('contacts', [
        { fields: { salesforceId: ids[0] ?? '', title: 'CTO' } },
        { fields: { salesforceId: (ids[1] ?? '').slice(0, 15), title: 'CFO' } },
      ]);

      const result = await run();

      expect(result.status).toBe('succeeded');
      expect(result.counters).toMatchObject({ updated: 2, created: 0, failed: 0 });
      expect(
        emulator.store.list('Contact').map((record) => [record.Id, record.values['Title']]),
      ).toEqual([
        [ids[0], 'CTO'],
        [ids[1], 'CFO'],
      ]);
      expect(emulator.counters.matching(/\/composite\/sobjects\/Contact\/Id$/)).toBe(0);
      // Both were matched, the one kept in 15 characters too, and linked to their records.
      expect(store.events.map((event) => event.action).sort()).toEqual([
        'linked',
        'linked',
        'updated',
        'updated',
      ]);
      expect(
        store
          .links(definition.id)
          .map((link) => link.rightId)
          .sort(),
      ).toEqual(ids.sort());
    } finally {
      await emulator.close();
    }
  });
});
