/**
 * The three-way merge of one linked pair (DESIGN.md step 5), field by field, in each side's own
 * value space, against the link's snapshot; and the conflict policies.
 */
import type { ConnectorRecord, FieldValue, Fields } from '../../connectors/sdk/contract';
import type { ConflictPolicy, Side } from './definition';
import { type CompiledMapping, type CompiledSync, fieldOn, transformFrom } from './compile';
import { laterSide, tieNote } from './precision';
import { fieldOf, hasField, isBlank, valuesEqual } from './values';

export { CONFLICT_POLICIES } from '../sync-definition/schema';

export interface ConflictContext {
  leftValue: FieldValue;
  rightValue: FieldValue;
  /** updatedAt of each side's record (ISO). */
  leftUpdatedAt: string;
  rightUpdatedAt: string;
  tieBreaker: Side;
  /** The coarser precision of the two sides' stamps, in ms (1 when both are exact). */
  stampPrecisionMs?: number;
  /** `unsubscribe_wins`: whether each side's value means the person opted out. */
  optedOut?: Record<Side, boolean>;
}

/** Which side's value wins when both changed a field to different values; 'manual' writes neither. */
export function resolveByPolicy(policy: ConflictPolicy, context: ConflictContext): Side | 'manual' {
  switch (policy) {
    case 'left_wins':
      return 'left';
    case 'right_wins':
      return 'right';
    case 'prefer_left_unless_blank':
      return isBlank(context.leftValue) && !isBlank(context.rightValue) ? 'right' : 'left';
    case 'prefer_right_unless_blank':
      return isBlank(context.rightValue) && !isBlank(context.leftValue) ? 'left' : 'right';
    case 'latest_wins': {
      const later = laterSide(
        context.leftUpdatedAt,
        context.rightUpdatedAt,
        context.stampPrecisionMs,
      );
      return later === 'tie' ? context.tieBreaker : later;
    }
    case 'manual':
      return 'manual';
    case 'unsubscribe_wins': {
      const { left, right } = context.optedOut ?? { left: false, right: false };
      if (left !== right) return left ? 'left' : 'right';
      return resolveByPolicy('latest_wins', context);
    }
    default: {
      const unreachable: never = policy;
      return unreachable;
    }
  }
}

export interface LinkSnapshot {
  left: Fields;
  right: Fields;
}

/** What the merge decided for one mapped field. */
export interface FieldDecision {
  mapping: CompiledMapping;
  /** Current values on each side. */
  leftValue: FieldValue;
  rightValue: FieldValue;
  /** The side written and the value written there (in that side's form), if any. */
  write: { side: Side; value: FieldValue } | null;
  /** Both changed to different values under `manual`. */
  conflict: boolean;
  /** Why the winner won, when the sync log should say it (a latest_wins tie). */
  note?: string;
  /**
   * A change not written under `unsubscribe_wins`: `side` holds an opted-out value the change
   * would have replaced by one that is not (the sync log says so on that side).
   */
  held?: { side: Side; note: string };
}

export interface PairMerge {
  decisions: FieldDecision[];
  /** Fields to write per side, keyed by that side's field names; empty when nothing to write. */
  writes: Record<Side, Fields>;
  conflicts: FieldDecision[];
}

function changedSince(snapshot: Fields | null, field: string, value: FieldValue): boolean {
  if (snapshot === null || !hasField(snapshot, field)) return true;
  return !valuesEqual(value, snapshot[field]);
}

/** Whether a record read on `side` changed any field that can flow from it, against the snapshot. */
export function hasChangesFrom(
  sync: CompiledSync,
  side: Side,
  fields: Fields,
  snapshot: LinkSnapshot,
): boolean {
  for (const mapping of sync.mappings) {
    // A mapping added since the last commit (or a write that failed on a new link) has no base.
    if (!hasField(snapshot.left, mapping.left) || !hasField(snapshot.right, mapping.right))
      return true;
    const canFlow = side === 'left' ? mapping.toRightEnabled : mapping.toLeftEnabled;
    if (!canFlow) continue;
    const name = fieldOn(mapping, side);
    if (changedSince(snapshot[side], name, fieldOf(fields, name))) return true;
  }
  return false;
}

/**
 * The value `from`'s current value becomes on the other side, or null when nothing should be
 * written (options, or the other side already holds it).
 */
async function planFlow(
  mapping: CompiledMapping,
  from: Side,
  source: ConnectorRecord,
  targetValue: FieldValue,
): Promise<FieldValue | undefined> {
  const value = await transformFrom(mapping, from)(
    fieldOf(source.fields, fieldOn(mapping, from)),
    source.fields,
  );
  if (mapping.skipNulls && isBlank(value)) return undefined;
  if (mapping.fillEmptyOnly && !isBlank(targetValue)) return undefined;
  if (valuesEqual(value, targetValue)) return undefined;
  return value;
}

async function agree(
  mapping: CompiledMapping,
  left: ConnectorRecord,
  right: ConnectorRecord,
  leftValue: FieldValue,
  rightValue: FieldValue,
): Promise<boolean> {
  if (valuesEqual(leftValue, rightValue)) return true;
  if (
    mapping.toRightEnabled &&
    valuesEqual(await mapping.toRight(leftValue, left.fields), rightValue)
  )
    return true;
  return (
    mapping.toLeftEnabled && valuesEqual(await mapping.toLeft(rightValue, right.fields), leftValue)
  );
}

