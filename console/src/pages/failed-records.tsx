/**
 * Failed records, a sync's or every sync's: the record, the vendor's message, attempts, the next
 * attempt or "given up"; retry (due now, so the next run tries it again) or discard (never retried
 * again) one, or the ticked ones. Keys without config:write read only.
 */
import { useState, type ReactNode } from 'react';
import { getAll, type Api } from '../api';
import { HealthBadge, When } from '../components/badges';
import { Empty, ErrorState, Loading, describeError } from '../components/states';
import { count, dateTime, fromNow } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import { useSides, VendorLink } from '../sides';
import type { FailedRecord, Sync } from '../types';
import { useLoad } from '../use-load';

interface Loaded {
  /** The sync of a sync's page; undefined across syncs. */
  sync: Sync | undefined;
  syncNames: Map<string, string>;
  records: FailedRecord[];
}

async function load(api: Api, syncId: string | undefined, signal: AbortSignal): Promise<Loaded> {
  if (syncId !== undefined) {
    const id = encodeURIComponent(syncId);
    const [sync, records] = await Promise.all([
      api.get<Sync>(`/syncs/${id}`, signal),
      getAll<FailedRecord>(api, `/syncs/${id}/failed-records`, signal),
    ]);
    return { sync, syncNames: new Map([[sync.id, sync.name]]), records };
  }
  const [syncs, records] = await Promise.all([
    getAll<Sync>(api, '/syncs', signal),
    getAll<FailedRecord>(api, '/failed-records', signal),
  ]);
  return {
    sync: undefined,
    syncNames: new Map(syncs.map((sync) => [sync.id, sync.name])),
    records,
  };
}

function recordPath(record: FailedRecord): string {
  return [record.syncId, record.side, record.recordId].map(encodeURIComponent).join('/');
}

function keyOf(record: FailedRecord): string {
  return `${record.syncId}:${record.side}:${record.recordId}`;
}

type Action = 'retry' | 'discard';

export function FailedRecordsPage(props: { syncId?: string }): ReactNode {
  const { api, can } = useSession();
  const loaded = useLoad(props.syncId ?? '*', (signal) => load(api, props.syncId, signal));
  const [done, setDone] = useState<{ text: string; failed?: boolean } | undefined>();
  const [busy, setBusy] = useState<string | undefined>();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());

  if (loaded.state === 'loading') return <Loading what="failed records" />;
  if (loaded.state === 'error' && loaded.data === undefined)
    return <ErrorState error={loaded.error} onRetry={loaded.reload} />;
  const data = loaded.data;
  if (data === undefined) return null;
  const { sync, syncNames, records } = data;
  const writable = can('config:write');
  const chosen = records.filter((record) => selected.has(keyOf(record)));

  /** Retries or discards `targets` one by one; says how many went, and the first refusal. */
  async function act(targets: FailedRecord[], action: Action, busyKey: string): Promise<void> {
    setBusy(busyKey);
    setDone(undefined);
    let went = 0;
    let problem: string | undefined;
    for (const record of targets) {
      try {
        if (action === 'retry') await api.post(`/failed-records/${recordPath(record)}/retry`);
        else await api.delete(`/failed-records/${recordPath(record)}`);
        went++;
      } catch (error) {
        problem ??= `${record.recordId}: ${describeError(error instanceof Error ? error : new Error(String(error)))}`;
      }
    }
    const text = actionText(targets, action, went, syncNames, problem);
    setDone({
      text: problem === undefined ? text : `${text} Not done: ${problem}`,
      failed: problem !== undefined,
    });
    setSelected(new Set());
    setBusy(undefined);
    loaded.reload();
  }

  return (
    <>
      <FailedHeading sync={sync} />
      {done !== undefined && (
        <p className={done.failed === true ? 'inline-error' : 'state'} role="status">
          {done.text}
        </p>
      )}
      {records.length === 0 ? (
        <Empty>
          {sync === undefined
            ? 'No failed records: every record of every sync went through.'
            : 'No failed records: every record of this sync went through.'}
        </Empty>
      ) : (
        <>
          {writable && records.length > 1 && (
            <FailedBulkActions
              records={records}
              chosen={chosen}
              busy={busy}
              onSelect={setSelected}
              onAct={(action) => void act(chosen, action, 'many')}
            />
          )}
          <FailedTable
            records={records}
            sync={sync}
            syncNames={syncNames}
            writable={writable}
            selected={selected}
            onSelect={setSelected}
            busy={busy}
            onAct={(record, action) => void act([record], action, `${action}:${keyOf(record)}`)}
          />
        </>
      )}
    </>
  );
}

