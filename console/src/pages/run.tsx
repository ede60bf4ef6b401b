/** One run: its status and counters, polled every second until it ends. */
import { useEffect, useState, type ReactNode } from 'react';
import { ApiError } from '../api';
import { RunStatusBadge, When } from '../components/badges';
import { RunErrors } from '../components/run-errors';
import { SyncLog } from '../components/sync-log';
import { ErrorState, InlineError, Loading, describeError } from '../components/states';
import { count, dateTime, duration } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import { FirstRunConfirmation } from './sync-actions';
import { isActive, type Run, type Sync } from '../types';

/** The outcomes of events and audience runs, shown when the run has any. */
const ONE_WAY_COUNTERS = [
  { name: 'sent', label: 'Events sent' },
  { name: 'duplicates', label: 'Already at the destination' },
  { name: 'too_old', label: 'Too old to send' },
  { name: 'no_consent', label: 'Without consent' },
  { name: 'added', label: 'Added to audience' },
  { name: 'removed', label: 'Removed from audience' },
] as const;

/** How often a queued or running run is asked for again. */
const POLL_MS = 1000;

type RunView =
  | { state: 'loading' }
  | { state: 'ready'; run: Run; error: Error | undefined }
  | { state: 'error'; error: Error };

/** The run, asked for again every second while it is queued or running. */
function useLiveRun(id: string): RunView & { retry: () => void } {
  const { api } = useSession();
  const [view, setView] = useState<RunView>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    let timer: number | undefined;
    async function poll(): Promise<void> {
      try {
        const run = await api.get<Run>(`/runs/${encodeURIComponent(id)}`, controller.signal);
        if (controller.signal.aborted) return;
        setView({ state: 'ready', run, error: undefined });
        if (isActive(run.status)) timer = window.setTimeout(() => void poll(), POLL_MS);
      } catch (error) {
        if (controller.signal.aborted) return;
        const failure = error instanceof Error ? error : new Error(String(error));
        setView((previous) =>
          previous.state === 'ready'
            ? { ...previous, error: failure }
            : { state: 'error', error: failure },
        );
        // A hiccup while following a run: keep trying, unless the run is gone or forbidden.
        const final = failure instanceof ApiError && [401, 403, 404].includes(failure.status);
        if (!final) timer = window.setTimeout(() => void poll(), POLL_MS * 3);
      }
    }
    void poll();
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [api, id, attempt]);

  return {
    ...view,
    retry: () => {
      setAttempt((n) => n + 1);
    },
  };
}

export function RunPage(props: { id: string }): ReactNode {
  const live = useLiveRun(props.id);
  const { can } = useSession();
  const readable = can('read');
  const sync = useRunSync(live.state === 'ready' ? live.run.syncId : undefined, readable);

  if (live.state === 'loading') {
    return (
      <>
        <h1>Run</h1>
        <Loading what="the run" />
      </>
    );
  }
  if (live.state === 'error') {
    return (
      <>
        <h1>Run</h1>
        <ErrorState error={live.error} onRetry={live.retry} />
      </>
    );
  }
  const { run } = live;
  const active = isActive(run.status);
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        {readable ? <Link to={{ page: 'overview' }}>Overview</Link> : 'Overview'}{' '}
        <span aria-hidden="true">/</span>{' '}
        {readable ? (
          <Link to={{ page: 'sync', id: run.syncId }}>{sync?.name ?? 'Sync'}</Link>
        ) : (
          `Sync ${run.syncId}`
        )}{' '}
        <span aria-hidden="true">/</span> Run
      </nav>
      <div className="page-heading">
        <h1>
          Run of {sync?.name ?? 'sync'}{' '}
          <span className="muted small">
            {run.trigger}
            {run.fullRefresh && ', full refresh'}, <When iso={run.startedAt} format={dateTime} />
          </span>
        </h1>
        <div className="page-actions">
          {active && can('runs:trigger') && <CancelRun run={run} onCancelled={live.retry} />}
        </div>
      </div>
      <p className="run-status" role="status" aria-live="polite">
        Status: <RunStatusBadge status={run.status} />{' '}
        {active
          ? run.status === 'queued'
            ? 'waiting for a worker…'
            : 'running, updated every second…'
          : `finished after ${duration(run.startedAt, run.finishedAt)}`}
      </p>
      {live.error !== undefined && (
        <p className="inline-error" role="alert">
          Could not refresh the run: {describeError(live.error)}
        </p>
      )}
      <FirstRunConfirmation run={run} />
      {run.error !== null && run.errorCode !== 'confirmation_required' && (
        <div className="state state-error">
          <p>
            <strong>Why the run failed:</strong> {run.error}
          </p>
        </div>
      )}
      <RunCounters run={run} />
      <RunErrors run={run} />
      <RunDetails run={run} />
      <SyncLog scope={{ kind: 'run', id: run.id }} version={run.status} />
    </>
  );
}

