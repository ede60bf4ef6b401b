/**
 * A sync log (a run's or a sync's), newest line first, with filters on time, action, error code
 * and record id, and cursor paging. Filters and page live in the URL's query, so a filtered view
 * can be linked.
 */
import { useId, useState, type ReactNode } from 'react';
import { count, dateTime, words } from '../format';
import { useParams } from '../query';
import { Link } from '../router';
import { useSession } from '../session';
import { type Page, type RecordEvent } from '../types';
import { UNKNOWN_SIDES, useSides, VendorLink } from '../sides';
import { useLoad } from '../use-load';
import { When } from './badges';
import { Empty, ErrorState, Loading } from './states';
import { Value } from './values';
import { type Filters, LogFilters, PERIODS, TEXT_FILTERS } from './log-filters';

/** Lines per page. */
export const LOG_PAGE_SIZE = 50;

const ACTION_TONE: Record<string, string> = {
  created: 'good',
  updated: 'info',
  deleted: 'warn',
  linked: 'neutral',
  unlinked: 'neutral',
  skipped: 'neutral',
  conflict: 'warn',
  ambiguous_match: 'warn',
  failed: 'bad',
  sent: 'good',
  duplicate: 'neutral',
  too_old: 'warn',
  no_consent: 'warn',
  added: 'good',
  removed: 'warn',
};

export function ActionBadge(props: { action: string }): ReactNode {
  return (
    <span className={`badge badge-${ACTION_TONE[props.action] ?? 'neutral'}`}>
      {words(props.action)}
    </span>
  );
}

/** A record id, linked to its history across syncs and runs. */
export function RecordLink(props: { id: string | null }): ReactNode {
  if (props.id === null) return <span className="muted">—</span>;
  return (
    <Link to={{ page: 'records', recordId: props.id }} className="record-link">
      <code>{props.id}</code>
    </Link>
  );
}

export type LogScope = { kind: 'run'; id: string } | { kind: 'sync'; id: string };

export function SyncLog(props: {
  scope: LogScope;
  headingLevel?: 2 | 3;
  /** A change (a run that ends) reads the page again. */
  version?: string;
}): ReactNode {
  const { api } = useSession();
  const { scope } = props;
  const [params, setParams] = useParams('log.');
  const filters: Filters = {
    action: params.action ?? '',
    errorCode: params.errorCode ?? '',
    recordId: params.recordId ?? '',
    email: params.email ?? '',
    text: params.text ?? '',
    since: params.since ?? '',
  };
  const cursor = params.after;
  // The start of the period, fixed when the filter is applied (in the URL with the page).
  const from = params.from;
  // Cursors of the pages before this one, for "Previous" (a linked page starts without them).
  const [before, setBefore] = useState<string[]>([]);

  const query = new URLSearchParams();
  if (filters.action !== '') query.set('action', filters.action);
  if (filters.errorCode !== '') query.set('errorCode', filters.errorCode);
  for (const name of TEXT_FILTERS) if (filters[name] !== '') query.set(name, filters[name]);
  if (filters.since !== '' && from !== undefined) query.set('from', from);
  query.set('order', 'newest');
  query.set('limit', String(LOG_PAGE_SIZE));
  if (cursor !== undefined) query.set('cursor', cursor);
  const path = `/${scope.kind === 'run' ? 'runs' : 'syncs'}/${encodeURIComponent(scope.id)}/events?${query.toString()}`;
  const loaded = useLoad(`${path}#${props.version ?? ''}`, (signal) =>
    api.get<Page<RecordEvent>>(path, signal),
  );

  const filtered = Object.values(filters).some((value) => value !== '');
  const headingId = useId();
  const Heading = props.headingLevel === 3 ? 'h3' : 'h2';

  function apply(next: Filters): void {
    setBefore([]);
    const period = PERIODS.find((candidate) => candidate.value === next.since);
    setParams({
      ...next,
      from: period === undefined ? undefined : new Date(Date.now() - period.ms).toISOString(),
      after: undefined,
    });
  }

  return (
    <section aria-labelledby={headingId} className="sync-log">
      <Heading id={headingId}>Sync log</Heading>
      <LogFilters filters={filters} onApply={apply} />
      {scope.kind === 'sync' && <ExportButtons syncId={scope.id} query={query} />}
      {loaded.state === 'loading' && <Loading what="the sync log" />}
      {loaded.state === 'error' && <ErrorState error={loaded.error} onRetry={loaded.reload} />}
      {loaded.data !== undefined &&
        (loaded.data.items.length === 0 ? (
          <Empty>
            <p>
              {filtered
                ? 'No line of the log matches these filters.'
                : cursor !== undefined
                  ? 'No more lines.'
                  : scope.kind === 'run'
                    ? 'This run has written nothing to the log (yet).'
                    : 'This sync has written nothing to the log yet.'}
            </p>
          </Empty>
        ) : (
          <LogTable
            events={loaded.data.items}
            showRun={scope.kind === 'sync'}
            caption={`Sync log${filtered ? ' (filtered)' : ''}`}
          />
        ))}
      {loaded.data !== undefined && (
        <LogPager
          page={loaded.data}
          refreshing={loaded.refreshing}
          first={cursor === undefined}
          before={before}
          onPrevious={() => {
            const previous = before.at(-1);
            setBefore(before.slice(0, -1));
            setParams({ ...filters, from, after: previous === '' ? undefined : previous });
          }}
          onNext={(next) => {
            setBefore([...before, cursor ?? '']);
            setParams({ ...filters, from, after: next });
          }}
        />
      )}
    </section>
  );
}

