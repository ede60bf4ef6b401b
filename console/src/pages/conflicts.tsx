/**
 * Conflicts: a field changed differently on both sides under a `manual` policy. Both values side
 * by side; resolve with the left one, the right one or a value of your own (keys with
 * config:write); the next run writes it, which "Run now" starts and the page follows until the
 * conflict reads `applied`.
 */
import { useEffect, useId, useState, type ReactNode } from 'react';
import { getAll, type Api } from '../api';
import { Empty, ErrorState, InlineError, Loading, describeError } from '../components/states';
import { count } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import type { Conflict, ConflictStatus, Page, Sync } from '../types';
import { useLoad } from '../use-load';
import { BulkActions, type BulkOutcome } from './conflict-bulk';
import { ConflictCard } from './conflict-card';
import { NextRun } from './conflict-next-run';

const PAGE_SIZE = 50;

type Filter = ConflictStatus | 'all';

const FILTERS: Array<{ value: Filter; label: string }> = [
  { value: 'open', label: 'Open (to resolve)' },
  { value: 'resolved', label: 'Resolved (waiting for the next run)' },
  { value: 'applied', label: 'Applied' },
  { value: 'all', label: 'All' },
];

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

/** The list as shown: the loaded page, more pages, conflicts updated in place, the ticked ones. */
function useConflictList(
  api: Api,
  syncId: string | undefined,
  filter: Filter,
  page?: Page<Conflict>,
) {
  const [items, setItems] = useState<Conflict[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [moreError, setMoreError] = useState<string | undefined>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [panels, setPanels] = useState<string[]>([]);
  // Open conflicts ticked for a bulk resolution.
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  // What the last bulk resolution did, kept on screen once no open conflict is left to tick.
  const [bulkOutcome, setBulkOutcome] = useState<BulkOutcome | undefined>();
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
  const newPanels = resolvedSyncs.filter((id) => !panels.includes(id));
  useEffect(() => {
    if (newPanels.length > 0) setPanels((current) => [...current, ...newPanels]);
  }, [newPanels.join(',')]);

  async function loadMore(): Promise<void> {
    if (cursor === null) return;
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      const next = await api.get<Page<Conflict>>(listPath(syncId, filter, cursor));
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

  // Resolved conflicts in view wait for their sync's next run: one "Run now" per sync.
  const waiting = new Map<string, number>();
  for (const c of items)
    if (c.status === 'resolved') waiting.set(c.syncId, (waiting.get(c.syncId) ?? 0) + 1);
  // A sync's panel stays once shown, so that its run's outcome stays on screen after it applied.
  for (const id of panels) if (!waiting.has(id)) waiting.set(id, 0);

  return {
    items,
    cursor,
    moreError,
    loadingMore,
    loadMore,
    replace,
    selected,
    setSelected,
    bulkOutcome,
    setBulkOutcome,
    waiting,
  };
}

type ConflictList = ReturnType<typeof useConflictList>;

/** The breadcrumb, the title and the status filter. */
function ConflictsHeading(props: {
  syncId: string | undefined;
  sync: Sync | undefined;
  filter: Filter;
  onFilter: (filter: Filter) => void;
  onRefresh: () => void;
  refreshing: boolean;
}): ReactNode {
  const filterId = useId();
  const { sync } = props;
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
        <h1>{sync === undefined ? 'Conflicts' : `Conflicts of ${sync.name}`}</h1>
        <div className="page-actions">
          <label htmlFor={filterId}>Show</label>
          <select
            id={filterId}
            value={props.filter}
            onChange={(event) => {
              props.onFilter(event.target.value as Filter);
            }}
          >
            {FILTERS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
          <button type="button" onClick={props.onRefresh} disabled={props.refreshing}>
            Refresh
          </button>
        </div>
      </div>
    </>
  );
}

/** The conflicts shown, with bulk actions when several are open, and more on demand. */
function ConflictItems(props: {
  list: ConflictList;
  syncs: Map<string, Sync>;
  syncId: string | undefined;
  selectable: boolean;
}): ReactNode {
  const { list, selectable } = props;
  const { items, cursor, selected } = list;
  const open = items.filter((c) => c.status === 'open');
  return (
    <>
      <p className="muted" aria-live="polite">
        {count(items.length)}
        {cursor !== null ? '+' : ''} conflict{items.length === 1 ? '' : 's'} shown, oldest first.
      </p>
      {selectable && (open.length > 1 || list.bulkOutcome !== undefined) && (
        <BulkActions
          open={open}
          selected={selected}
          onSelect={list.setSelected}
          outcome={list.bulkOutcome}
          onOutcome={list.setBulkOutcome}
          onResolved={(resolved) => {
            for (const conflict of resolved) list.replace(conflict);
          }}
        />
      )}
      <ol className="conflict-list">
        {items.map((conflict) => (
          <li key={conflict.id}>
            <ConflictCard
              conflict={conflict}
              sync={props.syncs.get(conflict.syncId)}
              showSync={props.syncId === undefined}
              onResolved={list.replace}
              selected={
                selectable && open.length > 1 && conflict.status === 'open'
                  ? selected.has(conflict.id)
                  : undefined
              }
              onSelect={(on) => {
                list.setSelected((current) => {
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
        <button type="button" onClick={() => void list.loadMore()} disabled={list.loadingMore}>
          {list.loadingMore ? 'Loading…' : 'Show more'}
        </button>
      )}
      <InlineError problem={list.moreError} />
    </>
  );
}

export function ConflictsPage(props: { syncId?: string }): ReactNode {
  const { api, can, me } = useSession();
  const [filter, setFilter] = useState<Filter>('open');
  const loaded = useLoad(`conflicts:${props.syncId ?? '*'}:${filter}`, (signal) =>
    loadConflicts(api, props.syncId, filter, signal),
  );
  const list = useConflictList(api, props.syncId, filter, loaded.data?.page);

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

  const syncs = loaded.data?.syncs;
  return (
    <>
      <ConflictsHeading
        syncId={props.syncId}
        sync={props.syncId === undefined ? undefined : syncs?.get(props.syncId)}
        filter={filter}
        onFilter={setFilter}
        onRefresh={loaded.reload}
        refreshing={loaded.refreshing}
      />
      <p className="muted">
        A conflict is a field whose policy is <em>manual</em> that changed on both sides since the
        last run.{' '}
        {can('config:write')
          ? 'Keep one side’s value or enter your own; the next run writes it to both sides.'
          : 'This key may read conflicts but not resolve them (that needs an editor or admin key).'}
      </p>
      {loaded.state === 'loading' && <Loading what="the conflicts" />}
      {loaded.state === 'error' && <ErrorState error={loaded.error} onRetry={loaded.reload} />}
      {syncs !== undefined && (
        <>
          {[...list.waiting.entries()].map(([syncId, n]) => (
            <NextRun
              key={syncId}
              syncId={syncId}
              syncName={syncs.get(syncId)?.name ?? syncId}
              resolved={n}
              onFinished={async () => {
                const ids = list.items.filter(
                  (c) => c.syncId === syncId && c.status === 'resolved',
                );
                const fresh = await Promise.all(
                  ids.map((c) => api.get<Conflict>(`/conflicts/${encodeURIComponent(c.id)}`)),
                );
                for (const conflict of fresh) list.replace(conflict);
              }}
            />
          ))}
          {list.items.length === 0 ? (
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
            <ConflictItems
              list={list}
              syncs={syncs}
              syncId={props.syncId}
              selectable={can('config:write')}
            />
          )}
        </>
      )}
    </>
  );
}
