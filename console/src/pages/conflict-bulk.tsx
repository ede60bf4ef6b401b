/** Several open conflicts of one sync resolved with one side's value each. */
import { useState, type ReactNode } from 'react';
import { describeError } from '../components/states';
import { count } from '../format';
import { useSession } from '../session';
import type { Conflict } from '../types';
import { useSides } from '../sides';

/**
 * Resolves the ticked open conflicts with one side's value each ("Keep HubSpot for 8"): the
 * sides are one sync's, so conflicts of several syncs are resolved a sync at a time.
 */
export interface BulkOutcome {
  text: string;
  failed: boolean;
}

export function BulkActions(props: {
  open: Conflict[];
  selected: ReadonlySet<string>;
  onSelect: (selected: ReadonlySet<string>) => void;
  onResolved: (resolved: Conflict[]) => void;
  outcome: BulkOutcome | undefined;
  onOutcome: (outcome: BulkOutcome | undefined) => void;
}): ReactNode {
  const { api } = useSession();
  const [busy, setBusy] = useState(false);
  const { outcome, onOutcome: setOutcome } = props;
  const chosen = props.open.filter((c) => props.selected.has(c.id));
  const syncIds = [...new Set(chosen.map((c) => c.syncId))];
  const sides = useSides(syncIds.length === 1 ? syncIds.at(0) : undefined);
  const all = chosen.length === props.open.length;

  async function resolve(side: 'left' | 'right'): Promise<void> {
    setBusy(true);
    setOutcome(undefined);
    try {
      const result = await api.post<{
        resolved: Conflict[];
        skipped: Array<{ id: string; status: string }>;
      }>('/conflicts/resolve', { ids: chosen.map((c) => c.id), side });
      props.onResolved(result.resolved);
      props.onSelect(new Set());
      setOutcome({
        text:
          `${count(result.resolved.length)} conflict${result.resolved.length === 1 ? '' : 's'} resolved: the next run keeps the ${sides[side].name} value` +
          (result.skipped.length === 0
            ? '.'
            : `; ${count(result.skipped.length)} left as they were (resolved meanwhile or gone).`),
        failed: false,
      });
    } catch (error) {
      setOutcome({
        text: describeError(error instanceof Error ? error : new Error(String(error))),
        failed: true,
      });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="bulk-actions" role="group" aria-label="Resolve several conflicts">
      {props.open.length > 1 && (
        <label>
          <input
            type="checkbox"
            checked={all}
            onChange={() => {
              props.onSelect(all ? new Set() : new Set(props.open.map((c) => c.id)));
            }}
          />{' '}
          Select all {count(props.open.length)} open
        </label>
      )}
      {chosen.length > 0 &&
        (syncIds.length === 1 ? (
          <>
            <button type="button" disabled={busy} onClick={() => void resolve('left')}>
              Keep {sides.left.name} for {count(chosen.length)}
            </button>
            <button type="button" disabled={busy} onClick={() => void resolve('right')}>
              Keep {sides.right.name} for {count(chosen.length)}
            </button>
          </>
        ) : (
          <span className="muted small">
            These are of {count(syncIds.length)} syncs: select one sync’s to resolve them together.
          </span>
        ))}
      {outcome !== undefined && (
        <p className={outcome.failed ? 'inline-error' : 'state'} role="status">
          {outcome.text}
        </p>
      )}
    </div>
  );
}
