import { MemoryBackend, createMemoryConnector } from '../../connectors/memory';
import { runSync } from '../../src/engine';
import { contactsIntoSalesforce } from './definitions';
import { MemorySyncStore } from '../../src/engine/testing/memory-store';
import { startSalesforcePair } from '../../connectors/salesforce/harness';
import { withMemoryLeft } from './memory-side';

const COUNT = 50_000;

const definition = contactsIntoSalesforce('initial-load', [
  ['firstName', 'FirstName'],
  ['lastName', 'LastName'],
  ['stage', 'Lifecycle_Stage__c'],
  ['interests', 'Interests__c'],
]);

/** Ten memory contacts synced into an emulator whose every write goes as a Bulk job. */
async function tenByBulk(emulatorOptions: { bulkProcessingMs?: number } = {}) {
  const { emulator, connector, clock } = await startSalesforcePair({
    emulator: emulatorOptions,
    connector: { settings: { bulkThreshold: 1 } },
  });
  const { left, store, run } = withMemoryLeft(definition, connector, clock);
  left.seed(
    'contacts',
    Array.from({ length: 10 }, (_, i) => ({
      fields: { email: `p${i}@example.com`, firstName: `P${i}`, lastName: `Person ${i}` },
    })),
  );
  return { emulator, clock, store, run };
}

/** The ten people are in Salesforce, each once. */
function expectEachOnce(emulator: Awaited<ReturnType<typeof tenByBulk>>['emulator']): void {
  const emails = emulator.store.list('Contact').map((record) => record.values['Email']);
  expect(emails).toHaveLength(10);
  expect(new Set(emails).size).toBe(10);
}

