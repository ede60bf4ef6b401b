/**
 * Audience syncs whose destination changes members through vendor jobs (Google Ads' Customer Match
 * on its emulator): one job per run, started at the run's end; the next run collects it; a job
 * whose run died before starting it is left unrun, and its changes go into the next job, each
 * counted once.
 */
import { MemoryBackend, createMemoryConnector } from '../../connectors/memory';
import { connectToGoogleAds, type GoogleAdsSetup } from '../../connectors/google-ads/harness';
import { FakeClock } from '../../connectors/sdk/clock';
import { ConnectorError } from '../../connectors/sdk/errors';
import { sha256Hex } from '../../connectors/sdk/normalize';
import type { AnySyncDefinition } from './definition';
import { runOneWaySync } from './run-sync';
import { MemorySyncStore } from './testing/memory-store';

describe('audience syncs through vendor jobs', () => {
  let google: GoogleAdsSetup;
  afterEach(() => google.emulator.close());

  async function setup() {
    const clock = new FakeClock({ autoAdvance: true, start: '2026-11-01T12:00:00.000Z' });
    google = await connectToGoogleAds({ clock });
    const list = google.emulator.store.createUserList(google.customerId, 'Customers');
    const source = new MemoryBackend({ clock, idPrefix: 'src-' });
    source.seed(
      'contacts',
      Array.from({ length: 10 }, (_, n) => ({
        id: `p${String(n)}`,
        fields: { email: `p${String(n)}@example.com` },
      })),
    );
    const definition: AnySyncDefinition = {
      id: 'customers',
      kind: 'audience',
      left: { object: 'contacts' },
      right: { object: list.id },
      identifiers: { email: 'email' },
      mappings: [],
      defaultPolicy: 'manual',
      tieBreaker: 'left',
      deletePolicy: 'ignore',
    };
    const store = new MemorySyncStore();
    const run = (destination = google.connector) =>
      runOneWaySync({
        definition,
        source: createMemoryConnector(source, { clock, maxBatch: 4 }),
        destination,
        store,
        trigger: 'manual',
        clock,
        pageSize: 4,
      });
    return { clock, list, run };
  }

  it('starts one job per run and collects it in the next, counting each member once', async () => {
    const { clock, list, run } = await setup();
    const first = await run();
    expect(first).toMatchObject({ status: 'succeeded', counters: { added: 0 } });
    const jobs = [...google.emulator.store.jobs.values()];
    expect(jobs.map((job) => [job.status, job.operations.length])).toEqual([['RUNNING', 10]]);
    expect(await run()).toMatchObject({ counters: { added: 0 } });
    await clock.advance(google.emulator.store.processingMs);
    expect(await run()).toMatchObject({ status: 'succeeded', counters: { added: 10, failed: 0 } });
    expect(list.members.has(`email:${sha256Hex('p0@example.com')}`)).toBe(true);
    expect(list.members.size).toBe(10);
    expect(await run()).toMatchObject({ counters: { added: 0 } });
    expect(google.emulator.store.jobs.size).toBe(1);
  });

  it('leaves a job its run never started, and puts its changes into the next job', async () => {
    const { clock, list, run } = await setup();
    const jobs = google.connector.membershipJobs;
    const dying = {
      ...google.connector,
      membershipJobs: {
        ...jobs,
        start: () => Promise.reject(new ConnectorError('network', 'the worker died')),
      },
    } as typeof google.connector;
    expect(await run(dying)).toMatchObject({ status: 'failed' });
    const second = await run();
    expect(second).toMatchObject({ status: "succeeded", error: null });
    const held = [...google.emulator.store.jobs.values()];
    expect(held.map((job) => [job.status, job.operations.length])).toEqual([
      ['PENDING', 10],
      ['RUNNING', 10],
    ]);
    await clock.advance(google.emulator.store.processingMs);
    const collected = await run();
    expect(collected).toMatchObject({ counters: { added: 10, failed: 0 } });
    expect(list.members.size).toBe(10);
  });
});
