/**
 * A realistic incremental schedule: runs every 15 simulated minutes, with the edits of each
 * interval (1 % of each side, as the incremental run's) made in small batches spread over it, one
 * a minute, as people and automations make them. Prints, for each run, the records read on each
 * side per changed record, write calls per changed record and echo writes.
 *
 * Records read per changed record, on a side: that side's records read over the records changed
 * on either side in the interval. Its minimum in a two-way sync is 1: each change is read once on
 * the side where it was made and once on the other as the echo of its write (an echo costs a read
 * but no write: it equals the link's snapshot). What exceeds 1 is the overlap window's re-reading.
 */
import type { SyncRunResult } from '../src/engine/run-sync';
import { type Measured, measure } from './measure';
import type { BenchClock } from './clock';
import type { CallTimes } from './timing';
import type { BenchVendors } from './vendors';

const MINUTE = 60_000;
export const SCHEDULE = { intervals: 4, intervalMs: 15 * MINUTE, steps: 15 };

export interface ScheduledRun {
  changed: number;
  measured: Measured;
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

export interface ScheduleSummary {
  /** The greatest records read per changed record over the runs, per side. */
  readPerChanged: { left: number; right: number };
  writeCallsPerChanged: number;
  echoWrites: number;
}

/** `perSide`: the edits of each side in each interval (the 1 %, edited again every round). */
export async function runSchedule(
  vendors: BenchVendors,
  clock: BenchClock,
  times: CallTimes,
  run: () => Promise<SyncRunResult>,
  perSide: number,
): Promise<ScheduleSummary> {
  const { intervals, intervalMs, steps } = SCHEDULE;
  print(
    `schedule: ${String(intervals)} runs ${String(intervalMs / MINUTE)} simulated minutes apart, ` +
      `${perSide.toLocaleString('en-US')} records edited on each side in each interval, ` +
      `in ${String(steps)} batches spread over it`,
  );
  const summary: ScheduleSummary = {
    readPerChanged: { left: 0, right: 0 },
    writeCallsPerChanged: 0,
    echoWrites: 0,
  };
  for (let round = 1; round <= intervals; round++) {
    let changed = 0;
    for (let step = 0; step < steps; step++) {
      await clock.advance(intervalMs / steps);
      const from = Math.floor((step * perSide) / steps);
      const to = Math.floor(((step + 1) * perSide) / steps);
      changed += await vendors.edit({ from, count: to - from, round });
    }
    const measured = await measure(vendors, times, run);
    const left = measured.tallies.records('left.read') / changed;
    const right = measured.tallies.records('right.read') / changed;
    const calls = measured.writeCalls / changed;
    const echoes = measured.writtenRecords - changed;
    summary.readPerChanged.left = Math.max(summary.readPerChanged.left, left);
    summary.readPerChanged.right = Math.max(summary.readPerChanged.right, right);
    summary.writeCallsPerChanged = Math.max(summary.writeCallsPerChanged, calls);
    summary.echoWrites += Math.max(0, echoes);
    print(
      `  run ${String(round)}: ${changed.toLocaleString('en-US')} changed, ${(measured.ms / 1000).toFixed(2)} s; ` +
        `read left ${measured.tallies.records('left.read').toLocaleString('en-US')} (${left.toFixed(2)} per changed record), ` +
        `right ${measured.tallies.records('right.read').toLocaleString('en-US')} (${right.toFixed(2)}); ` +
        `write calls ${String(measured.writeCalls)} (${calls.toFixed(4)} per changed record), ` +
        `records written ${measured.writtenRecords.toLocaleString('en-US')}, echo writes ${String(Math.max(0, echoes))}`,
    );
  }
  const { readPerChanged } = summary;
  const readsMet = Math.max(readPerChanged.left, readPerChanged.right) <= 2;
  const callsMet = summary.writeCallsPerChanged <= 0.0105;
  // The fewest calls that can carry a run's changes: each side's, in full batches of the vendor's.
  const batch = vendors.left.limits.maxBatch.update ?? 1;
  const fewest = (2 * Math.ceil(perSide / batch)) / (2 * perSide);
  print(
    `  schedule: at most ${readPerChanged.left.toFixed(2)} (left) and ${readPerChanged.right.toFixed(2)} (right) ` +
      `records read per changed record (minimum 1; target ≤ 2: ${readsMet ? 'met' : 'NOT met'}), ` +
      `${summary.writeCallsPerChanged.toFixed(4)} write calls per changed record (target ≤ 0.0105: ${callsMet ? 'met' : 'NOT met'}; ` +
      `the fewest possible at this size ${fewest.toFixed(4)}), ` +
      `${String(summary.echoWrites)} echo writes (must be 0)`,
  );
  return summary;
}