/** The breadcrumb and title; a sync's page shows its health. */
function FailedHeading(props: { sync: Sync | undefined }): ReactNode {
  const { sync } = props;
  const title = sync === undefined ? 'Failed records' : `Failed records of ${sync.name}`;
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={{ page: 'overview' }}>Overview</Link> <span aria-hidden="true">/</span>{' '}
        {sync !== undefined && (
          <>
            <Link to={{ page: 'sync', id: sync.id }}>{sync.name}</Link>{' '}
            <span aria-hidden="true">/</span>{' '}
          </>
        )}
        Failed records
      </nav>
      <h1>
        {title}{' '}
        {sync !== undefined && (
          <HealthBadge
            status={sync.health.status}
            failures={sync.health.consecutiveFailures}
            reason={sync.health.reason}
          />
        )}
      </h1>
      {sync?.health.reason != null && <p>{sync.health.reason}</p>}
    </>
  );
}

/** What retrying or discarding `targets` did, `went` of them done. */
function actionText(
  targets: FailedRecord[],
  action: Action,
  went: number,
  syncNames: Map<string, string>,
  problem: string | undefined,
): string {
  const one = targets.length === 1 ? targets.at(0) : undefined;
  return one !== undefined && problem === undefined
    ? action === 'retry'
      ? `${one.recordId} is due again: the next run of "${syncNames.get(one.syncId) ?? 'its sync'}" retries it.`
      : `${one.recordId} was discarded: it is not retried any more.`
    : action === 'retry'
      ? `${count(went)} record${went === 1 ? ' is' : 's are'} due again: the next run of each sync retries them.`
      : `${count(went)} record${went === 1 ? ' was' : 's were'} discarded: not retried any more.`;
}

/** Select all, and retry or discard the ticked records. */
function FailedBulkActions(props: {
  records: FailedRecord[];
  chosen: FailedRecord[];
  busy: string | undefined;
  onSelect: (selected: ReadonlySet<string>) => void;
  onAct: (action: Action) => void;
}): ReactNode {
  const { records, chosen, busy } = props;
  const all = records.length > 0 && chosen.length === records.length;
  return (
    <div className="bulk-actions" role="group" aria-label="Act on several records">
      <label>
        <input
          type="checkbox"
          checked={all}
          onChange={() => {
            props.onSelect(all ? new Set() : new Set(records.map(keyOf)));
          }}
        />{' '}
        Select all {count(records.length)}
      </label>
      {chosen.length > 0 && (
        <>
          <button
            type="button"
            disabled={busy !== undefined}
            onClick={() => {
              props.onAct('retry');
            }}
          >
            Retry {count(chosen.length)}
          </button>
          <button
            type="button"
            disabled={busy !== undefined}
            onClick={() => {
              props.onAct('discard');
            }}
          >
            Discard {count(chosen.length)}
          </button>
        </>
      )}
    </div>
  );
}

