/**
 * Record history: every sync log line of one record (by its id on either side, or by its email),
 * across syncs and runs, newest first. The search is in the URL (`/console/records?recordId=…` or
 * `?email=…`), so a search is a link.
 */
import { useEffect, useId, useState, type ReactNode, type SubmitEvent } from 'react';
import { getAll, type Api } from '../api';
import { LogTable } from '../components/sync-log';
import { Empty, ErrorState, Loading } from '../components/states';
import { count } from '../format';
import { writeParams, useParams } from '../query';
import { Link } from '../router';
import { useSession } from '../session';
import type { Page, RecordEvent, RecordMatch, Sync } from '../types';
import { useLoad } from '../use-load';

/** Lines read at most per sync. */
const MAX_PER_SYNC = 2000;

interface History {
  events: RecordEvent[];
  syncNames: Map<string, string>;
  truncated: boolean;
}

/** Every event of the sync that names one of `ids`, each once. */
async function eventsOf(
  api: Api,
  syncId: string,
  ids: readonly string[],
  signal: AbortSignal,
): Promise<{ events: RecordEvent[]; truncated: boolean }> {
  const seen = new Map<string, RecordEvent>();
  let truncated = false;
  for (const id of new Set(ids)) {
    let events = await getAll<RecordEvent>(
      api,
      `/syncs/${encodeURIComponent(syncId)}/events?recordId=${encodeURIComponent(id)}`,
      signal,
    );
    if (events.length > MAX_PER_SYNC) {
      truncated = true;
      events = events.slice(-MAX_PER_SYNC);
    }
    for (const event of events) seen.set(event.id, event);
  }
  return { events: [...seen.values()], truncated };
}

/** Records a name finds in one sync: ids of the lines whose values written hold it. */
const MAX_NAMED = 20;

async function idsByName(
  api: Api,
  syncId: string,
  name: string,
  signal: AbortSignal,
): Promise<string[]> {
  // The API looks for two characters at least; a shorter text is an id only.
  if (name.length < 2) return [];
  const page = await api.get<Page<RecordEvent>>(
    `/syncs/${encodeURIComponent(syncId)}/events?order=newest&limit=200&text=${encodeURIComponent(name)}`,
    signal,
  );
  const ids = new Set<string>();
  for (const event of page.items) {
    for (const id of [event.leftId, event.rightId]) if (id !== null) ids.add(id);
    if (ids.size >= MAX_NAMED) break;
  }
  return [...ids];
}

/** The search: a record id on either side of any sync, or an email the API resolves to ids. */
type Search = { recordId: string } | { email: string };

async function loadHistory(api: Api, search: Search, signal: AbortSignal): Promise<History> {
  const syncs = await getAll<Sync>(api, '/syncs', signal);
  const syncNames = new Map(syncs.map((sync) => [sync.id, sync.name]));
  const targets: Array<{ syncId: string; ids: string[] }> =
    'email' in search
      ? (
          await api.get<{ items: RecordMatch[] }>(
            `/records?email=${encodeURIComponent(search.email)}`,
            signal,
          )
        ).items.map((match) => ({
          syncId: match.syncId,
          ids: [match.leftId, match.rightId].filter((id): id is string => id !== null),
        }))
      : await Promise.all(
          syncs.map(async (sync) => ({
            syncId: sync.id,
            ids: [search.recordId, ...(await idsByName(api, sync.id, search.recordId, signal))],
          })),
        );
  const perSync = await Promise.all(
    targets.map((target) => eventsOf(api, target.syncId, target.ids, signal)),
  );
  // One record may be found twice (linked, and by the line of a create that failed before).
  const events = [
    ...new Map(perSync.flatMap((found) => found.events).map((event) => [event.id, event])).values(),
  ].sort((a, b) => b.at.localeCompare(a.at) || Number(b.id) - Number(a.id));
  return { events, syncNames, truncated: perSync.some((found) => found.truncated) };
}

export function RecordsPage(): ReactNode {
  const [params] = useParams();
  const recordId = params.recordId ?? '';
  const email = params.email ?? '';
  const current = email === '' ? recordId : email;
  const [draft, setDraft] = useState(current);
  const inputId = useId();
  useEffect(() => {
    setDraft(current);
  }, [current]);

  function submit(event: SubmitEvent<HTMLFormElement>): void {
    event.preventDefault();
    const value = draft.trim();
    // An email has an @; record ids of the CRMs we sync never do.
    writeParams('', value.includes('@') ? { email: value } : { recordId: value });
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
          <label htmlFor={inputId}>Record id, email or name</label>
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
          The record&apos;s id on either side of any sync (a HubSpot or Salesforce id, for example);
          its email, which finds the records a sync linked or read with it (a failed create too); or
          a name, or any value a sync wrote, which finds the records whose log shows it.
        </p>
      </form>
      {current === '' ? (
        <Empty>
          <p>
            Enter a record id, an email or a name to see every event of that record across syncs and
            runs.
          </p>
        </Empty>
      ) : (
        <Results key={current} search={email === '' ? { recordId } : { email }} />
      )}
    </>
  );
}

function Results(props: { search: Search }): ReactNode {
  const { api } = useSession();
  const label = 'email' in props.search ? props.search.email : props.search.recordId;
  const loaded = useLoad(`record:${JSON.stringify(props.search)}`, (signal) =>
    loadHistory(api, props.search, signal),
  );
  if (loaded.state === 'loading') return <Loading what="the record's history" />;
  if (loaded.data === undefined) return <ErrorState error={loaded.error} onRetry={loaded.reload} />;
  const { events, syncNames, truncated } = loaded.data;
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">
        History of <code>{label}</code>
      </h2>
      {loaded.state === 'error' && <ErrorState error={loaded.error} onRetry={loaded.reload} />}
      {events.length === 0 ? (
        <Empty>
          <p>
            No sync has logged anything for <code>{label}</code>. Check it: a record&apos;s id in
            its CRM, on either side, the email a sync matches it by, or a name it wrote.
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
            caption={`History of record ${label}`}
          />
        </>
      )}
    </section>
  );
}
