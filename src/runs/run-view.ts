/** Runs and sync log lines as the API gives them, and the log's CSV export. */
import { countersOf } from '../engine/ports';
import type { RecordEventEntity } from '../persistence/record-event.entity';
import type { SyncRunEntity } from '../persistence/sync-run.entity';
import type { RecordEventDto, RunDto } from './runs.dto';

export function runView(run: SyncRunEntity): RunDto {
  return {
    id: run.id,
    syncId: run.syncId,
    trigger: run.trigger,
    status: run.status,
    counters: countersOf((name) => run[name], { left: run.apiCallsLeft, right: run.apiCallsRight }),
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    error: run.error,
    errorCode: run.errorCode,
    workerId: run.workerId,
    takeovers: run.takeovers,
    fullRefresh: run.fullRefresh,
    retryOnly: run.retryOnly,
    firstRunConfirmed: run.firstRunConfirmed,
  };
}

export function eventView(event: RecordEventEntity): RecordEventDto {
  return {
    id: event.id,
    runId: event.runId,
    syncId: event.syncId,
    side: event.side,
    leftId: event.leftId,
    rightId: event.rightId,
    action: event.action,
    fields: event.fields,
    errorCode: event.errorCode,
    message: event.message,
    at: event.at.toISOString(),
    changes: event.changes,
  };
}

/** Lines an export holds at most. */
export const EXPORT_MAX = 100_000;

/** The text columns of a log line, in the order of an export (then its fields and changes). */
const CSV_TEXT_COLUMNS = [
  'id',
  'at',
  'runId',
  'side',
  'leftId',
  'rightId',
  'action',
  'errorCode',
  'message',
] as const;

/**
 * One CSV cell: quoted when it holds a separator, a quote or a line break; a value a spreadsheet
 * would take for a formula (=, +, -, @ first) is prefixed with a quote (OWASP, CSV injection).
 */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function toCsv(lines: readonly RecordEventDto[]): string {
  const rows = lines.map((line) =>
    [
      ...CSV_TEXT_COLUMNS.map((column) => line[column] ?? ''),
      line.fields.join(';'),
      line.changes === null ? '' : JSON.stringify(line.changes),
    ]
      .map(csvCell)
      .join(','),
  );
  const header = [...CSV_TEXT_COLUMNS, 'fields', 'changes'].join(',');
  return `${[header, ...rows].join('\r\n')}\r\n`;
}
