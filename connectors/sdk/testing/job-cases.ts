/**
 * Contract cases for the jobs capability: a large write becomes a job whose ticket survives being
 * stored as JSON (a run checkpoints it), polls to its end on the connector's clock, and yields one
 * result per operation, in order, with the records in the vendor.
 */
import type {
  ConnectorCore,
  JobsCapability,
  Fields,
  RecordDestinationCapability,
} from '../contract';
import { finishJob } from '../jobs';
import type { Slot } from './destination-harness';

export interface JobHarness {
  connector: ConnectorCore & RecordDestinationCapability & JobsCapability;
  object: string;
  /** A create of this many operations is done as a job. */
  jobSize: number;
  newFields(tag: string): Fields;
  clock: { now(): Date; sleep(ms: number, signal?: AbortSignal): Promise<void> };
  /** Ids of the test object's records in the vendor. */
  storeIds(): Promise<string[]>;
  close(): Promise<void>;
}

export function registerJobCases(slot: Slot<JobHarness>): void {
  it('prefers a job for a large write, and not for a small one', async () => {
    const harness = slot.current;
    const request = (count: number) => ({
      object: harness.object,
      mode: 'create' as const,
      operations: Array.from({ length: count }, (_, i) => ({ fields: harness.newFields(`p${i}`) })),
    });
    expect(await harness.connector.prefersJob(request(harness.jobSize))).toBe(true);
    expect(await harness.connector.prefersJob(request(1))).toBe(false);
  });

  it('runs a job from a ticket stored as JSON to one result per operation, in order', async () => {
    const harness = slot.current;
    const operations = Array.from({ length: harness.jobSize }, (_, i) => ({
      fields: harness.newFields(`job${i}`),
    }));
    const told: string[] = [];
    const started = await harness.connector.start(
      { object: harness.object, mode: 'create', operations },
      (created) => {
        told.push(created.id);
        return Promise.resolve();
      },
    );
    // Told of the job once, as soon as the vendor created it, before start returned.
    expect(told).toEqual([started.id]);
    // What a run that takes over reads back from its checkpoint.
    const ticket = JSON.parse(JSON.stringify(started)) as typeof started;
    const end = await finishJob(harness.connector, ticket, harness.clock);
    expect(end).toEqual({ status: 'done' });
    const results = await harness.connector.results(ticket, operations);
    expect(results.map((result) => result.status)).toEqual(operations.map(() => 'created'));
    const ids = results.map((result) => result.id);
    expect(new Set(ids).size).toBe(operations.length);
    const held = new Set(await harness.storeIds());
    expect(ids.filter((id) => id === undefined || !held.has(id))).toEqual([]);
  });
}