/** First, previous and next page of the log, with how many lines this one shows. */
function LogPager(props: {
  page: Page<RecordEvent>;
  refreshing: boolean;
  /** The first page (no cursor). */
  first: boolean;
  before: string[];
  onPrevious: () => void;
  onNext: (cursor: string) => void;
}): ReactNode {
  const { page } = props;
  const lines = page.items.length;
  return (
    <nav className="pager" aria-label="Sync log pages">
      {!props.first && (
        <button type="button" onClick={props.onPrevious}>
          {props.before.length === 0 ? 'First page' : 'Previous page'}
        </button>
      )}
      <span className="muted small" aria-live="polite">
        {lines === 0
          ? ''
          : `${count(lines)} line${lines === 1 ? '' : 's'}${props.refreshing ? ', loading…' : ''}`}
      </span>
      {page.nextCursor !== null && (
        <button
          type="button"
          onClick={() => {
            if (page.nextCursor !== null) props.onNext(page.nextCursor);
          }}
        >
          Next page
        </button>
      )}
    </nav>
  );
}

/** The log with these filters as a file: every page, CSV or JSON. */
function ExportButtons(props: { syncId: string; query: URLSearchParams }): ReactNode {
  const { api } = useSession();
  const [problem, setProblem] = useState<string | undefined>();

  async function save(format: 'csv' | 'json'): Promise<void> {
    setProblem(undefined);
    const query = new URLSearchParams(props.query);
    query.delete('limit');
    query.delete('cursor');
    query.set('format', format);
    try {
      const { blob, filename } = await api.download(
        `/syncs/${encodeURIComponent(props.syncId)}/events/export?${query.toString()}`,
      );
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = filename;
      link.click();
      URL.revokeObjectURL(url);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  }

  return (
    <p className="export">
      Export these lines:{' '}
      <button type="button" onClick={() => void save('csv')}>
        CSV
      </button>{' '}
      <button type="button" onClick={() => void save('json')}>
        JSON
      </button>
      {problem !== undefined && (
        <span className="inline-error" role="alert">
          {' '}
          {problem}
        </span>
      )}
    </p>
  );
}

/** Log lines as a table (also the record history's). */
export function LogTable(props: {
  events: RecordEvent[];
  showRun: boolean;
  caption: string;
  syncNames?: Map<string, string>;
}): ReactNode {
  // The sides are named in the headings when every line is of one sync (not in record history).
  const syncIds = new Set(props.events.map((event) => event.syncId));
  const one = useSides(syncIds.size === 1 ? [...syncIds].at(0) : undefined);
  const heading = syncIds.size === 1 ? one : UNKNOWN_SIDES;
  return (
    <div className="table-scroll">
      <table className="data-table log-table">
        <caption className="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            {props.syncNames !== undefined && <th scope="col">Sync</th>}
            {props.showRun && <th scope="col">Run</th>}
            <th scope="col">Action</th>
            <th scope="col">Side</th>
            <th scope="col">{heading.left.name} record</th>
            <th scope="col">{heading.right.name} record</th>
            <th scope="col">Fields</th>
            <th scope="col">Error</th>
          </tr>
        </thead>
        <tbody>
          {props.events.map((event) => (
            <LogRow
              key={`${event.syncId}:${event.id}`}
              event={event}
              showRun={props.showRun}
              syncNames={props.syncNames}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function LogRow(props: {
  event: RecordEvent;
  showRun: boolean;
  syncNames: Map<string, string> | undefined;
}): ReactNode {
  const { event } = props;
  const sides = useSides(event.syncId);
  return (
    <tr data-event-id={event.id} data-action={event.action} data-error-code={event.errorCode ?? ''}>
      <td>
        <When iso={event.at} format={dateTime} />
      </td>
      {props.syncNames !== undefined && (
        <td>
          <Link to={{ page: 'sync', id: event.syncId }}>
            {props.syncNames.get(event.syncId) ?? 'Sync'}
          </Link>
        </td>
      )}
      {props.showRun && (
        <td>
          <Link to={{ page: 'run', id: event.runId }}>
            <span className="visually-hidden">Run </span>
            <code>{event.runId.slice(0, 8)}</code>
          </Link>
        </td>
      )}
      <td>
        <ActionBadge action={event.action} />
      </td>
      <td>{sides[event.side].name}</td>
      <td>
        <RecordLink id={event.leftId} /> <VendorLink side={sides.left} id={event.leftId} />
      </td>
      <td>
        <RecordLink id={event.rightId} /> <VendorLink side={sides.right} id={event.rightId} />
      </td>
      <td>
        {event.changes !== null && event.changes.length > 0 ? (
          <ul className="changes small">
            {event.changes.map((change) => (
              <li key={change.field}>
                {change.field}: <Value value={change.from} /> → <Value value={change.to} />
              </li>
            ))}
          </ul>
        ) : event.fields.length === 0 ? (
          <span className="muted">—</span>
        ) : (
          <span className="small">{event.fields.join(', ')}</span>
        )}
      </td>
      <td>
        {event.errorCode === null && event.message === null ? (
          <span className="muted">—</span>
        ) : (
          <>
            {event.errorCode !== null && <code>{event.errorCode}</code>}{' '}
            {event.message !== null && <span className="small">{event.message}</span>}
          </>
        )}
      </td>
    </tr>
  );
}
