import { contactsIntoSalesforce } from './definitions';
import { startSalesforcePair } from '../../connectors/salesforce/harness';
import { withMemoryLeft } from './memory-side';

const definition = contactsIntoSalesforce('contacts-to-salesforce', [
  ['lastName', 'LastName'],
  ['title', 'Title'],
]);

describe('UNABLE_TO_LOCK_ROW', () => {
  it('fails the locked records of a batch alone, and a later run retries them to success', async () => {
    const { emulator, connector, clock } = await startSalesforcePair();
    try {
      const { left, store, run } = withMemoryLeft(definition, connector, clock);
      left.seed(
        'contacts',
        Array.from({ length: 20 }, (_, i) => ({
          fields: { email: `p${i}@example.com`, lastName: `Person ${i}`, title: 'Engineer' },
        })),
      );
      // Another process holds three of these rows once (a trigger, a Data Loader job…).
      const locked = new Set(['p3@example.com', 'p7@example.com', 'p11@example.com']);
      emulator.faults.lockRows(({ values }) => locked.has(String(values['Email'])), 1);

      const first = await run();

      expect(first.status).toBe('partial');
      expect(first.counters).toMatchObject({ created: 17, failed: 3 });
      const failures = store.events.filter((event) => event.errorCode !== null);
      expect(failures.map((event) => event.errorCode)).toEqual(['locked', 'locked', 'locked']);
      expect(store.failedRecords(definition.id)).toHaveLength(3);
      expect(store.failedRecords(definition.id).every((record) => !record.dead)).toBe(true);

      // The engine's failed-record retry is due after its backoff (one minute for a first failure).
      await clock.advance(2 * 60 * 1000);
      const second = await run();

      expect(second.status).toBe('succeeded');
      expect(second.counters.created).toBe(3);
      expect(store.failedRecords(definition.id).filter((record) => record.dead)).toEqual([]);
      expect(store.failedRecords(definition.id)).toEqual([]);
      const emails = emulator.store.list('Contact').map((record) => record.values['Email']);
      expect(new Set(emails).size).toBe(20);
      expect(emails).toEqual(expect.arrayContaining([...locked]));
    } finally {
      await emulator.close();
    }
  });
});
