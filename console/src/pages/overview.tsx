/** Every sync with its health, last and next run, failed records and conflicts; API budgets. */
import { useEffect, type ReactNode } from 'react';
import { countUpTo, getAll, type Api } from '../api';
import { HealthBadge, RunStatusBadge, When } from '../components/badges';
import { HourlyActivity } from '../components/run-charts';
import { Empty, ErrorState, Loading } from '../components/states';
import { arrow } from '../describe';
import { count, fromNow, percent, words } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import type { ApiUsage, Page, Run, Sync } from '../types';
import { useLoad } from '../use-load';
import { loadConnections, type ConnectionRow } from '../connection-usage';

/** Counted exactly up to this many; beyond it the overview says "1,000+". */
const COUNT_CAP = 1000;
/** The overview refreshes itself this often while it is open. */
const REFRESH_MS = 60_000;

interface SyncRow {
  sync: Sync;
  lastRun: Run | undefined;
  failed: { count: number; more: boolean };
  conflicts: { count: number; more: boolean };
}

interface OverviewData {
  syncs: SyncRow[];
  connections: ConnectionRow[];
  loadedAt: number;
}

async function loadSyncRows(api: Api, signal: AbortSignal): Promise<SyncRow[]> {
  const syncs = await getAll<Sync>(api, '/syncs', signal);
  return Promise.all(
    syncs.map(async (sync): Promise<SyncRow> => {
      const id = encodeURIComponent(sync.id);
      const [runs, failed, conflicts] = await Promise.all([
        api.get<Page<Run>>(`/runs?syncId=${id}&limit=1`, signal),
        countUpTo(api, `/syncs/${id}/failed-records`, COUNT_CAP, signal),
        countUpTo(api, `/syncs/${id}/conflicts?status=open`, COUNT_CAP, signal),
      ]);
      return { sync, lastRun: runs.items[0], failed, conflicts };
    }),
  );
}

async function loadOverview(api: Api, signal: AbortSignal): Promise<OverviewData> {
  const [syncs, connections] = await Promise.all([
    loadSyncRows(api, signal),
    loadConnections(api, signal),
  ]);
  return { syncs, connections, loadedAt: Date.now() };
}

export function OverviewPage(): ReactNode {
  const { api, can, me } = useSession();
  const readable = can('read');
  const overview = useLoad('overview', (signal) =>
    readable ? loadOverview(api, signal) : Promise.resolve(undefined),
  );
  const { reload } = overview;

  useEffect(() => {
    if (!readable) return;
    const timer = window.setInterval(reload, REFRESH_MS);
    return () => {
      window.clearInterval(timer);
    };
  }, [reload, readable]);

  if (!readable) {
    return (
      <>
        <h1>Overview</h1>
        <Empty>
          <p>
            This key has the <strong>{me.role}</strong> role: it may trigger runs and follow them,
            but not read syncs or connections. Sign in with a viewer, editor or admin key to see the
            overview; a run page (<code>/console/runs/&lt;run id&gt;</code>) works with this key.
          </p>
        </Empty>
      </>
    );
  }

  return (
    <>
      <div className="page-heading">
        <h1>Overview</h1>
        <div className="page-actions">
          {overview.data !== undefined && (
            <span className="muted">
              {overview.refreshing
                ? 'Refreshing…'
                : `Updated ${new Date(overview.data.loadedAt).toLocaleTimeString()}`}
            </span>
          )}
          {can('config:write') && (
            <Link to={{ page: 'new-sync' }} className="button primary">
              New sync
            </Link>
          )}
          <button type="button" onClick={reload} disabled={overview.refreshing}>
            Refresh
          </button>
        </div>
      </div>
      {overview.state === 'error' && <ErrorState error={overview.error} onRetry={reload} />}
      {overview.state === 'loading' && <Loading what="the syncs" />}
      {overview.data !== undefined && (
        <>
          <SyncsTable rows={overview.data.syncs} />
          <HourlyActivity refreshKey={overview.data.loadedAt} />
          <BudgetsTable rows={overview.data.connections} />
        </>
      )}
    </>
  );
}

function Count(props: { value: { count: number; more: boolean }; label: string }): ReactNode {
  const text = `${count(props.value.count)}${props.value.more ? '+' : ''}`;
  return (
    <span
      className={props.value.count > 0 ? 'count count-attention' : 'count'}
      aria-label={`${text} ${props.label}`}
    >
      {text}
    </span>
  );
}

