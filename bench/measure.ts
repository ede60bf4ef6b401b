/** One run measured: its result, time, the vendors' write counters and the calls it made. */
import { performance } from 'node:perf_hooks';
import type { SyncRunResult } from '../src/engine/run-sync';
import type { LiveHeapSampler } from './memory';
import type { CallTimes, Tallies } from './timing';
import type { BenchVendors } from './vendors';

export interface Measured {
  result: SyncRunResult;
  ms: number;
  writeCalls: number;
  writtenRecords: number;
  /** The calls the run made, timed (where its time went, records read per side). */
  tallies: Tallies;
}

/** Runs `run` and measures it; the time of the live-heap sampler's collections is left out. */
export async function measure(
  vendors: BenchVendors,
  times: CallTimes,
  run: () => Promise<SyncRunResult>,
  live?: LiveHeapSampler,
): Promise<Measured> {
  const before = await vendors.writeTotals();
  times.take();
  const started = performance.now();
  const result = await run();
  const ms = performance.now() - started - (live?.collectMs ?? 0);
  if (result.status !== 'succeeded') throw new Error(`run ${result.status}: ${result.error ?? ''}`);
  const after = await vendors.writeTotals();
  return {
    result,
    ms,
    writeCalls: after.writeCalls - before.writeCalls,
    writtenRecords: after.writtenRecords - before.writtenRecords,
    tallies: times.take(),
  };
}
