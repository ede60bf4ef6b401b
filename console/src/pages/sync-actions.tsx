/** A sync's run buttons: Run now, and a full refresh after a confirmation. */
import { useState, type ReactNode } from 'react';
import { ApiError } from '../api';
import { InlineError, describeError } from '../components/states';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import type { Run } from '../types';

/** Starts a run and goes to its page; hidden for keys that may not trigger runs. */
export function RunNow(props: { syncId: string }): ReactNode {
  const { api, can } = useSession();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ message: string; runId?: string } | undefined>();
  if (!can('runs:trigger')) return null;

  async function start(): Promise<void> {
    setBusy(true);
    setProblem(undefined);
    try {
      const run = await api.post<Run>(`/syncs/${encodeURIComponent(props.syncId)}/runs`);
      navigate({ page: 'run', id: run.id });
    } catch (error) {
      setBusy(false);
      if (error instanceof ApiError && error.code === 'run_in_progress') {
        setProblem({
          message: 'A run of this sync is already queued or running.',
          runId: error.detail('runId'),
        });
      } else {
        setProblem({
          message: describeError(error instanceof Error ? error : new Error(String(error))),
        });
      }
    }
  }

  return (
    <>
      <button type="button" className="primary" onClick={() => void start()} disabled={busy}>
        {busy ? 'Starting…' : 'Run now'}
      </button>
      {problem !== undefined && (
        <p className="inline-error" role="alert">
          {problem.message}{' '}
          {problem.runId !== undefined && (
            <Link to={{ page: 'run', id: problem.runId }}>Follow that run</Link>
          )}
        </p>
      )}
    </>
  );
}

/** Starts a run of the sync with `body` and goes to its page; `problem` says why it could not. */
function useRunStarter(syncId: string): {
  busy: boolean;
  problem: string | undefined;
  start: (body: Record<string, unknown>) => Promise<void>;
} {
  const { api } = useSession();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  async function start(body: Record<string, unknown>): Promise<void> {
    setBusy(true);
    setProblem(undefined);
    try {
      const run = await api.post<Run>(`/syncs/${encodeURIComponent(syncId)}/runs`, body);
      navigate({ page: 'run', id: run.id });
    } catch (error) {
      setBusy(false);
      setProblem(describeError(error instanceof Error ? error : new Error(String(error))));
    }
  }
  return { busy, problem, start };
}

/**
 * A full refresh, asked for after saying what it does: an audience is set to its whole source; a
 * records sync reads both sides whole, and a linked record it does not find counts as deleted
 * (what to do when a sync's health says deletes were lost). Hidden for keys that may not trigger.
 */
export function FullRefresh(props: { syncId: string; kind: string }): ReactNode {
  const { can } = useSession();
  const [asking, setAsking] = useState(false);
  const { busy, problem, start } = useRunStarter(props.syncId);
  if (!can('runs:trigger')) return null;

  if (!asking)
    return (
      <button
        type="button"
        onClick={() => {
          setAsking(true);
        }}
      >
        Full refresh…
      </button>
    );
  return (
    <div role="group" aria-label="Full refresh" className="confirm">
      <p className="small">
        {props.kind === 'audience'
          ? 'Reads the whole source and sets the audience to it.'
          : 'Reads both sides whole; a linked record that is not found counts as deleted, under the delete policy.'}
      </p>
      <button
        type="button"
        className="primary"
        onClick={() => void start({ fullRefresh: true })}
        disabled={busy}
      >
        {busy ? 'Starting…' : 'Start full refresh'}
      </button>{' '}
      <button
        type="button"
        onClick={() => {
          setAsking(false);
        }}
        disabled={busy}
      >
        Cancel
      </button>
      <InlineError problem={problem} />
    </div>
  );
}

/**
 * A first run held for confirmation (errorCode `confirmation_required`): why, in the estimate's
 * words, and the button that runs it anyway. Nothing for any other run.
 */
export function FirstRunConfirmation(props: { run: Run | undefined }): ReactNode {
  const { can } = useSession();
  const run = props.run;
  const { busy, problem, start } = useRunStarter(run?.syncId ?? '');
  if (run?.errorCode !== 'confirmation_required') return null;

  return (
    <div role="region" aria-label="First run confirmation" className="state state-warning">
      <p>
        <strong>Nothing was written.</strong> {run.error}
      </p>
      {can('runs:trigger') && (
        <button
          type="button"
          className="primary"
          onClick={() => void start({ confirmFirstRun: true })}
          disabled={busy}
        >
          {busy ? 'Starting…' : 'Run the first run anyway'}
        </button>
      )}
      <InlineError problem={problem} />
    </div>
  );
}
