/**
 * Conflicts: a field changed differently on both sides under a `manual` policy. Both values side
 * by side; resolve with the left one, the right one or a value of your own (keys with
 * config:write); the next run writes it, which "Run now" starts and the page follows until the
 * conflict reads `applied`.
 */
import { useEffect, useId, useRef, useState, type SubmitEvent, type ReactNode } from 'react';
import { ApiError, getAll, type Api } from '../api';
import { RunStatusBadge, When } from '../components/badges';
import { Empty, ErrorState, Loading, describeError } from '../components/states';
import { Value, valueText } from '../components/values';
import { count, fromNow } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import type { Conflict, ConflictStatus, FieldValue, Page, Run, Sync } from '../types';
import { isActive } from '../types';
import { useSides, VendorLink, type SyncSides } from '../sides';
import { useLoad } from '../use-load';

const PAGE_SIZE = 50;
const POLL_MS = 1000;

type Filter = ConflictStatus | 'all';

const FILTERS: Array<{ value: Filter; label: string }> = [
  { value: 'open', label: 'Open (to resolve)' },
  { value: 'resolved', label: 'Resolved (waiting for the next run)' },
  { value: 'applied', label: 'Applied' },
  { value: 'all', label: 'All' },
];

const STATUS_TONE: Record<ConflictStatus, string> = {
  open: 'warn',
  resolved: 'info',
  applied: 'good',
};

function listPath(syncId: string | undefined, filter: Filter, cursor: string | null): string {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (filter !== 'all') query.set('status', filter);
  if (cursor !== null) query.set('cursor', cursor);
  return syncId === undefined
    ? `/conflicts?${query.toString()}`
    : `/syncs/${encodeURIComponent(syncId)}/conflicts?${query.toString()}`;
}

interface Loaded {
  syncs: Map<string, Sync>;
  page: Page<Conflict>;
}

async function loadConflicts(
  api: Api,
  syncId: string | undefined,
  filter: Filter,
  signal: AbortSignal,
): Promise<Loaded> {
  const [syncs, page] = await Promise.all([
    getAll<Sync>(api, '/syncs', signal),
    api.get<Page<Conflict>>(listPath(syncId, filter, null), signal),
  ]);
  return { syncs: new Map(syncs.map((sync) => [sync.id, sync])), page };
}

