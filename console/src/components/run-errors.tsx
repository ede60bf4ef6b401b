/**
 * A run's errors grouped by error code: how many writes failed, the records affected, and
 * "Retry these" (the sync's failed records with that code, retried in a new run) for keys that
 * may change the configuration.
 */
import { useState, type ReactNode } from 'react';
import { ApiError, getAll, pages, type Api } from '../api';
import { count } from '../format';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import type { FailedRecord, RecordEvent, RetryResult, Run } from '../types';
import { useLoad } from '../use-load';
import { useSides, VendorLink } from '../sides';
import { RecordLink } from './sync-log';
import { Empty, ErrorState, Loading, describeError } from './states';

/** Failed lines read at most (the log holds one per failed write). */
const MAX_EVENTS = 5000;
/** Records listed per group before "and N more". */
const RECORDS_SHOWN = 20;

interface ErrorGroup {
  code: string;
  events: number;
  records: Array<{ key: string; leftId: string | null; rightId: string | null }>;
  messages: string[];
  /** The sync's failed records with this code still waiting (undefined: not known). */
  pending: number | undefined;
}

interface RunErrorsData {
  groups: ErrorGroup[];
  truncated: boolean;
  /** The sync's failed records (all codes) still waiting; undefined when not readable. */
  pendingTotal: number | undefined;
}

