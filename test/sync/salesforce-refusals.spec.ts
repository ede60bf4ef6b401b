import { startSalesforcePair } from '../../connectors/salesforce/harness';
import { contactsInto } from './definitions';
import { withMemoryLeft } from './memory-side';

/** Memory contacts kept in Salesforce Leads, matched by email, updating the leads there. */
const definition = contactsInto(
  'contacts-to-leads',
  [
    ['email', 'Email'],
    ['phone', 'Phone'],
  ],
  {
    right: { object: 'Lead', writeMode: 'upsert' },
  },
);

describe('records Salesforce will not let anyone change', () => {
  it('fail for good, each with its status code, without ten retries: converted, locked, read-only', async () => {
    const { emulator, connector, clock } = await startSalesforcePair();
    try {
      const people = ['converted', 'locked', 'readonly', 'open'];
      const ids = new Map<string, string>();
      for (const name of people) {
        const outcome = emulator.store.create('Lead', {
          LastName: name,
          Company: 'Acme',
          Email: `${name}@example.com`,
        });
        if (!outcome.ok) throw new Error('seed failed');
        ids.set(name, outcome.id);
      }
      const id = (name: string): string => ids.get(name) ?? '';
      emulator.store.convertLead(id('converted'));
      emulator.store.lock(id('locked'));
      emulator.store.makeReadOnly(id('readonly'));
      const { left, store, run } = withMemoryLeft(definition, connector, clock);
      left.seed(
        'contacts',
        people.map((name) => ({ fields: { email: `${name}@example.com`, phone: '+1 555 0100' } })),
      );

      const first = await run();

      expect(first.status).toBe('partial');
      expect(first.counters).toMatchObject({ updated: 1, failed: 3 });
      expect(emulator.store.get(id('open'))?.values['Phone']).toBe('+1 555 0100');
      const failures = store.events
        .filter((event) => event.action === 'failed')
        .map((event) => [event.rightId, event.errorCode, event.message]);
      expect(failures).toEqual(
        expect.arrayContaining([
          [
            id('converted'),
            'permission_denied',
            expect.stringContaining('cannot reference converted lead'),
          ],
          [
            id('locked'),
            'permission_denied',
            expect.stringContaining('the entity is locked for editing'),
          ],
          [
            id('readonly'),
            'permission_denied',
            expect.stringContaining('insufficient access rights on object id'),
          ],
        ]),
      );
      expect(store.failedRecords(definition.id).map((record) => record.dead)).toEqual([
        true,
        true,
        true,
      ]);
      // Nothing is tried again: a person must act in Salesforce first.
      await clock.advance(60 * 60_000);
      emulator.counters.reset();
      expect((await run()).counters.failed).toBe(0);
      expect(emulator.counters.matching(/^(PATCH|POST) /)).toBe(0);
    } finally {
      await emulator.close();
    }
  });
});