describe('Bulk API 2.0 writes', () => {
  it('loads 50,000 records through a handful of Bulk calls; failed-results rows become record events', async () => {
    // The emulator applies the whole upload while answering UploadComplete: give that call time.
    const { emulator, connector, clock } = await startSalesforcePair({
      connector: { calls: { timeoutMs: 60_000 } },
    });
    try {
      const left = new MemoryBackend({ clock, idPrefix: 'L' });
      // Two records Salesforce rejects: a stage its restricted picklist lacks, a malformed email.
      const badStage = 12_345;
      const badEmail = 40_000;
      left.seed(
        'contacts',
        Array.from({ length: COUNT }, (_, i) => ({
          fields: {
            email: i === badEmail ? `person${i}-at-example.com` : `person${i}@example.com`,
            firstName: i % 7 === 0 ? 'Ann, "the first"' : `P${i}`,
            lastName: `Person ${i}`,
            stage: i === badStage ? 'Evangelist' : 'Lead',
            interests: i % 3 === 0 ? ['CRM', 'Ads'] : null,
          },
        })),
      );
      const store = new MemorySyncStore();

      const result = await runSync({
        definition,
        left: createMemoryConnector(left, { random: () => 0.5, maxPageSize: COUNT }),
        right: connector,
        store,
        trigger: 'manual',
        clock,
        pageSize: COUNT,
      });

      const bulkCalls = emulator.counters.matching(/\/jobs\/ingest/);
      expect(result.error).toBeNull();
      expect(emulator.counters.matching(/composite\/sobjects/)).toBe(0);
      // Create, upload, UploadComplete, two polls, three result files.
      expect(bulkCalls).toBe(8);
      expect(emulator.counters.calls('POST /jobs/ingest')).toBe(1);
      expect(result.status).toBe('partial');
      expect(result.counters).toMatchObject({ created: COUNT - 2, failed: 2 });
      expect(emulator.store.list('Contact')).toHaveLength(COUNT - 2);

      const failures = store.events.filter((event) => event.errorCode !== null);
      expect(failures.map((event) => [event.leftId, event.errorCode]).sort()).toEqual(
        [
          [`L${String(badStage + 1).padStart(8, '0')}`, 'invalid_value'],
          [`L${String(badEmail + 1).padStart(8, '0')}`, 'invalid_value'],
        ].sort(),
      );
      expect(failures.map((event) => event.message).join('\n')).toMatch(
        /INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST/,
      );
      expect(failures.map((event) => event.message).join('\n')).toMatch(/INVALID_EMAIL_ADDRESS/);

      // Every created record is linked to the Salesforce id the Bulk results gave for its row.
      const links = store.links(definition.id);
      expect(links).toHaveLength(COUNT - 2);
      const sample = links.find((link) => link.leftId === 'L00000022');
      const stored = sample === undefined ? undefined : emulator.store.get(sample.rightId);
      expect(stored?.values).toMatchObject({
        Email: 'person21@example.com',
        FirstName: 'Ann, "the first"',
        Interests__c: 'CRM;Ads',
      });
    } finally {
      await emulator.close();
    }
  });

  it('keeps the rows a Failed job wrote, and retries only the rows it never processed', async () => {
    const { emulator, clock, store, run } = await tenByBulk();
    try {
      // The job writes 6 rows, then Salesforce ends it Failed: the 6 stay in the org.
      emulator.faults.failNextBulkJob(6);

      const first = await run();

      expect(first.counters).toMatchObject({ created: 6, failed: 4 });
      expect(store.links(definition.id)).toHaveLength(6);
      expect(emulator.store.list('Contact')).toHaveLength(6);
      await clock.advance(5 * 60_000);
      const second = await run();

      expect(second.counters).toMatchObject({ created: 4, failed: 0 });
      expectEachOnce(emulator);
      expect(store.links(definition.id)).toHaveLength(10);
    } finally {
      await emulator.close();
    }
  });

  it('aborts a job whose starter died before its upload completed, and sends its records once', async () => {
    const { emulator, clock, store, run } = await tenByBulk();
    try {
      // The worker dies as soon as the job's ticket is journaled: created at Salesforce, Open,
      // nothing uploaded.
      const journal = store.recordIntentJob.bind(store);
      store.recordIntentJob = async (intentId, job) => {
        await journal(intentId, job);
        throw new Error('worker killed');
      };
      const first = await run();
      expect(first.status).toBe('failed');
      expect(emulator.counters.calls('POST /jobs/ingest')).toBe(1);
      expect(emulator.counters.matching(/^PUT \/jobs\/ingest/)).toBe(0);
      store.recordIntentJob = journal;

      await clock.advance(60_000);
      const second = await run();

      // The takeover found the journaled job Open, aborted it, and sent the records in a job of
      // its own: two jobs, one PATCH each (Aborted, UploadComplete), every person once.
      expect(second.status).toBe('succeeded');
      expect(second.counters).toMatchObject({ created: 10, failed: 0 });
      expect(emulator.counters.calls('POST /jobs/ingest')).toBe(2);
      expect(emulator.counters.matching(/^PATCH \/jobs\/ingest/)).toBe(2);
      expectEachOnce(emulator);
    } finally {
      await emulator.close();
    }
  });

  it('waits for a job whose UploadComplete answer was lost, and sends nothing again', async () => {
    const { emulator, store, run } = await tenByBulk({ bulkProcessingMs: 30_000 });
    try {
      // Salesforce closes the upload and starts the job, but its answer never arrives: the worker
      // cannot tell whether the job runs (as when it is killed at that moment).
      emulator.faults.failNext('answer_lost', { endpoint: /^PATCH \/jobs\/ingest\/:id$/ });
      const first = await run();
      expect(first.counters.created).toBe(0);
      expect(emulator.store.list('Contact')).toHaveLength(0);

      const second = await run();

      // The ticket journaled when the job was created: the next run waited for that job, linked
      // what it wrote, and sent no second job.
      expect(emulator.counters.calls('POST /jobs/ingest')).toBe(1);
      expect(second.counters).toMatchObject({ created: 10, failed: 0 });
      expectEachOnce(emulator);
      expect(store.links(definition.id)).toHaveLength(10);
    } finally {
      await emulator.close();
    }
  });
});
