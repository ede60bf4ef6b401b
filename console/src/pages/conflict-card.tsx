/** One conflict: both sides' values, its resolution, and the actions that resolve it. */
import { useId, useState, type SubmitEvent, type ReactNode } from 'react';
import { ApiError } from '../api';
import { When } from '../components/badges';
import { InlineError, describeError } from '../components/states';
import { Value, valueText } from '../components/values';
import { fromNow } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import type { Conflict, ConflictStatus, FieldValue, Sync } from '../types';
import { useSides, VendorLink, type SyncSides } from '../sides';

const STATUS_TONE: Record<ConflictStatus, string> = {
  open: 'warn',
  resolved: 'info',
  applied: 'good',
};

function resolutionText(conflict: Conflict, sides: SyncSides): string | undefined {
  const r = conflict.resolution;
  if (r === null) return undefined;
  if (r.side === 'left')
    return `keep the ${sides.left.name} value (${valueText(conflict.leftValue)})`;
  if (r.side === 'right')
    return `keep the ${sides.right.name} value (${valueText(conflict.rightValue)})`;
  return `write ${valueText(r.value ?? null)} to both sides`;
}

/** The custom value typed, as the left value's type when it reads as one. */
function customValue(text: string, like: FieldValue): FieldValue {
  if (typeof like === 'number' && text.trim() !== '' && Number.isFinite(Number(text)))
    return Number(text);
  if (typeof like === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  if (Array.isArray(like))
    return text
      .split(';')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  return text;
}

/** Why a resolution was refused, in the words of the card. */
function resolveProblem(error: unknown): string {
  if (error instanceof ApiError && error.code === 'conflict_not_open')
    return 'Someone resolved this conflict meanwhile. Refresh to see how.';
  // A custom value the field does not take: say why, with the values it does take.
  if (error instanceof ApiError && error.detail('value') !== undefined)
    return `This value does not fit. ${error.detail('value') ?? ''}`;
  return describeError(error instanceof Error ? error : new Error(String(error)));
}

export function ConflictCard(props: {
  conflict: Conflict;
  sync: Sync | undefined;
  showSync: boolean;
  onResolved: (conflict: Conflict) => void;
  /** Undefined: not offered for a bulk resolution. */
  selected?: boolean;
  onSelect: (selected: boolean) => void;
}): ReactNode {
  const { api, can } = useSession();
  const { conflict } = props;
  const sides = useSides(conflict.syncId);
  const headingId = useId();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const field =
    conflict.leftField === conflict.rightField
      ? conflict.leftField
      : `${conflict.leftField} ↔ ${conflict.rightField}`;

  async function resolve(body: Resolution): Promise<void> {
    setBusy(true);
    setProblem(undefined);
    try {
      props.onResolved(
        await api.post<Conflict>(`/conflicts/${encodeURIComponent(conflict.id)}/resolve`, body),
      );
    } catch (error) {
      setProblem(resolveProblem(error));
    } finally {
      setBusy(false);
    }
  }

  const resolution = resolutionText(conflict, sides);
  return (
    <article
      className="conflict"
      aria-labelledby={headingId}
      data-conflict-id={conflict.id}
      data-conflict-status={conflict.status}
    >
      <ConflictHeader
        conflict={conflict}
        field={field}
        headingId={headingId}
        sync={props.sync}
        showSync={props.showSync}
        selected={props.selected}
        onSelect={props.onSelect}
      />
      {conflict.note !== null && conflict.status === 'open' && (
        <p className="conflict-note" role="note">
          Raised again: {conflict.note}
        </p>
      )}
      <ConflictSides conflict={conflict} sides={sides} />
      {resolution !== undefined && (
        <p className="conflict-resolution">
          {conflict.status === 'applied' ? (
            <>
              Applied <When iso={conflict.appliedAt} format={fromNow} />: {resolution}.
            </>
          ) : (
            <>
              Resolved <When iso={conflict.resolvedAt} format={fromNow} />: the next run will{' '}
              {resolution}.
            </>
          )}
        </p>
      )}
      {conflict.status === 'resolved' && conflict.writeFailure !== null && (
        <p className="inline-error conflict-failure" role="alert">
          Not written by the last run (<When iso={conflict.writeFailure.at} format={fromNow} />
          ): <code>{conflict.writeFailure.code}</code> {conflict.writeFailure.message}. Each run
          tries again until the vendor takes it.
        </p>
      )}
      {conflict.status === 'open' && can('config:write') && (
        <ConflictActions
          conflict={conflict}
          sides={sides}
          busy={busy}
          onResolve={(body) => void resolve(body)}
        />
      )}
      <InlineError problem={problem} />
    </article>
  );
}

/** Both sides of the conflict: field, value and record of each. */
function ConflictSides(props: { conflict: Conflict; sides: SyncSides }): ReactNode {
  const { conflict, sides } = props;
  const of = {
    left: { field: conflict.leftField, value: conflict.leftValue, id: conflict.leftId },
    right: { field: conflict.rightField, value: conflict.rightValue, id: conflict.rightId },
  };
  return (
    <div className="conflict-sides">
      {(['left', 'right'] as const).map((side) => (
        <dl key={side} className="conflict-side" aria-label={`${sides[side].name} side`}>
          <dt>{sides[side].name} field</dt>
          <dd>
            <code>{of[side].field}</code>
          </dd>
          <dt>{sides[side].name} value</dt>
          <dd className="conflict-value" data-side={side}>
            <Value value={of[side].value} />
          </dd>
          <dt>{sides[side].name} record</dt>
          <dd>
            <code>{of[side].id}</code> <VendorLink side={sides[side]} id={of[side].id} />
          </dd>
        </dl>
      ))}
    </div>
  );
}

type Resolution = { side: 'left' | 'right' } | { value: FieldValue };

/** Keep one side's value, or write a value of one's own. */
function ConflictActions(props: {
  conflict: Conflict;
  sides: SyncSides;
  busy: boolean;
  onResolve: (resolution: Resolution) => void;
}): ReactNode {
  const { conflict, sides } = props;
  const customId = useId();
  const [custom, setCustom] = useState('');

  function onCustom(event: SubmitEvent<HTMLFormElement>): void {
    event.preventDefault();
    props.onResolve({ value: customValue(custom, conflict.leftValue) });
  }

  return (
    <div className="conflict-actions">
      <button
        type="button"
        disabled={props.busy}
        onClick={() => {
          props.onResolve({ side: 'left' });
        }}
        aria-label={`Keep ${sides.left.name}: ${valueText(conflict.leftValue)}`}
      >
        Keep {sides.left.name}
      </button>
      <button
        type="button"
        disabled={props.busy}
        onClick={() => {
          props.onResolve({ side: 'right' });
        }}
        aria-label={`Keep ${sides.right.name}: ${valueText(conflict.rightValue)}`}
      >
        Keep {sides.right.name}
      </button>
      <form className="inline-form" onSubmit={onCustom}>
        <label htmlFor={customId}>Custom value</label>
        <input
          id={customId}
          type="text"
          value={custom}
          onChange={(event) => {
            setCustom(event.target.value);
          }}
          aria-describedby={`${customId}-hint`}
        />
        <button type="submit" disabled={props.busy}>
          Use this value
        </button>
        <span id={`${customId}-hint`} className="muted small">
          As {sides.left.name} writes it; the mapping transforms it for {sides.right.name}.
        </span>
      </form>
    </div>
  );
}

/** The field in conflict, its status, where and when it was found; a tick box for bulk resolution. */
function ConflictHeader(props: {
  conflict: Conflict;
  field: string;
  headingId: string;
  sync: Sync | undefined;
  showSync: boolean;
  selected?: boolean;
  onSelect: (selected: boolean) => void;
}): ReactNode {
  const { conflict, field, headingId } = props;
  return (
    <header className="conflict-header">
      {props.selected !== undefined && (
        <input
          type="checkbox"
          checked={props.selected}
          aria-label={`Select the conflict on ${field} of ${conflict.leftId}`}
          onChange={(event) => {
            props.onSelect(event.target.checked);
          }}
        />
      )}
      <h2 id={headingId} className="conflict-title">
        <code>{field}</code>
      </h2>
      <span className={`badge badge-${STATUS_TONE[conflict.status]}`} data-status={conflict.status}>
        {conflict.status}
      </span>
      {props.showSync && (
        <span className="muted small">
          in{' '}
          <Link to={{ page: 'sync', id: conflict.syncId }}>
            {props.sync?.name ?? conflict.syncId}
          </Link>
        </span>
      )}
      <span className="muted small">
        found <When iso={conflict.createdAt} format={fromNow} />
      </span>
    </header>
  );
}