async function loadErrors(
  api: Api,
  run: Run,
  readFailedRecords: boolean,
  signal: AbortSignal,
): Promise<RunErrorsData> {
  const events: RecordEvent[] = [];
  let truncated = false;
  for await (const page of pages<RecordEvent>(
    api,
    `/runs/${encodeURIComponent(run.id)}/events?action=failed`,
    signal,
  )) {
    events.push(...page.items);
    if (events.length >= MAX_EVENTS && page.nextCursor !== null) {
      truncated = true;
      break;
    }
  }
  let failed: FailedRecord[] | undefined;
  if (readFailedRecords) {
    try {
      failed = await getAll<FailedRecord>(
        api,
        `/syncs/${encodeURIComponent(run.syncId)}/failed-records`,
        signal,
      );
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
  }
  const byCode = new Map<string, ErrorGroup & { seen: Set<string> }>();
  for (const event of events) {
    const code = event.errorCode ?? 'unknown';
    let group = byCode.get(code);
    if (group === undefined) {
      group = { code, events: 0, records: [], messages: [], pending: undefined, seen: new Set() };
      byCode.set(code, group);
    }
    group.events += 1;
    const key = `${event.leftId ?? ''}\u0000${event.rightId ?? ''}`;
    if (!group.seen.has(key)) {
      group.seen.add(key);
      group.records.push({ key, leftId: event.leftId, rightId: event.rightId });
    }
    if (
      event.message !== null &&
      group.messages.length < 3 &&
      !group.messages.includes(event.message)
    )
      group.messages.push(event.message);
  }
  const groups = [...byCode.values()]
    .map(({ seen: _seen, ...group }) => ({
      ...group,
      pending: failed?.filter((record) => record.errorCode === group.code).length,
    }))
    .sort((a, b) => b.events - a.events || a.code.localeCompare(b.code));
  return { groups, truncated, pendingTotal: failed?.length };
}

export function RunErrors(props: { run: Run }): ReactNode {
  const { api, can } = useSession();
  const { run } = props;
  const readable = can('read');
  // Asked again as the run fails more writes, and once when it ends.
  const key = `${run.id}:${run.status}:${run.counters.failed}`;
  const loaded = useLoad(key, (signal) => loadErrors(api, run, readable, signal));

  return (
    <section aria-labelledby="errors-heading" className="run-errors">
      <h2 id="errors-heading">Errors</h2>
      {loaded.state === 'loading' && <Loading what="the run's errors" />}
      {loaded.state === 'error' && <ErrorState error={loaded.error} onRetry={loaded.reload} />}
      {loaded.data !== undefined &&
        (loaded.data.groups.length === 0 ? (
          <Empty>
            <p>No record failed in this run.</p>
            {loaded.data.pendingTotal !== undefined && loaded.data.pendingTotal > 0 && (
              <p className="small">
                The sync still has {count(loaded.data.pendingTotal)} failed record
                {loaded.data.pendingTotal === 1 ? '' : 's'} from earlier runs.
              </p>
            )}
          </Empty>
        ) : (
          <>
            <p className="small muted">
              Failed writes of this run by error code
              {loaded.data.truncated && ` (the first ${count(MAX_EVENTS)} only)`}.{' '}
              {can('config:write')
                ? '"Retry these" makes the sync\'s failed records with that code due again and starts a run.'
                : ''}
            </p>
            <ul className="error-groups">
              {loaded.data.groups.map((group) => (
                <ErrorGroupItem key={group.code} run={run} group={group} />
              ))}
            </ul>
          </>
        ))}
    </section>
  );
}

function ErrorGroupItem(props: { run: Run; group: ErrorGroup }): ReactNode {
  const { can } = useSession();
  const { group, run } = props;
  const sides = useSides(run.syncId);
  const headingId = `error-group-${group.code}`;
  const shown = group.records.slice(0, RECORDS_SHOWN);
  return (
    <li className="error-group" data-error-group={group.code} aria-labelledby={headingId}>
      <div className="error-group-header">
        <h3 id={headingId}>
          <code>{group.code}</code>{' '}
          <span className="error-group-counts">
            {count(group.events)} failed write{group.events === 1 ? '' : 's'},{' '}
            {count(group.records.length)} record{group.records.length === 1 ? '' : 's'}
          </span>
        </h3>
        {group.pending !== undefined && (
          <span className="small muted" data-pending={group.pending}>
            {group.pending === 0
              ? 'none still failing'
              : `${count(group.pending)} of the sync's failed records still failing with this code`}
          </span>
        )}
        {can('config:write') &&
          group.pending !== 0 &&
          !['queued', 'running'].includes(run.status) && (
            <RetryButton syncId={run.syncId} code={group.code} />
          )}
      </div>
      {group.messages.length > 0 && (
        <ul className="error-messages small">
          {group.messages.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
      <p className="small error-records">
        <span className="muted">Records: </span>
        {shown.map((record, index) => (
          <span key={record.key}>
            {index > 0 && ', '}
            {record.leftId !== null && (
              <>
                <RecordLink id={record.leftId} />{' '}
                <VendorLink side={sides.left} id={record.leftId} />
              </>
            )}
            {record.leftId !== null && record.rightId !== null && (
              <span aria-label="linked to"> ↔ </span>
            )}
            {record.rightId !== null && (
              <>
                <RecordLink id={record.rightId} />{' '}
                <VendorLink side={sides.right} id={record.rightId} />
              </>
            )}
          </span>
        ))}
        {group.records.length > shown.length &&
          ` and ${count(group.records.length - shown.length)} more (filter the log below by ${group.code})`}
      </p>
    </li>
  );
}

function RetryButton(props: { syncId: string; code: string }): ReactNode {
  const { api } = useSession();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ message: string; runId?: string } | undefined>();

  async function retry(): Promise<void> {
    setBusy(true);
    setProblem(undefined);
    try {
      const result = await api.post<RetryResult>(
        `/syncs/${encodeURIComponent(props.syncId)}/failed-records/retry`,
        { errorCode: props.code, run: true },
      );
      if (result.run !== null) {
        navigate({ page: 'run', id: result.run.id });
        return;
      }
      setBusy(false);
      setProblem({ message: `${count(result.retried)} records made due; no run was started.` });
    } catch (error) {
      setBusy(false);
      if (error instanceof ApiError && error.code === 'run_in_progress') {
        setProblem({
          message:
            'A run of this sync is already queued or running; the records are due and the next run retries them.',
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
    <span className="retry">
      <button
        type="button"
        onClick={() => void retry()}
        disabled={busy}
        aria-describedby={`error-group-${props.code}`}
      >
        {busy ? 'Retrying…' : 'Retry these'}
      </button>
      {problem !== undefined && (
        <span className="inline-error" role="alert">
          {problem.message}{' '}
          {problem.runId !== undefined && (
            <Link to={{ page: 'run', id: problem.runId }}>Follow that run</Link>
          )}
        </span>
      )}
    </span>
  );
}
