/**
 * The first run's guard against mass duplication: before a records sync's first run, a sample of
 * each source side is matched as a preview would (nothing written); when more than a set share of
 * either side would be created for want of a match, the run waits for a person to confirm it.
 */
import type { RecordConnector } from '../../connectors/sdk/contract';
import { SIDES } from '../sync-definition/schema';
import type { Side, SyncDefinition } from './definition';
import type { SyncStore } from './ports';
import { type MatchEstimate, previewSync } from './preview';

/** The share of a side's sampled records created without a match above which a first run waits. */
export const DEFAULT_FIRST_RUN_MAX_UNMATCHED = 0.5;

/** Records read per source side for the estimate. */
export const FIRST_RUN_SAMPLE = 100;

/** "1 of 3 left records match a right record (33%); 2 would be created on the right". */
export function describeMatch(side: Side, estimate: MatchEstimate): string {
  const other = side === 'left' ? 'right' : 'left';
  const matching = estimate.linked + estimate.matched;
  const share = estimate.considered === 0 ? 0 : Math.round((100 * matching) / estimate.considered);
  const records = estimate.considered === 1 ? 'record' : 'records';
  const linked = estimate.linked > 0 ? ` (${String(estimate.linked)} already linked)` : '';
  const ambiguous =
    estimate.ambiguous > 0 ? `; ${String(estimate.ambiguous)} ambiguous, left alone` : '';
  return `${String(matching)} of ${String(estimate.considered)} ${side} ${records} match a ${other} record${linked} (${String(share)}%); ${String(estimate.created)} would be created on the ${other}${ambiguous}`;
}

export interface FirstRunOptions {
  definition: SyncDefinition;
  left: RecordConnector;
  right: RecordConnector;
  store: Pick<SyncStore, 'findLinks'>;
  /** 0 to 1: a side whose share of unmatched creates is above it makes the run wait. */
  maxUnmatched: number;
  sample?: number;
}

/**
 * Why the first run must wait for confirmation, in words; undefined when its sample matches well
 * enough (or nothing was read).
 */
export async function firstRunWait(options: FirstRunOptions): Promise<string | undefined> {
  const preview = await previewSync({ ...options, sample: options.sample ?? FIRST_RUN_SAMPLE });
  if (preview.problems.length > 0) return undefined;
  const over = SIDES.filter((side) => {
    const estimate = preview.matching[side];
    return estimate.considered > 0 && estimate.created / estimate.considered > options.maxUnmatched;
  });
  if (over.length === 0) return undefined;
  const limit = Math.round(options.maxUnmatched * 100);
  const sides = over.map((side) => describeMatch(side, preview.matching[side])).join('; ');
  return `The first run waits for confirmation: on a sample, ${sides} (more than ${String(limit)}% without a match). Check the match rule (field, normaliser), then confirm the first run.`;
}