/** The failed records, one row each, oldest failure first. */
function FailedTable(props: {
  records: FailedRecord[];
  sync: Sync | undefined;
  syncNames: Map<string, string>;
  writable: boolean;
  selected: ReadonlySet<string>;
  onSelect: (change: (current: ReadonlySet<string>) => ReadonlySet<string>) => void;
  busy: string | undefined;
  onAct: (record: FailedRecord, action: Action) => void;
}): ReactNode {
  const { records, sync, syncNames, writable, selected, busy } = props;
  return (
    <table className="data-table">
      <caption>
        {count(records.length)} failed record{records.length === 1 ? '' : 's'}, oldest failure first
      </caption>
      <thead>
        <tr>
          {writable && records.length > 1 && (
            <th scope="col">
              <span className="visually-hidden">Selected</span>
            </th>
          )}
          <th scope="col">Record</th>
          {sync === undefined && <th scope="col">Sync</th>}
          <th scope="col">Error</th>
          <th scope="col" className="numeric">
            Attempts
          </th>
          <th scope="col">Next attempt</th>
          {writable && <th scope="col">Actions</th>}
        </tr>
      </thead>
      <tbody>
        {records.map((record) => (
          <FailedRow
            key={keyOf(record)}
            record={record}
            syncName={sync === undefined ? (syncNames.get(record.syncId) ?? 'Sync') : undefined}
            writable={writable}
            selected={writable && records.length > 1 ? selected.has(keyOf(record)) : undefined}
            onSelect={(on) => {
              props.onSelect((current) => {
                const next = new Set(current);
                if (on) next.add(keyOf(record));
                else next.delete(keyOf(record));
                return next;
              });
            }}
            busy={busy}
            onAct={(action) => {
              props.onAct(record, action);
            }}
          />
        ))}
      </tbody>
    </table>
  );
}

function FailedRow(props: {
  record: FailedRecord;
  /** Shown across syncs. */
  syncName: string | undefined;
  writable: boolean;
  /** Undefined: no selection offered. */
  selected: boolean | undefined;
  onSelect: (selected: boolean) => void;
  busy: string | undefined;
  onAct: (action: Action) => void;
}): ReactNode {
  const { record, busy } = props;
  const sides = useSides(record.syncId);
  const key = keyOf(record);
  return (
    <tr data-record-id={record.recordId}>
      {props.selected !== undefined && (
        <td>
          <input
            type="checkbox"
            checked={props.selected}
            aria-label={`Select ${record.recordId}`}
            onChange={(event) => {
              props.onSelect(event.target.checked);
            }}
          />
        </td>
      )}
      <th scope="row">
        <Link to={{ page: 'records', recordId: record.recordId }}>{record.recordId}</Link>{' '}
        <VendorLink side={sides[record.side]} id={record.recordId} />
        <div className="muted small">
          read from {sides[record.side].name}
          {record.operation === 'delete' ? ', its delete' : ''}
        </div>
      </th>
      {props.syncName !== undefined && (
        <td>
          <Link to={{ page: 'failed', syncId: record.syncId }}>{props.syncName}</Link>
        </td>
      )}
      <td>
        <code>{record.errorCode}</code> {record.message}
      </td>
      <td className="numeric">{count(record.attempts)}</td>
      <td>
        {record.dead ? (
          <span className="muted">given up</span>
        ) : (
          <span title={dateTime(record.nextAttemptAt)}>
            <When iso={record.nextAttemptAt} format={fromNow} />
          </span>
        )}
      </td>
      {props.writable && (
        <td>
          <button
            type="button"
            disabled={busy !== undefined}
            onClick={() => {
              props.onAct('retry');
            }}
            aria-label={`Retry ${record.recordId}`}
          >
            {busy === `retry:${key}` ? 'Retrying…' : 'Retry'}
          </button>{' '}
          <button
            type="button"
            disabled={busy !== undefined}
            onClick={() => {
              props.onAct('discard');
            }}
            aria-label={`Discard ${record.recordId}`}
          >
            {busy === `discard:${key}` ? 'Discarding…' : 'Discard'}
          </button>
        </td>
      )}
    </tr>
  );
}
