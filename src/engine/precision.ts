/**
 * Comparing two sides' change stamps when the vendors keep them at different precisions (each
 * connector declares its own in readTraits): one in whole seconds, one in milliseconds. A change
 * at 12:00:05.900 on the first reads as 12:00:05.000, so against a change at 12:00:05.300 on the
 * second it looks earlier when it was later. Two stamps equal at the coarser precision are a tie:
 * neither side can be said to be later, and the sync's tie-breaker decides.
 */
import type { Side } from './definition';

export type Latest = Side | 'tie';

/** Floors a time (ms since the epoch) to a multiple of `precisionMs`. */
function floorTo(ms: number, precisionMs: number): number {
  return Math.floor(ms / precisionMs) * precisionMs;
}

/**
 * Which side changed last, comparing at `precisionMs` (the coarser of the two sides' stamp
 * precisions); 'tie' when equal at that precision or when either stamp is unreadable.
 */
export function laterSide(leftAt: string, rightAt: string, precisionMs = 1): Latest {
  const left = Date.parse(leftAt);
  const right = Date.parse(rightAt);
  if (Number.isNaN(left) || Number.isNaN(right)) return 'tie';
  const precision = Math.max(1, precisionMs);
  const a = floorTo(left, precision);
  const b = floorTo(right, precision);
  if (a === b) return 'tie';
  return a > b ? 'left' : 'right';
}

/** The sync log's words for a tie, e.g. "… within the same 1 s (the precision of both stamps) …". */
export function tieNote(field: string, precisionMs: number, tieBreaker: Side): string {
  const within =
    precisionMs >= 1000 && precisionMs % 1000 === 0
      ? `${String(precisionMs / 1000)} s`
      : `${String(precisionMs)} ms`;
  return `latest_wins: both sides changed ${field} within the same ${within} (the precision of the coarser stamp), so neither is later: a tie, decided by the tie-breaker (${tieBreaker})`;
}
