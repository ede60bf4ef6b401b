/**
 * A sync's failed records, one by one: the record, the vendor's message, attempts, the next
 * attempt or "given up"; retry one (due now, so the next run tries it again) or discard one (never
 * retried again). Keys without config:write read only.
 */
import { useState, type ReactNode } from 'react';
import { getAll, type Api } from '../api';
import { HealthBadge, When } from '../components/badges';
import { Empty, ErrorState, Loading, describeError } from '../components/states';
import { count, dateTime, fromNow } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import type { FailedRecord, Sync } from '../types';
import { useSides, VendorLink } from '../sides';
import { useLoad } from '../use-load';

interface Loaded {
  sync: Sync;
  records: FailedRecord[];
}

async function load(api: Api, syncId: string, signal: AbortSignal): Promise<Loaded> {
  const id = encodeURIComponent(syncId);
  const [sync, records] = await Promise.all([
    api.get<Sync>(`/syncs/${id}`, signal),
    getAll<FailedRecord>(api, `/syncs/${id}/failed-records`, signal),
  ]);
  return { sync, records };
}

function recordPath(record: FailedRecord): string {
  return [record.syncId, record.side, record.recordId].map(encodeURIComponent).join('/');
}

export function FailedRecordsPage(props: { syncId: string }): ReactNode {
  const { api, can } = useSession();
  const loaded = useLoad(props.syncId, (signal) => load(api, props.syncId, signal));
  const [done, setDone] = useState<{ text: string; failed?: boolean } | undefined>();
  const [busy, setBusy] = useState<string | undefined>();
  const sides = useSides(props.syncId);

  if (loaded.state === 'loading') return <Loading what="failed records" />;
  if (loaded.state === 'error' && loaded.data === undefined)
    return <ErrorState error={loaded.error} onRetry={loaded.reload} />;
  const data = loaded.data;
  if (data === undefined) return null;
  const { sync, records } = data;
  const writable = can('config:write');

  async function act(record: FailedRecord, action: 'retry' | 'discard'): Promise<void> {
    const key = `${action}:${record.side}:${record.recordId}`;
    setBusy(key);
    setDone(undefined);
    try {
      if (action === 'retry') await api.post(`/failed-records/${recordPath(record)}/retry`);
      else await api.delete(`/failed-records/${recordPath(record)}`);
      setDone({
        text:
          action === 'retry'
            ? `${record.recordId} is due again: the next run of "${sync.name}" retries it.`
            : `${record.recordId} was discarded: it is not retried any more.`,
      });
      loaded.reload();
    } catch (error) {
      setDone({
        text: describeError(error instanceof Error ? error : new Error(String(error))),
        failed: true,
      });
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={{ page: 'overview' }}>Overview</Link> <span aria-hidden="true">/</span>{' '}
        <Link to={{ page: 'sync', id: sync.id }}>{sync.name}</Link>{' '}
        <span aria-hidden="true">/</span> Failed records
      </nav>
      <h1>
        Failed records of {sync.name}{' '}
        <HealthBadge
          status={sync.health.status}
          failures={sync.health.consecutiveFailures}
          reason={sync.health.reason}
        />
      </h1>
      {sync.health.reason !== null && <p>{sync.health.reason}</p>}
      {done !== undefined && (
        <p className={done.failed === true ? 'inline-error' : 'state'} role="status">
          {done.text}
        </p>
      )}
      {records.length === 0 ? (
        <Empty>No failed records: every record of this sync went through.</Empty>
      ) : (
        <table className="data-table">
          <caption>
            {count(records.length)} failed record{records.length === 1 ? '' : 's'}, oldest failure
            first
          </caption>
          <thead>
            <tr>
              <th scope="col">Record</th>
              <th scope="col">Error</th>
              <th scope="col" className="numeric">
                Attempts
              </th>
              <th scope="col">Next attempt</th>
              {writable && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {records.map((record) => {
              const id = `${record.side}:${record.recordId}`;
              return (
                <tr key={id} data-record-id={record.recordId}>
                  <th scope="row">
                    <Link to={{ page: 'records', recordId: record.recordId }}>
                      {record.recordId}
                    </Link>{' '}
                    <VendorLink side={sides[record.side]} id={record.recordId} />
                    <div className="muted small">
                      read from {sides[record.side].name}
                      {record.operation === 'delete' ? ', its delete' : ''}
                    </div>
                  </th>
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
                  {writable && (
                    <td>
                      <button
                        type="button"
                        disabled={busy !== undefined}
                        onClick={() => void act(record, 'retry')}
                        aria-label={`Retry ${record.recordId}`}
                      >
                        {busy === `retry:${id}` ? 'Retrying…' : 'Retry'}
                      </button>{' '}
                      <button
                        type="button"
                        disabled={busy !== undefined}
                        onClick={() => void act(record, 'discard')}
                        aria-label={`Discard ${record.recordId}`}
                      >
                        {busy === `discard:${id}` ? 'Discarding…' : 'Discard'}
                      </button>
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