function SyncsTable(props: { rows: SyncRow[] }): ReactNode {
  return (
    <section aria-labelledby="syncs-heading">
      <h2 id="syncs-heading">Syncs</h2>
      {props.rows.length === 0 ? (
        <Empty>
          <p>
            No syncs yet. Create one with <code>POST /api/v1/syncs</code> (see the{' '}
            <a href="/api/docs">API documentation</a>) or as YAML in <code>config/</code> with the
            CLI.
          </p>
        </Empty>
      ) : (
        <table className="data-table" aria-labelledby="syncs-heading">
          <thead>
            <tr>
              <th scope="col">Sync</th>
              <th scope="col">Health</th>
              <th scope="col">Last run</th>
              <th scope="col" className="numeric">
                Failed records
              </th>
              <th scope="col" className="numeric">
                Open conflicts
              </th>
              <th scope="col">Next run</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((row) => (
              <tr key={row.sync.id} data-sync-id={row.sync.id}>
                <th scope="row">
                  <Link to={{ page: 'sync', id: row.sync.id }}>{row.sync.name}</Link>
                  <div className="muted small">
                    {row.sync.left.object} {arrow(row.sync.direction)} {row.sync.right.object}
                    {row.sync.enabled ? '' : ' · disabled'}
                  </div>
                </th>
                <td>
                  <HealthBadge
                    status={row.sync.health.status}
                    failures={row.sync.health.consecutiveFailures}
                    reason={row.sync.health.reason}
                  />
                </td>
                <td>
                  {row.lastRun === undefined ? (
                    <span className="muted">never run</span>
                  ) : (
                    <Link to={{ page: 'run', id: row.lastRun.id }} className="run-link">
                      <RunStatusBadge status={row.lastRun.status} />{' '}
                      <When iso={row.lastRun.startedAt} format={fromNow} />
                    </Link>
                  )}
                </td>
                <td className="numeric">
                  <Link to={{ page: 'failed', syncId: row.sync.id }}>
                    <Count value={row.failed} label="failed records" />
                  </Link>
                </td>
                <td className="numeric">
                  <Count value={row.conflicts} label="open conflicts" />
                </td>
                <td>
                  <When
                    iso={row.sync.nextRunAt}
                    format={fromNow}
                    fallback={row.sync.enabled ? 'not scheduled' : 'disabled'}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function BudgetsTable(props: { rows: ConnectionRow[] }): ReactNode {
  return (
    <section aria-labelledby="budgets-heading">
      <h2 id="budgets-heading">API budgets (last 24 hours)</h2>
      {props.rows.length === 0 ? (
        <Empty>
          <p>No connections yet.</p>
        </Empty>
      ) : (
        <table className="data-table" aria-labelledby="budgets-heading">
          <thead>
            <tr>
              <th scope="col">Connection</th>
              <th scope="col" className="numeric">
                Calls
              </th>
              <th scope="col" className="numeric">
                Budget
              </th>
              <th scope="col">Used</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map(({ connection, usage, usageError }) => (
              <tr key={connection.id} data-connection-id={connection.id}>
                <th scope="row">
                  {connection.name}
                  <div className="muted small">
                    {words(connection.kind)}
                    {connection.sandbox ? ' · sandbox' : ''}
                  </div>
                </th>
                {usage === undefined ? (
                  <td colSpan={3} className="muted">
                    Usage unavailable: {usageError}
                  </td>
                ) : (
                  <>
                    <td className="numeric">{count(usage.calls)}</td>
                    <td className="numeric">
                      {usage.budget === null ? (
                        <span className="muted">no limit</span>
                      ) : (
                        count(usage.budget)
                      )}
                    </td>
                    <td>
                      <BudgetUse usage={usage} name={connection.name} />
                    </td>
                  </>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function BudgetUse(props: { usage: ApiUsage; name: string }): ReactNode {
  const { usage } = props;
  if (usage.used === null) return <span className="muted">—</span>;
  return (
    <div className="budget">
      <meter
        min={0}
        max={1}
        low={usage.threshold * 0.8}
        high={usage.threshold}
        optimum={0}
        value={Math.min(usage.used, 1)}
        aria-label={`API budget used by ${props.name}`}
      >
        {percent(usage.used)}
      </meter>
      <span>{percent(usage.used)}</span>
      {usage.pastThreshold && (
        <span
          className="badge badge-warn"
          title="Scheduled and webhook runs wait; manual runs still go"
        >
          past {percent(usage.threshold)} threshold
        </span>
      )}
    </div>
  );
}
