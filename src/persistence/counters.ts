/** A run's counters as the columns of sync_runs store them. */
import type { RunCounters } from '../engine/ports';

/** The counters in the order of the columns from "read" to "api_calls_right". */
export function counterValues(counters: RunCounters): number[] {
  return [
    counters.read,
    counters.created,
    counters.updated,
    counters.unchanged,
    counters.skipped,
    counters.deleted,
    counters.conflicts,
    counters.failed,
    counters.apiCalls.left,
    counters.apiCalls.right,
  ];
}

/** SET list of the counter columns from parameters $2 to $11 (after the run id, $1). */
export const COUNTER_COLUMNS = `"read" = $2, "created" = $3, "updated" = $4, "unchanged" = $5,
  "skipped" = $6, "deleted" = $7, "conflicts" = $8, "failed" = $9, "api_calls_left" = $10,
  "api_calls_right" = $11`;
