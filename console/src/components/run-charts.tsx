/** Charts of runs: records synced and errors per hour (overview); one sync's run history. */
import type { ReactNode } from 'react';
import { pages, type Api } from '../api';
import { count } from '../format';
import { useSession } from '../session';
import type { Page, Run } from '../types';
import { useLoad } from '../use-load';
import { BarChart } from './charts';
import { ErrorState, Loading } from './states';

const HOUR = 3_600_000;
/** The overview reads at most this many runs of the last 24 hours. */
const MAX_RUNS = 10_000;
const HISTORY_RUNS = 30;

/** Records a run wrote: created, updated and deleted. */
export function written(run: Run): number {
  const { created, updated, deleted, sent, added, removed } = run.counters;
  return created + updated + deleted + sent + added + removed;
}

interface Hourly {
  starts: number[];
  records: number[];
  errors: number[];
  runs: number;
  capped: boolean;
}

async function loadHourly(api: Api, now: number, signal: AbortSignal): Promise<Hourly> {
  // 24 buckets ending with the current hour.
  const first = Math.floor(now / HOUR) * HOUR - 23 * HOUR;
  const starts = Array.from({ length: 24 }, (_, i) => first + i * HOUR);
  const records = starts.map(() => 0);
  const errors = starts.map(() => 0);
  let runs = 0;
  let capped = false;
  const from = new Date(first).toISOString();
  for await (const page of pages<Run>(api, `/runs?from=${encodeURIComponent(from)}`, signal)) {
    for (const run of page.items) {
      const bucket = Math.floor((Date.parse(run.startedAt) - first) / HOUR);
      if (bucket < 0 || bucket > 23) continue;
      records[bucket] = (records[bucket] ?? 0) + written(run);
      errors[bucket] = (errors[bucket] ?? 0) + run.counters.failed;
      runs++;
    }
    if (runs >= MAX_RUNS && page.nextCursor !== null) {
      capped = true;
      break;
    }
  }
  return { starts, records, errors, runs, capped };
}

const hourLabel = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** Records synced and errors per hour over the last 24 hours, summed from the runs' counters. */
export function HourlyActivity(props: { refreshKey: number }): ReactNode {
  const { api } = useSession();
  const loaded = useLoad(`hourly:${String(props.refreshKey)}`, (signal) =>
    loadHourly(api, Date.now(), signal),
  );
  return (
    <section aria-labelledby="activity-heading">
      <h2 id="activity-heading">Activity (last 24 hours)</h2>
      {loaded.state === 'loading' && <Loading what="the runs of the last 24 hours" />}
      {loaded.state === 'error' && <ErrorState error={loaded.error} onRetry={loaded.reload} />}
      {loaded.data !== undefined && <HourlyChart data={loaded.data} />}
    </section>
  );
}

function HourlyChart(props: { data: Hourly }): ReactNode {
  const { data } = props;
  const totalRecords = data.records.reduce((a, b) => a + b, 0);
  const totalErrors = data.errors.reduce((a, b) => a + b, 0);
  const busiest = data.records.indexOf(Math.max(...data.records));
  const labels = data.starts.map((start) => hourLabel.format(new Date(start)));
  const summary =
    data.runs === 0
      ? 'No runs in the last 24 hours.'
      : `${count(data.runs)} run${data.runs === 1 ? '' : 's'}${data.capped ? ' (the latest ones shown)' : ''} synced ${count(totalRecords)} records with ${count(totalErrors)} errors in the last 24 hours` +
        (totalRecords > 0 ? `; the busiest hour began at ${labels[busiest] ?? ''}.` : '.');
  return (
    <div data-chart="hourly">
      <BarChart
        title="Records synced and errors per hour"
        summary={summary}
        labels={labels}
        longLabels={data.starts.map(
          (start) =>
            `${hourLabel.format(new Date(start))}–${hourLabel.format(new Date(start + HOUR))}`,
        )}
        labelEvery={3}
        series={[
          { name: 'records synced', tone: 'records', values: data.records },
          { name: 'errors', tone: 'errors', values: data.errors },
        ]}
      />
    </div>
  );
}

function seconds(run: Run): number {
  const end = run.finishedAt === null ? Date.now() : Date.parse(run.finishedAt);
  return Math.max(0, (end - Date.parse(run.startedAt)) / 1000);
}

const runLabel = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** A sync's last runs, oldest to newest: records read and written, failures, duration. */
export function RunHistory(props: { syncId: string; refreshKey?: number }): ReactNode {
  const { api } = useSession();
  const loaded = useLoad(`history:${props.syncId}:${String(props.refreshKey ?? 0)}`, (signal) =>
    api.get<Page<Run>>(
      `/runs?syncId=${encodeURIComponent(props.syncId)}&limit=${String(HISTORY_RUNS)}`,
      signal,
    ),
  );
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">Run history</h2>
      {loaded.state === 'loading' && <Loading what="the run history" />}
      {loaded.state === 'error' && <ErrorState error={loaded.error} onRetry={loaded.reload} />}
      {loaded.data !== undefined &&
        (loaded.data.items.length === 0 ? (
          <p className="muted">No runs yet: the chart appears after the first run.</p>
        ) : (
          <HistoryCharts runs={[...loaded.data.items].reverse()} />
        ))}
    </section>
  );
}

function HistoryCharts(props: { runs: Run[] }): ReactNode {
  const { runs } = props;
  const labels = runs.map((run) => runLabel.format(new Date(run.startedAt)));
  const failures = runs.filter((run) => run.status === 'failed').length;
  const failedRecords = runs.reduce((sum, run) => sum + run.counters.failed, 0);
  const durations = runs.map(seconds);
  const longest = Math.max(...durations);
  const every = Math.max(1, Math.ceil(runs.length / 8));
  return (
    <div className="chart-pair" data-chart="history">
      <BarChart
        title={`Records per run (last ${String(runs.length)})`}
        summary={`Over the last ${String(runs.length)} runs: ${count(runs.reduce((s, r) => s + r.counters.read, 0))} records read, ${count(runs.reduce((s, r) => s + written(r), 0))} written, ${count(failedRecords)} failed; ${String(failures)} run${failures === 1 ? '' : 's'} failed.`}
        labels={labels}
        labelEvery={every}
        series={[
          { name: 'read', tone: 'read', values: runs.map((r) => r.counters.read) },
          { name: 'written', tone: 'records', values: runs.map(written) },
          { name: 'failed', tone: 'errors', values: runs.map((r) => r.counters.failed) },
        ]}
      />
      <BarChart
        title="Duration per run"
        summary={`The longest of these runs took ${longest.toFixed(1)} s; the latest ${(durations.at(-1) ?? 0).toFixed(1)} s.`}
        labels={labels}
        labelEvery={every}
        series={[
          {
            name: 'seconds',
            tone: 'duration',
            values: durations,
            format: (value) => `${value.toFixed(1)} s`,
          },
        ]}
      />
    </div>
  );
}
