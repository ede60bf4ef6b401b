/** The next run of a sync whose resolved conflicts wait for it, started and followed here. */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../api';
import { RunStatusBadge } from '../components/badges';
import { InlineError, describeError } from '../components/states';
import { count } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import type { Run } from '../types';
import { isActive } from '../types';

const POLL_MS = 1000;

/**
 * A run of the sync started on demand (or the one already going), polled until it ends; then
 * `onFinished`.
 */
function useFollowedRun(
  syncId: string,
  onFinished: () => Promise<void>,
): {
  run: Run | undefined;
  problem: string | undefined;
  starting: boolean;
  active: boolean;
  start: () => Promise<void>;
} {
  const { api } = useSession();
  const [run, setRun] = useState<Run | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [starting, setStarting] = useState(false);
  const finished = useRef(onFinished);
  finished.current = onFinished;

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
      setRun(await api.post<Run>(`/syncs/${encodeURIComponent(syncId)}/runs`));
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

  return { run, problem, starting, active, start };
}

/**
 * "N resolved conflicts wait for the next run of <sync>" with Run now (for keys that may trigger
 * runs), following the run to its end and then asking for the conflicts again.
 */
export function NextRun(props: {
  syncId: string;
  syncName: string;
  resolved: number;
  onFinished: () => Promise<void>;
}): ReactNode {
  const { can } = useSession();
  const { run, problem, starting, active, start } = useFollowedRun(props.syncId, props.onFinished);

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
      <InlineError problem={problem} />
    </div>
  );
}