export function ConflictsPage(props: { syncId?: string }): ReactNode {
  const { api, can, me } = useSession();
  const filterId = useId();
  const [filter, setFilter] = useState<Filter>('open');
  const loaded = useLoad(`conflicts:${props.syncId ?? '*'}:${filter}`, (signal) =>
    loadConflicts(api, props.syncId, filter, signal),
  );
  // The list as shown: the loaded page, more pages, and conflicts updated in place.
  const [items, setItems] = useState<Conflict[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [moreError, setMoreError] = useState<string | undefined>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [panels, setPanels] = useState<string[]>([]);
  // Open conflicts ticked for a bulk resolution.
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  // What the last bulk resolution did, kept on screen once no open conflict is left to tick.
  const [bulkOutcome, setBulkOutcome] = useState<BulkOutcome | undefined>();
  const page = loaded.data?.page;
  useEffect(() => {
    if (page === undefined) return;
    setItems(page.items);
    setCursor(page.nextCursor);
    setPanels([]);
    setSelected(new Set());
    setBulkOutcome(undefined);
  }, [page]);
  const resolvedSyncs = [
    ...new Set(items.filter((c) => c.status === 'resolved').map((c) => c.syncId)),
  ];
  const newPanels = resolvedSyncs.filter((syncId) => !panels.includes(syncId));
  useEffect(() => {
    if (newPanels.length > 0) setPanels((current) => [...current, ...newPanels]);
  }, [newPanels.join(',')]);

  if (!can('read')) {
    return (
      <>
        <h1>Conflicts</h1>
        <Empty>
          <p>
            This key has the <strong>{me.role}</strong> role: it may not read conflicts.
          </p>
        </Empty>
      </>
    );
  }

  const sync = props.syncId === undefined ? undefined : loaded.data?.syncs.get(props.syncId);
  const title = sync === undefined ? 'Conflicts' : `Conflicts of ${sync.name}`;

  async function loadMore(): Promise<void> {
    if (cursor === null) return;
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      const next = await api.get<Page<Conflict>>(listPath(props.syncId, filter, cursor));
      setItems((current) => [...current, ...next.items]);
      setCursor(next.nextCursor);
    } catch (error) {
      setMoreError(describeError(error instanceof Error ? error : new Error(String(error))));
    } finally {
      setLoadingMore(false);
    }
  }

  function replace(conflict: Conflict): void {
    setItems((current) => current.map((c) => (c.id === conflict.id ? conflict : c)));
    setSelected((current) => {
      if (!current.has(conflict.id)) return current;
      const next = new Set(current);
      next.delete(conflict.id);
      return next;
    });
  }

  const selectable = can('config:write');
  const open = items.filter((c) => c.status === 'open');

  // Resolved conflicts in view wait for their sync's next run: one "Run now" per sync.
  const waiting = new Map<string, number>();
  for (const c of items)
    if (c.status === 'resolved') waiting.set(c.syncId, (waiting.get(c.syncId) ?? 0) + 1);
  // A sync's panel stays once shown, so that its run's outcome stays on screen after it applied.
  for (const syncId of panels) if (!waiting.has(syncId)) waiting.set(syncId, 0);

  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={{ page: 'overview' }}>Overview</Link> <span aria-hidden="true">/</span>{' '}
        {props.syncId !== undefined && (
          <>
            <Link to={{ page: 'sync', id: props.syncId }}>{sync?.name ?? 'Sync'}</Link>{' '}
            <span aria-hidden="true">/</span>{' '}
          </>
        )}
        Conflicts
      </nav>
      <div className="page-heading">
        <h1>{title}</h1>
        <div className="page-actions">
          <label htmlFor={filterId}>Show</label>
          <select
            id={filterId}
            value={filter}
            onChange={(event) => {
              setFilter(event.target.value as Filter);
            }}
          >
            {FILTERS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
          <button type="button" onClick={loaded.reload} disabled={loaded.refreshing}>
            Refresh
          </button>
        </div>
      </div>
      <p className="muted">
        A conflict is a field whose policy is <em>manual</em> that changed on both sides since the
        last run.{' '}
        {can('config:write')
          ? 'Keep one side’s value or enter your own; the next run writes it to both sides.'
          : 'This key may read conflicts but not resolve them (that needs an editor or admin key).'}
      </p>
      {loaded.state === 'loading' && <Loading what="the conflicts" />}
      {loaded.state === 'error' && <ErrorState error={loaded.error} onRetry={loaded.reload} />}
      {loaded.data !== undefined && (
        <>
          {[...waiting.entries()].map(([syncId, n]) => (
            <NextRun
              key={syncId}
              syncId={syncId}
              syncName={loaded.data?.syncs.get(syncId)?.name ?? syncId}
              resolved={n}
              onFinished={async () => {
                const ids = items.filter((c) => c.syncId === syncId && c.status === 'resolved');
                const fresh = await Promise.all(
                  ids.map((c) => api.get<Conflict>(`/conflicts/${encodeURIComponent(c.id)}`)),
                );
                for (const conflict of fresh) replace(conflict);
              }}
            />
          ))}
          {items.length === 0 ? (
            <Empty>
              <p>
                {filter === 'open'
                  ? 'No open conflicts: nothing waits for a decision.'
                  : 'No conflicts with this status.'}{' '}
                Conflicts appear when a field whose policy is <em>manual</em> changes on both sides
                between two runs.
              </p>
            </Empty>
          ) : (
            <>
              <p className="muted" aria-live="polite">
                {count(items.length)}
                {cursor !== null ? '+' : ''} conflict{items.length === 1 ? '' : 's'} shown, oldest
                first.
              </p>
              {selectable && (open.length > 1 || bulkOutcome !== undefined) && (
                <BulkActions
                  open={open}
                  selected={selected}
                  onSelect={setSelected}
                  outcome={bulkOutcome}
                  onOutcome={setBulkOutcome}
                  onResolved={(resolved) => {
                    for (const conflict of resolved) replace(conflict);
                  }}
                />
              )}
              <ol className="conflict-list">
                {items.map((conflict) => (
                  <li key={conflict.id}>
                    <ConflictCard
                      conflict={conflict}
                      sync={loaded.data?.syncs.get(conflict.syncId)}
                      showSync={props.syncId === undefined}
                      onResolved={replace}
                      selected={
                        selectable && open.length > 1 && conflict.status === 'open'
                          ? selected.has(conflict.id)
                          : undefined
                      }
                      onSelect={(on) => {
                        setSelected((current) => {
                          const next = new Set(current);
                          if (on) next.add(conflict.id);
                          else next.delete(conflict.id);
                          return next;
                        });
                      }}
                    />
                  </li>
                ))}
              </ol>
              {cursor !== null && (
                <button type="button" onClick={() => void loadMore()} disabled={loadingMore}>
                  {loadingMore ? 'Loading…' : 'Show more'}
                </button>
              )}
              {moreError !== undefined && (
                <p className="inline-error" role="alert">
                  {moreError}
                </p>
              )}
            </>
          )}
        </>
      )}
    </>
  );
}

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