/** The run's sync, for its name (undefined until read, or for a key that may not read syncs). */
function useRunSync(syncId: string | undefined, readable: boolean): Sync | undefined {
  const { api } = useSession();
  const [sync, setSync] = useState<Sync | undefined>();

  useEffect(() => {
    if (syncId === undefined || !readable) return;
    const controller = new AbortController();
    api
      .get<Sync>(`/syncs/${encodeURIComponent(syncId)}`, controller.signal)
      .then(setSync)
      .catch(() => {
        // The page says the sync's id instead of its name.
      });
    return () => {
      controller.abort();
    };
  }, [api, syncId, readable]);
  return sync;
}

/** The run's record counters; the one-way kinds' only when they counted something. */
function RunCounters(props: { run: Run }): ReactNode {
  const { run } = props;
  return (
    <section aria-labelledby="counters-heading">
      <h2 id="counters-heading">Records</h2>
      <dl className="counters">
        <Counter label="Read" value={run.counters.read} name="read" />
        <Counter label="Created" value={run.counters.created} name="created" />
        <Counter label="Updated" value={run.counters.updated} name="updated" />
        <Counter label="Unchanged" value={run.counters.unchanged} name="unchanged" />
        <Counter label="Skipped" value={run.counters.skipped} name="skipped" />
        <Counter label="Deleted" value={run.counters.deleted} name="deleted" />
        <Counter label="Conflicts" value={run.counters.conflicts} name="conflicts" />
        <Counter label="Failed" value={run.counters.failed} name="failed" attention />
        {ONE_WAY_COUNTERS.filter(({ name }) => run.counters[name] > 0).map(({ name, label }) => (
          <Counter key={name} label={label} value={run.counters[name]} name={name} />
        ))}
      </dl>
    </section>
  );
}

/** When, by whom and at what cost in API calls. */
function RunDetails(props: { run: Run }): ReactNode {
  const { run } = props;
  return (
    <section aria-labelledby="details-heading">
      <h2 id="details-heading">Details</h2>
      <dl className="definition">
        <dt>Requested</dt>
        <dd>
          <When iso={run.startedAt} format={dateTime} />
        </dd>
        <dt>Finished</dt>
        <dd>
          <When iso={run.finishedAt} format={dateTime} fallback="not yet" />
        </dd>
        <dt>API calls</dt>
        <dd>
          {count(run.counters.apiCalls.left)} left, {count(run.counters.apiCalls.right)} right
        </dd>
        <dt>Worker</dt>
        <dd>
          {run.workerId ?? <span className="muted">none yet</span>}
          {run.takeovers > 0 &&
            ` (taken over ${run.takeovers} time${run.takeovers === 1 ? '' : 's'})`}
        </dd>
        <dt>Run id</dt>
        <dd>
          <code>{run.id}</code>
        </dd>
      </dl>
    </section>
  );
}

function Counter(props: {
  label: string;
  value: number;
  name: string;
  attention?: boolean;
}): ReactNode {
  return (
    <div
      className={
        props.attention === true && props.value > 0 ? 'counter counter-attention' : 'counter'
      }
    >
      <dt>{props.label}</dt>
      <dd data-counter={props.name}>{count(props.value)}</dd>
    </div>
  );
}

function CancelRun(props: { run: Run; onCancelled: () => void }): ReactNode {
  const { api } = useSession();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  async function cancel(): Promise<void> {
    setBusy(true);
    setProblem(undefined);
    try {
      await api.post<Run>(`/runs/${encodeURIComponent(props.run.id)}/cancel`);
      props.onCancelled();
    } catch (error) {
      setProblem(describeError(error instanceof Error ? error : new Error(String(error))));
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <button type="button" onClick={() => void cancel()} disabled={busy}>
        {busy ? 'Cancelling…' : 'Cancel run'}
      </button>
      <InlineError problem={problem} />
    </>
  );
}
