/**
 * Connections: each with its kind and sandbox flag, "Check" (can Syncline reach the vendor with
 * it; keys with config:write), and its API use over the last 24 hours against its budget.
 */
import { useState, type ReactNode } from 'react';
import { Empty, ErrorState, Loading, describeError } from '../components/states';
import { count, percent, words } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import type { ApiUsage, CheckResult } from '../types';
import { loadConnections, type ConnectionRow } from '../connection-usage';
import { useLoad } from '../use-load';

export function ConnectionsPage(): ReactNode {
  const { api, can, me } = useSession();
  const readable = can('read');
  const loaded = useLoad('connections', (signal) =>
    readable ? loadConnections(api, signal) : Promise.resolve([]),
  );
  if (!readable) {
    return (
      <>
        <h1>Connections</h1>
        <Empty>
          <p>
            This key has the <strong>{me.role}</strong> role: it may not read connections.
          </p>
        </Empty>
      </>
    );
  }
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={{ page: 'overview' }}>Overview</Link> <span aria-hidden="true">/</span>{' '}
        Connections
      </nav>
      <div className="page-heading">
        <h1>Connections</h1>
        <div className="page-actions">
          {can('credentials:write') && (
            <Link to={{ page: 'new-connection' }} className="button primary">
              New connection
            </Link>
          )}
          <button type="button" onClick={loaded.reload} disabled={loaded.refreshing}>
            Refresh
          </button>
        </div>
      </div>
      <p className="muted">
        API use counts the calls runs made through each connection in the last 24 hours. Past its
        threshold, scheduled and webhook runs wait and failed records are not retried; manual runs
        still go.
      </p>
      {loaded.state === 'loading' && <Loading what="the connections" />}
      {loaded.state === 'error' && <ErrorState error={loaded.error} onRetry={loaded.reload} />}
      {loaded.data !== undefined &&
        (loaded.data.length === 0 ? (
          <Empty>
            <p>
              No connections yet. Create one with <strong>New connection</strong>, or with{' '}
              <code>POST /api/v1/connections</code> (see the{' '}
              <a href="/api/docs">API documentation</a>).
            </p>
          </Empty>
        ) : (
          <table className="data-table" aria-label="Connections">
            <thead>
              <tr>
                <th scope="col">Connection</th>
                <th scope="col">Kind</th>
                <th scope="col">API use (24 h)</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {loaded.data.map((row) => (
                <ConnectionRow key={row.connection.id} row={row} />
              ))}
            </tbody>
          </table>
        ))}
    </>
  );
}

function ConnectionRow(props: { row: ConnectionRow }): ReactNode {
  const { api, can } = useSession();
  const { connection, usage, usageError } = props.row;
  const [check, setCheck] = useState<
    | { state: 'idle' }
    | { state: 'checking' }
    | { state: 'done'; result: CheckResult }
    | { state: 'error'; message: string }
  >({ state: 'idle' });

  async function run(): Promise<void> {
    setCheck({ state: 'checking' });
    try {
      const result = await api.post<CheckResult>(
        `/connections/${encodeURIComponent(connection.id)}/check`,
      );
      setCheck({ state: 'done', result });
    } catch (error) {
      setCheck({
        state: 'error',
        message: describeError(error instanceof Error ? error : new Error(String(error))),
      });
    }
  }

  return (
    <tr data-connection-id={connection.id}>
      <th scope="row">
        {connection.name}
        {connection.sandbox && (
          <>
            {' '}
            <span className="badge badge-info" title="Points at a local emulator">
              sandbox
            </span>
          </>
        )}
      </th>
      <td>{words(connection.kind)}</td>
      <td>
        {usage === undefined ? (
          <span className="muted">Usage unavailable: {usageError}</span>
        ) : (
          <UsageBar usage={usage} name={connection.name} />
        )}
      </td>
      <td>
        <div className="check" aria-live="polite">
          {can('config:write') && (
            <button
              type="button"
              onClick={() => void run()}
              disabled={check.state === 'checking'}
              aria-label={`Check ${connection.name}`}
            >
              {check.state === 'checking' ? 'Checking…' : 'Check'}
            </button>
          )}
          {check.state === 'done' &&
            (check.result.ok ? (
              <span className="badge badge-good" data-check="ok">
                ok{check.result.account !== undefined ? `: ${check.result.account}` : ''}
              </span>
            ) : (
              <span data-check="problem">
                <span className="badge badge-bad">problem</span>{' '}
                {check.result.code !== undefined && <code>{check.result.code}</code>}{' '}
                {check.result.reason}
              </span>
            ))}
          {check.state === 'error' && (
            <span className="inline-error" data-check="error">
              {check.message}
            </span>
          )}
          {check.state === 'idle' && !can('config:write') && (
            <span className="muted small">not checked (needs an editor or admin key)</span>
          )}
        </div>
      </td>
    </tr>
  );
}

/** Calls against the budget as a bar, with the threshold marked and everything said in words. */
export function UsageBar(props: { usage: ApiUsage; name: string }): ReactNode {
  const { usage } = props;
  const text =
    usage.budget === null || usage.used === null
      ? `${count(usage.calls)} calls, no daily budget`
      : `${count(usage.calls)} of ${count(usage.budget)} calls (${percent(usage.used)}), threshold ${percent(usage.threshold)}`;
  if (usage.budget === null || usage.used === null) {
    return (
      <div className="usage" data-usage="unlimited">
        <span>{text}</span>
      </div>
    );
  }
  const width = Math.min(1, usage.used) * 100;
  const tone = usage.pastThreshold ? 'bad' : usage.used >= usage.threshold * 0.8 ? 'warn' : 'good';
  return (
    <div className="usage" data-usage={usage.pastThreshold ? 'past-threshold' : 'ok'}>
      <div
        className="usage-bar"
        role="meter"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(usage.used * 100)}
        aria-valuetext={text}
        aria-label={`API budget used by ${props.name}`}
      >
        <div className={`usage-fill usage-${tone}`} style={{ width: `${width}%` }} />
        <div
          className="usage-threshold"
          style={{ left: `${Math.min(1, usage.threshold) * 100}%` }}
          aria-hidden="true"
        />
      </div>
      <span className="usage-text">{text}</span>
      {usage.pastThreshold && (
        <span
          className="badge badge-warn"
          title="Scheduled and webhook runs wait; manual runs still go"
        >
          past threshold
        </span>
      )}
    </div>
  );
}
