/** One sync: its definition, its field mappings as a table, its recent runs, "Run now". */
import { type ReactNode } from 'react';
import { ApiError, type Api } from '../api';
import { HealthBadge, RunStatusBadge, When } from '../components/badges';
import { AlertsPanel, describeAlerts } from '../components/alerts';
import { PreviewPanel } from '../components/preview';
import { RunHistory } from '../components/run-charts';
import { Empty, ErrorState, Loading } from '../components/states';
import { SyncLog } from '../components/sync-log';
import {
  arrow,
  describeFilter,
  describeMappingDirection,
  describeSchedule,
  describeTransforms,
} from '../describe';
import { count, duration, fromNow, words } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import { sideWords, sidesOf, type SyncSides } from '../sides';
import type { Connection, Page, Run, Sync, SyncSide } from '../types';
import { useLoad } from '../use-load';
import { FirstRunConfirmation, FullRefresh, RunNow } from './sync-actions';

const RECENT_RUNS = 10;

interface SyncData {
  sync: Sync;
  connections: Map<string, Connection>;
  runs: Run[];
}

async function loadSync(api: Api, id: string, signal: AbortSignal): Promise<SyncData> {
  const path = encodeURIComponent(id);
  const [sync, runs] = await Promise.all([
    api.get<Sync>(`/syncs/${path}`, signal),
    api.get<Page<Run>>(`/runs?syncId=${path}&limit=${RECENT_RUNS}`, signal),
  ]);
  const connections = new Map<string, Connection>();
  await Promise.all(
    [sync.left.connectionId, sync.right.connectionId].map(async (connectionId) => {
      try {
        const connection = await api.get<Connection>(
          `/connections/${encodeURIComponent(connectionId)}`,
          signal,
        );
        connections.set(connectionId, connection);
      } catch (error) {
        // A connection that cannot be read shows as its id.
        if (!(error instanceof ApiError)) throw error;
      }
    }),
  );
  return { sync, connections, runs: runs.items };
}

export function SyncPage(props: { id: string }): ReactNode {
  const { api, can } = useSession();
  const loaded = useLoad(`sync:${props.id}`, (signal) => loadSync(api, props.id, signal));

  if (loaded.state === 'loading') {
    return (
      <>
        <h1>Sync</h1>
        <Loading what="the sync" />
      </>
    );
  }
  if (loaded.data === undefined) {
    return (
      <>
        <h1>Sync</h1>
        <ErrorState error={loaded.error} onRetry={loaded.reload} />
      </>
    );
  }
  const { sync, connections, runs } = loaded.data;
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={{ page: 'overview' }}>Overview</Link> <span aria-hidden="true">/</span> Sync
      </nav>
      <div className="page-heading">
        <h1>{sync.name}</h1>
        <div className="page-actions">
          <HealthBadge status={sync.health.status} failures={sync.health.consecutiveFailures} />
          {!sync.enabled && <span className="badge badge-neutral">disabled</span>}
          <Link to={{ page: 'conflicts', syncId: sync.id }}>Conflicts</Link>
          {can('config:write') && (
            <Link to={{ page: 'edit-sync', id: sync.id }} className="button">
              Edit
            </Link>
          )}
          <RunNow syncId={sync.id} />
          {sync.kind !== 'events' && <FullRefresh syncId={sync.id} kind={sync.kind} />}
        </div>
      </div>
      {loaded.state === 'error' && <ErrorState error={loaded.error} onRetry={loaded.reload} />}
      <FirstRunConfirmation run={runs.at(0)} />
      <Definition sync={sync} connections={connections} />
      <Mappings sync={sync} sides={sidesOf(sync, connections)} />
      <PreviewPanel syncId={sync.id} />
      <RecentRuns runs={runs} />
      <RunHistory syncId={sync.id} />
      <AlertsPanel sync={sync} onChanged={loaded.reload} />
      <SyncLog scope={{ kind: 'sync', id: sync.id }} />
    </>
  );
}

function Side(props: { side: SyncSide; connections: Map<string, Connection> }): ReactNode {
  const connection = props.connections.get(props.side.connectionId);
  const filter = describeFilter(props.side.filter);
  return (
    <>
      <strong>{connection?.name ?? props.side.connectionId}</strong>
      {connection !== undefined && (
        <span className="muted"> ({words(connection.kind)})</span>
      )} · {props.side.object} · writes by {props.side.writeMode}
      {filter !== undefined && <div className="small">Only records matching {filter}</div>}
    </>
  );
}

