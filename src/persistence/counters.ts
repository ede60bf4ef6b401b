/** A run's counters as the columns of sync_runs store them (RECORD_COUNTERS, then API calls). */
import { RECORD_COUNTERS, type RunCounters, countersOf } from '../engine/ports';

/** The counter columns of sync_runs, in order: one per record counter, then API calls per side. */
export const COUNTER_COLUMN_NAMES = [...RECORD_COUNTERS, 'api_calls_left', 'api_calls_right'];

/** The counters in the order of COUNTER_COLUMN_NAMES. */
export function counterValues(counters: RunCounters): number[] {
  return [
    ...RECORD_COUNTERS.map((name) => counters[name]),
    counters.apiCalls.left,
    counters.apiCalls.right,
  ];
}

/** The counters of a sync_runs row (its columns by name). */
export function countersOfRow(row: Record<string, unknown>): RunCounters {
  const number = (column: string): number => Number(row[column] ?? 0);
  return countersOf(number, {
    left: number('api_calls_left'),
    right: number('api_calls_right'),
  });
}

/** `"read" = $<first>, "created" = $<first + 1>, …`: SET list of the counter columns. */
export function counterAssignments(first: number): string {
  return COUNTER_COLUMN_NAMES.map((name, index) => `"${name}" = $${String(first + index)}`).join(
    ', ',
  );
}

/** `"read" = "read" + $<first>, …`: SET list adding to the counter columns. */
export function counterIncrements(first: number): string {
  return COUNTER_COLUMN_NAMES.map(
    (name, index) => `"${name}" = "${name}" + $${String(first + index)}`,
  ).join(', ');
}

/** SET list of the counter columns from parameter $2 on (after the run id, $1). */
export const COUNTER_COLUMNS = counterAssignments(2);

/** `$n`: the parameter `offset` places after the counters' parameters, which start at `first`. */
export function afterCounters(first: number, offset = 0): string {
  return `$${String(first + COUNTER_COLUMN_NAMES.length + offset)}`;
}

/** `$n`: the parameter `offset` places after those of COUNTER_COLUMNS. */
export const afterCounterColumns = (offset = 0): string => afterCounters(2, offset);