async function decideField(
  sync: CompiledSync,
  mapping: CompiledMapping,
  left: ConnectorRecord,
  right: ConnectorRecord,
  snapshot: LinkSnapshot | null,
  stampPrecisionMs: number,
): Promise<FieldDecision> {
  const leftValue = fieldOf(left.fields, mapping.left);
  const rightValue = fieldOf(right.fields, mapping.right);
  const decision: FieldDecision = { mapping, leftValue, rightValue, write: null, conflict: false };
  const leftChanged = changedSince(snapshot?.left ?? null, mapping.left, leftValue);
  const rightChanged = changedSince(snapshot?.right ?? null, mapping.right, rightValue);
  let from: Side | null = null;
  if (mapping.toRightEnabled && mapping.toLeftEnabled) {
    if (leftChanged && rightChanged) {
      if (await agree(mapping, left, right, leftValue, rightValue)) return decision;
      const winner = resolveByPolicy(mapping.policy, {
        leftValue,
        rightValue,
        leftUpdatedAt: left.updatedAt,
        rightUpdatedAt: right.updatedAt,
        tieBreaker: sync.definition.tieBreaker,
        stampPrecisionMs,
        optedOut: {
          left: isOptedOut(mapping, 'left', leftValue),
          right: isOptedOut(mapping, 'right', rightValue),
        },
      });
      if (winner === 'manual') return { ...decision, conflict: true };
      from = winner;
      if (
        mapping.policy === 'latest_wins' &&
        laterSide(left.updatedAt, right.updatedAt, stampPrecisionMs) === 'tie'
      )
        decision.note = tieNote(
          `${mapping.left} ↔ ${mapping.right}`,
          stampPrecisionMs,
          sync.definition.tieBreaker,
        );
    } else if (leftChanged) from = 'left';
    else if (rightChanged) from = 'right';
  } else if (mapping.toRightEnabled && leftChanged) from = 'left';
  else if (mapping.toLeftEnabled && rightChanged) from = 'right';
  if (from === null) return decision;
  const target: Side = from === 'left' ? 'right' : 'left';
  const value = await planFlow(
    mapping,
    from,
    from === 'left' ? left : right,
    target === 'left' ? leftValue : rightValue,
  );
  if (value === undefined) return decision;
  const current = target === 'left' ? leftValue : rightValue;
  if (
    mapping.policy === 'unsubscribe_wins' &&
    isOptedOut(mapping, target, current) &&
    !isOptedOut(mapping, target, value)
  )
    return {
      ...decision,
      held: {
        side: target,
        note: `kept ${fieldOn(mapping, target)} opted out (${JSON.stringify(current)}): under unsubscribe_wins a sync never writes ${JSON.stringify(value)} over an unsubscribe`,
      },
    };
  return { ...decision, write: { side: target, value } };
}

/** Whether `value` on `side` means the person opted out, by the mapping's `optOut` values. */
export function isOptedOut(mapping: CompiledMapping, side: Side, value: FieldValue): boolean {
  return mapping.optOut[side].some((optedOut) => valuesEqual(optedOut, value));
}

/**
 * Merges a pair; `snapshot` null means a link made just now by matching (no common base).
 * `stampPrecisionMs`: the coarser of the two sides' updatedAt precisions (see precision.ts).
 */
export async function mergePair(
  sync: CompiledSync,
  left: ConnectorRecord,
  right: ConnectorRecord,
  snapshot: LinkSnapshot | null,
  stampPrecisionMs = 1,
): Promise<PairMerge> {
  const decisions: FieldDecision[] = [];
  const writes: Record<Side, Fields> = { left: {}, right: {} };
  const conflicts: FieldDecision[] = [];
  for (const mapping of sync.mappings) {
    const decision = await decideField(sync, mapping, left, right, snapshot, stampPrecisionMs);
    decisions.push(decision);
    if (decision.conflict) conflicts.push(decision);
    if (decision.write !== null)
      writes[decision.write.side][fieldOn(mapping, decision.write.side)] = decision.write.value;
  }
  return { decisions, writes, conflicts };
}

/** What a write reported for one side of a pair. */
export type SideOutcome = { ok: true; stored?: Fields } | { ok: false } | null;

/**
 * The snapshot after the pair's writes: what each side now holds for every mapped field. Fields
 * whose write failed keep their old base, so the change is still seen (and retried) next time;
 * written fields take the vendor's stored value when it reported one, so normalisation by the
 * vendor does not look like a change (no echo).
 */
export function nextSnapshot(
  previous: LinkSnapshot | null,
  decisions: readonly FieldDecision[],
  outcomes: Record<Side, SideOutcome>,
): LinkSnapshot {
  const next: LinkSnapshot = {
    left: { ...(previous?.left ?? {}) },
    right: { ...(previous?.right ?? {}) },
  };
  for (const decision of decisions) {
    const { mapping } = decision;
    if (decision.write === null) {
      next.left[mapping.left] = decision.leftValue;
      next.right[mapping.right] = decision.rightValue;
      continue;
    }
    const side = decision.write.side;
    const outcome = outcomes[side];
    if (outcome === null || !outcome.ok) continue;
    const targetField = fieldOn(mapping, side);
    const stored =
      outcome.stored !== undefined && hasField(outcome.stored, targetField)
        ? fieldOf(outcome.stored, targetField)
        : decision.write.value;
    if (side === 'right') {
      next.left[mapping.left] = decision.leftValue;
      next.right[mapping.right] = stored;
    } else {
      next.right[mapping.right] = decision.rightValue;
      next.left[mapping.left] = stored;
    }
  }
  return next;
}