function Definition(props: { sync: Sync; connections: Map<string, Connection> }): ReactNode {
  const { sync } = props;
  const sides = sidesOf(sync, props.connections);
  return (
    <section aria-labelledby="definition-heading">
      <h2 id="definition-heading">Definition</h2>
      <dl className="definition">
        <dt>{sides.left.name}</dt>
        <dd>
          <Side side={sync.left} connections={props.connections} />
        </dd>
        <dt>{sides.right.name}</dt>
        <dd>
          <Side side={sync.right} connections={props.connections} />
        </dd>
        <dt>Kind</dt>
        <dd>{words(sync.kind)}</dd>
        <dt>Direction</dt>
        <dd>
          {arrow(sync.direction)}{' '}
          {sync.direction === 'bidirectional'
            ? 'both ways'
            : describeMappingDirection(sync.direction ?? 'left_to_right', {
                left: sides.left.name,
                right: sides.right.name,
              }).text}
        </dd>
        {sync.match !== undefined && (
          <>
            <dt>Match</dt>
            <dd>
              {sides.left.name} <code>{sync.match.left}</code> = {sides.right.name}{' '}
              <code>{sync.match.right}</code> (normalized as {words(sync.match.normalizer)})
            </dd>
          </>
        )}
        {sync.events !== undefined && (
          <>
            <dt>Event key</dt>
            <dd>
              <code>{sync.events.key}</code>
            </dd>
          </>
        )}
        {sync.identifiers !== undefined && (
          <>
            <dt>Identifiers</dt>
            <dd>
              {Object.entries(sync.identifiers)
                .map(([type, field]) => `${words(type)}: ${field}`)
                .join('; ')}
            </dd>
          </>
        )}
        <dt>Conflicts</dt>
        <dd>
          {sideWords(sync.defaultPolicy ?? 'manual', sides)} by default
          {sync.tieBreaker !== undefined && `; ties go ${sideWords(sync.tieBreaker, sides)}`}
        </dd>
        <dt>Deletes</dt>
        <dd>{words(sync.deletePolicy ?? 'ignore')}</dd>
        <dt>Schedule</dt>
        <dd>
          {describeSchedule(sync.schedule)}
          {sync.nextRunAt !== null && (
            <>
              {' '}
              · next run <When iso={sync.nextRunAt} format={fromNow} />
            </>
          )}
        </dd>
        <dt>Health</dt>
        <dd>
          {sync.health.status}
          {sync.health.reason !== null && `: ${sync.health.reason}`}
          {sync.health.consecutiveFailures > 0 &&
            `, ${sync.health.consecutiveFailures} failed run${sync.health.consecutiveFailures === 1 ? '' : 's'} in a row`}
          {sync.health.retryAt !== null && (
            <>
              {' '}
              · retry <When iso={sync.health.retryAt} format={fromNow} />
            </>
          )}{' '}
          · <Link to={{ page: 'failed', syncId: sync.id }}>failed records</Link>
        </dd>
        <dt>Alerts</dt>
        <dd>
          <a href="#alerts-heading">{describeAlerts(sync.alerts)}</a>
        </dd>
        <dt>Version</dt>
        <dd>
          {sync.version}, changed <When iso={sync.updatedAt} format={fromNow} />
        </dd>
      </dl>
    </section>
  );
}

function Mappings(props: { sync: Sync; sides: SyncSides }): ReactNode {
  const { sync, sides } = props;
  const defaultPolicy = sync.defaultPolicy ?? 'manual';
  return (
    <section aria-labelledby="mappings-heading">
      <h2 id="mappings-heading">Field mappings</h2>
      {sync.mappings.length === 0 ? (
        <Empty>
          <p>No field is mapped: runs match and link records but write no field.</p>
        </Empty>
      ) : (
        <table className="data-table" aria-labelledby="mappings-heading">
          <thead>
            <tr>
              <th scope="col">{sides.left.name} field</th>
              <th scope="col">Direction</th>
              <th scope="col">{sides.right.name} field</th>
              <th scope="col">Transforms</th>
              <th scope="col">Conflict policy</th>
              <th scope="col">Options</th>
            </tr>
          </thead>
          <tbody>
            {sync.mappings.map((mapping, index) => {
              const direction = describeMappingDirection(mapping.direction, {
                left: sides.left.name,
                right: sides.right.name,
              });
              const transforms = describeTransforms(mapping);
              const options = [
                mapping.skipNulls === true ? 'never writes nulls' : undefined,
                mapping.fillEmptyOnly === true ? 'fills empty fields only' : undefined,
                mapping.sensitive === true ? 'values masked in the sync log' : undefined,
              ].filter((option) => option !== undefined);
              return (
                <tr key={`${String(index)}:${mapping.left}:${mapping.right}`}>
                  <td>
                    <code>{mapping.left}</code>
                  </td>
                  <td>
                    <span aria-hidden="true" className="direction">
                      {direction.symbol}
                    </span>{' '}
                    {direction.text}
                  </td>
                  <td>
                    <code>{mapping.right}</code>
                  </td>
                  <td>
                    {transforms.length === 0 ? (
                      <span className="muted">none</span>
                    ) : (
                      transforms.map((line) => (
                        <div key={line} className="small">
                          {line}
                        </div>
                      ))
                    )}
                  </td>
                  <td>
                    {mapping.policy === undefined ? (
                      <span className="muted">{sideWords(defaultPolicy, sides)} (default)</span>
                    ) : (
                      sideWords(mapping.policy, sides)
                    )}
                  </td>
                  <td>
                    {options.length === 0 ? <span className="muted">—</span> : options.join(', ')}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function RecentRuns(props: { runs: Run[] }): ReactNode {
  return (
    <section aria-labelledby="runs-heading">
      <h2 id="runs-heading">Recent runs</h2>
      {props.runs.length === 0 ? (
        <Empty>
          <p>This sync has not run yet.</p>
        </Empty>
      ) : (
        <table className="data-table" aria-labelledby="runs-heading">
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Trigger</th>
              <th scope="col">Duration</th>
              <th scope="col" className="numeric">
                Read
              </th>
              <th scope="col" className="numeric">
                Created
              </th>
              <th scope="col" className="numeric">
                Updated
              </th>
              <th scope="col" className="numeric">
                Failed
              </th>
            </tr>
          </thead>
          <tbody>
            {props.runs.map((run) => (
              <tr key={run.id}>
                <td>
                  <Link to={{ page: 'run', id: run.id }} className="run-link">
                    <RunStatusBadge status={run.status} />{' '}
                    <When iso={run.startedAt} format={fromNow} />
                  </Link>
                </td>
                <td>{run.trigger}</td>
                <td>{duration(run.startedAt, run.finishedAt)}</td>
                <td className="numeric">{count(run.counters.read)}</td>
                <td className="numeric">{count(run.counters.created)}</td>
                <td className="numeric">{count(run.counters.updated)}</td>
                <td className="numeric">{count(run.counters.failed)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
