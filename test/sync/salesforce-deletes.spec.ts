import { startSalesforcePair } from '../../connectors/salesforce/harness';
import { contactsBothWays } from './definitions';
import { withMemoryLeft } from './memory-side';

const definition = contactsBothWays(
  'contacts-with-salesforce',
  [{ left: 'lastName', right: 'LastName', direction: 'both' }],
  { deletePolicy: 'propagate' },
);

/** A memory vendor's contacts synced both ways with a Salesforce emulator's, deletes propagated. */
async function startSync() {
  const { emulator, connector, clock } = await startSalesforcePair();
  // The org is older than the sync: its first delete window (a minute before the first read, the
  // connector's lag) must not start before the org did, which getDeleted would call a gap.
  await clock.advance(10 * 60_000);
  return { emulator, clock, ...withMemoryLeft(definition, connector, clock) };
}

const DAY_MS = 24 * 60 * 60 * 1000;

describe('a merge in Salesforce', () => {
  it('re-links the other side to the master record instead of deleting the person there', async () => {
    const { emulator, clock, left, store, run } = await startSync();
    try {
      const ann = left.create('contacts', { email: 'ann@example.com', lastName: 'Lee' });
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

describe("Salesforce's recycle bin", () => {
  it('warns when deletes expired before the sync read them, and a full refresh deletes their copies', async () => {
    const { emulator, clock, left, store, run } = await startSync();
    try {
      left.create('contacts', { email: 'ann@example.com', lastName: 'Lee' });
      left.create('contacts', { email: 'bob@example.com', lastName: 'Bell' });
      expect((await run()).counters.created).toBe(2);
      const ann = emulator.store
        .list('Contact')
        .find((record) => record.values['Email'] === 'ann@example.com');
      if (ann === undefined) throw new Error('not created');

      // Ann is deleted in Salesforce while the sync is paused for 16 days: her delete expires.
      await clock.advance(60_000);
      expect(emulator.store.delete(ann.Id).ok).toBe(true);
      await clock.advance(16 * DAY_MS);
      const paused = await run();

      expect(paused.status).toBe('succeeded');
      expect(paused.warnings).toEqual([
        expect.stringMatching(
          /^Deletes on right \(Contact\) between .+ and .+ may be lost: Salesforce keeps deleted records 15 days, less when the recycle bin is emptied\. A full refresh/,
        ),
      ]);
      expect(left.all('contacts').map((record) => record.fields.email)).toEqual([
        'ann@example.com',
        'bob@example.com',
      ]);
      // Said again at every run until a full refresh.
      await clock.advance(60_000);
      expect((await run()).warnings).toHaveLength(1);

      await clock.advance(60_000);
      const full = await run({ fullRefresh: true });

      expect(full.warnings).toBeUndefined();
      expect(full.counters).toMatchObject({ deleted: 1, created: 0, failed: 0 });
      expect(left.all('contacts').map((record) => record.fields.email)).toEqual([
        'bob@example.com',
      ]);
      expect(store.events).toContainEqual(
        expect.objectContaining({
          action: 'deleted',
          rightId: ann.Id,
          message: 'not found in a full read of right',
        }),
      );
      await clock.advance(60_000);
      expect((await run()).warnings).toBeUndefined();
    } finally {
      await emulator.close();
    }
  });

  it('says nothing when the bin kept every delete since the last read', async () => {
    const { emulator, clock, left, run } = await startSync();
    try {
      left.create('contacts', { email: 'ann@example.com', lastName: 'Lee' });
      await run();
      const ann = emulator.store.list('Contact').at(0);
      if (ann === undefined) throw new Error('not created');
      await clock.advance(60_000);
      emulator.store.delete(ann.Id);
      // Older deletes expire meanwhile; not this one.
      await clock.advance(14 * DAY_MS);
      const result = await run();
      expect(result.warnings).toBeUndefined();
      expect(result.counters.deleted).toBe(1);
      expect(left.all('contacts')).toEqual([]);
    } finally {
      await emulator.close();
    }
  });
});

describe('a long Salesforce transaction', () => {
  it('is read when it commits, though its rows are stamped before records read since', async () => {
    const { emulator, clock, left, run } = await startSync();
    try {
      left.create('contacts', { email: 'ann@example.com', lastName: 'Lee' });
      await run();
      // A big Apex job begins; its rows carry this moment's SystemModstamp.
      await clock.advance(60_000);
      const job = emulator.store.openTransaction();
      // Longer than the 5-minute overlap window, Salesforce users keep editing, and the sync reads.
      await clock.advance(7 * 60_000);
      const ann = emulator.store.list('Contact').at(0);
      if (ann === undefined) throw new Error('not created');
      emulator.store.update('Contact', ann.Id, { LastName: 'Lee-Smith' });
      await clock.advance(60_000);
      await run();
      await clock.advance(60_000);
      expect(job.commit('Contact', { Email: 'cy@example.com', LastName: 'Chen' }).ok).toBe(true);
      await clock.advance(60_000);

      await run();

      expect(
        left.all('contacts').map((record) => [record.fields.email, record.fields.lastName]),
      ).toEqual([
        ['ann@example.com', 'Lee-Smith'],
        ['cy@example.com', 'Chen'],
      ]);
    } finally {
      await emulator.close();
    }
  });
});