/**
 * Resolves the ticked open conflicts with one side's value each ("Keep HubSpot for 8"): the
 * sides are one sync's, so conflicts of several syncs are resolved a sync at a time.
 */
interface BulkOutcome {
  text: string;
  failed: boolean;
}

function BulkActions(props: {
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

function ConflictCard(props: {
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
  const customId = useId();
  const headingId = useId();
  const [custom, setCustom] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const field =
    conflict.leftField === conflict.rightField
      ? conflict.leftField
      : `${conflict.leftField} ↔ ${conflict.rightField}`;

  async function resolve(body: { side: 'left' | 'right' } | { value: FieldValue }): Promise<void> {
    setBusy(true);
    setProblem(undefined);
    try {
      props.onResolved(
        await api.post<Conflict>(`/conflicts/${encodeURIComponent(conflict.id)}/resolve`, body),
      );
    } catch (error) {
      if (error instanceof ApiError && error.code === 'conflict_not_open') {
        setProblem('Someone resolved this conflict meanwhile. Refresh to see how.');
      } else if (error instanceof ApiError && error.detail('value') !== undefined) {
        // A custom value the field does not take: say why, with the values it does take.
        setProblem(`This value does not fit. ${error.detail('value') ?? ''}`);
      } else {
        setProblem(describeError(error instanceof Error ? error : new Error(String(error))));
      }
    } finally {
      setBusy(false);
    }
  }

  function onCustom(event: SubmitEvent<HTMLFormElement>): void {
    event.preventDefault();
    void resolve({ value: customValue(custom, conflict.leftValue) });
  }

  const resolution = resolutionText(conflict, sides);
  return (
    <article
      className="conflict"
      aria-labelledby={headingId}
      data-conflict-id={conflict.id}
      data-conflict-status={conflict.status}
    >
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
        <span
          className={`badge badge-${STATUS_TONE[conflict.status]}`}
          data-status={conflict.status}
        >
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
      {conflict.note !== null && conflict.status === 'open' && (
        <p className="conflict-note" role="note">
          Raised again: {conflict.note}
        </p>
      )}
      <div className="conflict-sides">
        <dl className="conflict-side" aria-label={`${sides.left.name} side`}>
          <dt>{sides.left.name} field</dt>
          <dd>
            <code>{conflict.leftField}</code>
          </dd>
          <dt>{sides.left.name} value</dt>
          <dd className="conflict-value" data-side="left">
            <Value value={conflict.leftValue} />
          </dd>
          <dt>{sides.left.name} record</dt>
          <dd>
            <code>{conflict.leftId}</code> <VendorLink side={sides.left} id={conflict.leftId} />
          </dd>
        </dl>
        <dl className="conflict-side" aria-label={`${sides.right.name} side`}>
          <dt>{sides.right.name} field</dt>
          <dd>
            <code>{conflict.rightField}</code>
          </dd>
          <dt>{sides.right.name} value</dt>
          <dd className="conflict-value" data-side="right">
            <Value value={conflict.rightValue} />
          </dd>
          <dt>{sides.right.name} record</dt>
          <dd>
            <code>{conflict.rightId}</code> <VendorLink side={sides.right} id={conflict.rightId} />
          </dd>
        </dl>
      </div>
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
        <div className="conflict-actions">
          <button
            type="button"
            disabled={busy}
            onClick={() => void resolve({ side: 'left' })}
            aria-label={`Keep ${sides.left.name}: ${valueText(conflict.leftValue)}`}
          >
            Keep {sides.left.name}
          </button>
          <button
            type="button"
            disabled={busy}
            onClick={() => void resolve({ side: 'right' })}
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
            <button type="submit" disabled={busy}>
              Use this value
            </button>
            <span id={`${customId}-hint`} className="muted small">
              As {sides.left.name} writes it; the mapping transforms it for {sides.right.name}.
            </span>
          </form>
        </div>
      )}
      {problem !== undefined && (
        <p className="inline-error" role="alert">
          {problem}
        </p>
      )}
    </article>
  );
}

/**
 * "N resolved conflicts wait for the next run of <sync>" with Run now (for keys that may trigger
 * runs), following the run to its end and then asking for the conflicts again.
 */
function NextRun(props: {
  syncId: string;
  syncName: string;
  resolved: number;
  onFinished: () => Promise<void>;
}): ReactNode {
  const { api, can } = useSession();
  const [run, setRun] = useState<Run | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [starting, setStarting] = useState(false);
  const finished = useRef(props.onFinished);
  finished.current = props.onFinished;

  const runId = run?.id;
  const active = run !== undefined && isActive(run.status);
  useEffect(() => {
    if (runId === undefined || !active) return;
    let stopped = false;
    const timer = window.setInterval(() => {
      api
        .get<Run>(`/runs/${encodeURIComponent(runId)}`)
        .then(async (next) => {
          if (stopped) return;
          setRun(next);
          if (!isActive(next.status)) await finished.current();
        })
        .catch((error: unknown) => {
          if (!stopped)
            setProblem(describeError(error instanceof Error ? error : new Error(String(error))));
        });
    }, POLL_MS);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [api, runId, active]);

  async function start(): Promise<void> {
    setStarting(true);
    setProblem(undefined);
    try {
      setRun(await api.post<Run>(`/syncs/${encodeURIComponent(props.syncId)}/runs`));
    } catch (error) {
      const existing =
        error instanceof ApiError && error.code === 'run_in_progress'
          ? error.detail('runId')
          : undefined;
      if (existing !== undefined) {
        // A run is already going: follow that one; it applies the resolutions too.
        try {
          setRun(await api.get<Run>(`/runs/${encodeURIComponent(existing)}`));
        } catch (inner) {
          setProblem(describeError(inner instanceof Error ? inner : new Error(String(inner))));
        }
      } else {
        setProblem(describeError(error instanceof Error ? error : new Error(String(error))));
      }
    } finally {
      setStarting(false);
    }
  }

  return (
    <div className="next-run" role="region" aria-label={`Next run of ${props.syncName}`}>
      {props.resolved === 0 ? (
        <p>
          No resolved conflict of <strong>{props.syncName}</strong> waits for a run any more.
        </p>
      ) : (
        <p>
          {count(props.resolved)} resolved conflict{props.resolved === 1 ? '' : 's'} of{' '}
          <strong>{props.syncName}</strong> wait{props.resolved === 1 ? 's' : ''} for its next run,
          which writes {props.resolved === 1 ? 'it' : 'them'} to both sides.
        </p>
      )}
      <div className="page-actions" aria-live="polite">
        {can('runs:trigger') && (props.resolved > 0 || active || starting) && (
          <button
            type="button"
            className="primary"
            onClick={() => void start()}
            disabled={starting || active}
          >
            {starting ? 'Starting…' : active ? 'Running…' : 'Run now'}
          </button>
        )}
        {run !== undefined && (
          <span data-next-run={run.status}>
            Run <RunStatusBadge status={run.status} />{' '}
            <Link to={{ page: 'run', id: run.id }}>open the run</Link>
          </span>
        )}
      </div>
      {problem !== undefined && (
        <p className="inline-error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
