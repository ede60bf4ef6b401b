/**
 * Record history: every sync log line of one record (by its id on either side), across syncs and
 * runs, newest first. The id is in the URL (`/console/records?recordId=…`), so a search is a link.
 */
import { useEffect, useId, useState, type ReactNode, type SubmitEvent } from 'react';
import { getAll, type Api } from '../api';
import { LogTable } from '../components/sync-log';
import { Empty, ErrorState, Loading } from '../components/states';
import { count } from '../format';
import { writeParams, useParams } from '../query';
import { Link } from '../router';
import { useSession } from '../session';
import type { RecordEvent, Sync } from '../types';
import { useLoad } from '../use-load';

/** Lines read at most per sync. */
const MAX_PER_SYNC = 2000;

interface History {
  events: RecordEvent[];
  syncNames: Map<string, string>;
  truncated: boolean;
}

async function loadHistory(api: Api, recordId: string, signal: AbortSignal): Promise<History> {
  const syncs = await getAll<Sync>(api, '/syncs', signal);
  const syncNames = new Map(syncs.map((sync) => [sync.id, sync.name]));
  let truncated = false;
  const perSync = await Promise.all(
    syncs.map(async (sync) => {
      const events = await getAll<RecordEvent>(
        api,
        `/syncs/${encodeURIComponent(sync.id)}/events?recordId=${encodeURIComponent(recordId)}`,
        signal,
      );
      if (events.length > MAX_PER_SYNC) {
        truncated = true;
        return events.slice(-MAX_PER_SYNC);
      }
      return events;
    }),
  );
  const events = perSync
    .flat()
    .sort((a, b) => b.at.localeCompare(a.at) || Number(b.id) - Number(a.id));
  return { events, syncNames, truncated };
}

export function RecordsPage(): ReactNode {
  const [params] = useParams();
  const recordId = params.recordId ?? '';
  const [draft, setDraft] = useState(recordId);
  const inputId = useId();
  useEffect(() => {
    setDraft(recordId);
  }, [recordId]);

  function submit(event: SubmitEvent<HTMLFormElement>): void {
    event.preventDefault();
    writeParams('', { recordId: draft.trim() });
  }

  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={{ page: 'overview' }}>Overview</Link> <span aria-hidden="true">/</span> Record
        history
      </nav>
      <h1>Record history</h1>
      <form className="filters" role="search" aria-label="Record history" onSubmit={submit}>
        <div className="field field-wide">
          <label htmlFor={inputId}>Record id</label>
          <input
            id={inputId}
            type="text"
            value={draft}
            autoComplete="off"
            spellCheck={false}
            aria-describedby={`${inputId}-hint`}
            onChange={(event) => {
              setDraft(event.target.value);
            }}
          />
        </div>
        <div className="filter-actions">
          <button type="submit" className="primary">
            Search
          </button>
        </div>
        <p id={`${inputId}-hint`} className="small muted hint">
          The record&apos;s id on either side of any sync (a HubSpot or Salesforce id, for example).
          Searching by email is not possible yet: the API has no endpoint that finds records or log
          lines by email.
        </p>
      </form>
      {recordId === '' ? (
        <Empty>
          <p>Enter a record id to see every event of that record across syncs and runs.</p>
        </Empty>
      ) : (
        <Results key={recordId} recordId={recordId} />
      )}
    </>
  );
}

function Results(props: { recordId: string }): ReactNode {
  const { api } = useSession();
  const loaded = useLoad(`record:${props.recordId}`, (signal) =>
    loadHistory(api, props.recordId, signal),
  );
  if (loaded.state === 'loading') return <Loading what="the record's history" />;
  if (loaded.data === undefined) return <ErrorState error={loaded.error} onRetry={loaded.reload} />;
  const { events, syncNames, truncated } = loaded.data;
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">
        History of <code>{props.recordId}</code>
      </h2>
      {loaded.state === 'error' && <ErrorState error={loaded.error} onRetry={loaded.reload} />}
      {events.length === 0 ? (
        <Empty>
          <p>
            No sync has logged anything for the record <code>{props.recordId}</code>. Check the id:
            it is the record&apos;s id in its CRM, on either side.
          </p>
        </Empty>
      ) : (
        <>
          <p className="small muted" aria-live="polite">
            {count(events.length)} event{events.length === 1 ? '' : 's'}, newest first
            {truncated && ` (the last ${count(MAX_PER_SYNC)} per sync)`}.
          </p>
          <LogTable
            events={events}
            showRun
            syncNames={syncNames}
            caption={`History of record ${props.recordId}`}
          />
        </>
      )}
    </section>
  );
}
