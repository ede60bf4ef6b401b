/**
 * What one run carries from step to step: the compiled sync, the connectors, the store, time,
 * cancellation, and the running totals.
 */
import type { Clock, RecordConnector } from '../../connectors/sdk/contract';
import type { Side } from './definition';
import type { CompiledSync } from './compile';
import type { RunCounters, SyncStore } from './ports';
import { CancelledError } from './write';

export interface RunProgress {
  runId: string;
  read: number;
  written: number;
  counters: RunCounters;
}

export interface RunContext {
  sync: CompiledSync;
  connectors: Record<Side, RecordConnector>;
  objects: Record<Side, string>;
  store: SyncStore;
  runId: string;
  clock: Clock;
  signal: AbortSignal | undefined;
  pageSize: number;
  onProgress: ((progress: RunProgress) => void) | undefined;
  /** Totals so far (what finishRun records). */
  counters: RunCounters;
  /** Whether this run retries due failed records (paused past an API budget threshold). */
  retryFailed: boolean;
  /** Whether it does only that: no deletes nor changes are read. */
  retryOnly?: boolean;
  /** callCount() of each connector when the counters last took API calls in. */
  callsSeen: Record<Side, number>;
  /** Records the failed-record pass handled this run, with the updatedAt it saw, by failedKey. */
  retried: Map<string, string>;
  /** What the run could not do and a person should know (the result's `warnings`). */
  warnings: string[];
}

export function nowIso(context: Pick<RunContext, 'clock'>): string {
  return context.clock.now().toISOString();
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new CancelledError('run cancelled');
}

export { addCounters } from './ports';

/** API calls made since the last call of this, per side (the part a page commit adds). */
export function takeApiCalls(context: RunContext): RunCounters['apiCalls'] {
  const left = context.connectors.left.callCount();
  const right = context.connectors.right.callCount();
  const delta = { left: left - context.callsSeen.left, right: right - context.callsSeen.right };
  context.callsSeen = { left, right };
  return delta;
}
