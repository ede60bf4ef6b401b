/**
 * The first run's confirmation (DESIGN-facing: README "First runs"): a records sync that never
 * ended a run estimates its match rate on a sample before it writes anything; when too few records
 * would match, the run ends `cancelled` with errorCode `confirmation_required` and its reason, and
 * waits for a run asked for with `confirmFirstRun`.
 */
import type { Logger } from '@nestjs/common';
import { type AnyConnector, asRecordConnector } from '../../connectors/sdk/contract';
import { asRecordsSync, type SyncRunResult } from '../engine';
import { firstRunWait } from '../engine/first-run';
import { countersOfRow } from '../persistence/counters';
import type { LeasedRunStore } from '../persistence/leased-run-store';
import type { ClaimedRow } from '../persistence/run-leases';
import type { RunRepository } from '../persistence/run.repository';
import type { SyncEntity } from '../persistence/sync.entity';

export interface FirstRunGate {
  claimed: ClaimedRow;
  sync: SyncEntity;
  left: AnyConnector;
  right: AnyConnector;
  store: LeasedRunStore;
  runs: RunRepository;
  /** RunsOptions.firstRunMaxUnmatched. */
  maxUnmatched: number;
  logger: Logger;
}

/**
 * Ends the claimed run as waiting for confirmation when it must (a records sync's first run only);
 * true when it did.
 */
export async function waitsForConfirmation(gate: FirstRunGate): Promise<boolean> {
  const { claimed, sync } = gate;
  const definition = asRecordsSync(sync.definition);
  if (definition === undefined || claimed.first_run_confirmed || claimed.retry_only) return false;
  // Taken over from a worker that stopped: the run passed the guard when it started.
  if (claimed.previous_status === 'running') return false;
  if (gate.maxUnmatched >= 1 || (await gate.runs.hasEndedRun(sync.id))) return false;
  const reason = await firstRunWait({
    definition,
    left: asRecordConnector(gate.left),
    right: asRecordConnector(gate.right),
    store: gate.store,
    maxUnmatched: gate.maxUnmatched,
  });
  if (reason === undefined) return false;
  const now = new Date().toISOString();
  const result: SyncRunResult = {
    runId: claimed.id,
    syncId: sync.id,
    status: 'cancelled',
    counters: {
      ...countersOfRow(claimed),
      apiCalls: { left: gate.left.callCount(), right: gate.right.callCount() },
    },
    startedAt: now,
    finishedAt: now,
    error: reason,
    errorCode: 'confirmation_required',
    problems: [],
  };
  await gate.store.finishRun(claimed.id, result);
  gate.logger.warn({ runId: claimed.id, syncId: sync.id }, `Run of "${sync.name}": ${reason}`);
  return true;
}
