/** What a written page's records come to: failures to queue, outcomes, changes for the log. */
import type { FieldValue, Fields, WriteResult } from '../../connectors/sdk/contract';
import type { ErrorCode } from '../../connectors/sdk/errors';
import { type Side, otherSide } from './definition';
import type { SideOutcome } from './merge';
import type { PlanItem } from './plan';
import type { FieldChange } from './ports';

export interface Failure {
  side: Side;
  recordId: string;
  code: ErrorCode;
  message: string;
  operation: 'change' | 'delete';
}

/** The (side, id) of every record whose failure must be queued, known before the commit is built. */
export function failuresOf(items: readonly PlanItem[]): Array<{ side: Side; recordId: string }> {
  const keys: Array<{ side: Side; recordId: string }> = [];
  for (const item of items) {
    if (item.kind === 'invalid' || (item.kind === 'skipped' && item.action === 'ambiguous_match')) {
      keys.push({ side: item.source, recordId: item.record.id });
    }
    if (item.kind === 'create' && item.write.result?.status === 'failed')
      keys.push({ side: item.source, recordId: item.record.id });
    if (item.kind === 'pair') {
      for (const target of ['left', 'right'] as const) {
        if (item.writes[target]?.result?.status === 'failed') {
          const from = otherSide(target);
          keys.push({ side: from, recordId: from === 'left' ? item.left.id : item.right.id });
        }
      }
    }
  }
  return keys;
}

export function outcomeOf(result: WriteResult | undefined): SideOutcome {
  if (result === undefined) return null;
  if (result.status === 'failed') return { ok: false };
  return result.record === undefined ? { ok: true } : { ok: true, stored: result.record.fields };
}

export function idsOf(
  side: Side,
  sourceId: string,
  otherId: string | null,
): { leftId: string | null; rightId: string | null } {
  return side === 'left'
    ? { leftId: sourceId, rightId: otherId }
    : { leftId: otherId, rightId: sourceId };
}

/** The fields written, each with its value before (`before`'s, or null) and the value sent. */
export function changesOf(written: Fields, before: Fields | null): FieldChange[] {
  return Object.entries(written).map(([field, to]) => ({
    field,
    from: before === null ? null : (before[field] ?? null),
    to,
  }));
}

/** What the log keeps of a sensitive field's value: that it had one. */
export const MASKED_VALUE = '••••';

export function masked(changes: FieldChange[], sensitive: ReadonlySet<string>): FieldChange[] {
  if (sensitive.size === 0) return changes;
  const mask = (value: FieldValue): FieldValue => (value === null ? null : MASKED_VALUE);
  return changes.map((change) =>
    sensitive.has(change.field)
      ? { field: change.field, from: mask(change.from), to: mask(change.to) }
      : change,
  );
}
