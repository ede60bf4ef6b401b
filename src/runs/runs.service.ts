import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import type { Side } from '../engine';
import { countersOf } from '../engine/ports';
import { apiError } from '../common/api-error';
import { decodeCursor, encodeCursor } from '../common/pagination';
import { LOG_EMAIL_CONDITION, LOG_TEXT_CONDITION, likePattern } from '../persistence/log-filters';
import { RecordEventEntity } from '../persistence/record-event.entity';
import { SyncEntity } from '../persistence/sync.entity';
import { SyncRunEntity } from '../persistence/sync-run.entity';
import { RunExecutor } from './run-executor';
import { RunRequests } from './run-requests.service';
import type {
  EventQueryDto,
  RecordEventDto,
  RecordMatchDto,
  RunDto,
  RunQueryDto,
  TriggerRunDto,
  EventExportQueryDto,
} from './runs.dto';

function runView(run: SyncRunEntity): RunDto {
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
  };
}

function eventView(event: RecordEventEntity): RecordEventDto {
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

function toCsv(lines: readonly RecordEventDto[]): string {
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

function eventCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  if (!/^\d{1,19}$/.test(cursor)) {
    throw new BadRequestException(
      apiError('validation_failed', 'The request is invalid', [
        { path: 'cursor', problem: 'is not a cursor this API gave out' },
      ]),
    );
  }
  return cursor;
}

@Injectable()
export class RunsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly requests: RunRequests,
    private readonly executor: RunExecutor,
  ) {}

  async trigger(syncId: string, request: TriggerRunDto = {}): Promise<RunDto> {
    return runView(
      await this.requests.start(
        syncId,
        'manual',
        request.fullRefresh === undefined ? {} : { fullRefresh: request.fullRefresh },
      ),
    );
  }

  async list(query: RunQueryDto): Promise<{ items: RunDto[]; nextCursor: string | null }> {
    const limit = query.limit ?? 50;
    const builder = this.dataSource
      .getRepository(SyncRunEntity)
      .createQueryBuilder('r')
      .orderBy('r.started_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .take(limit + 1);
    if (query.syncId !== undefined)
      builder.andWhere('r.sync_id = :syncId', { syncId: query.syncId });
    if (query.status !== undefined)
      builder.andWhere('r.status = :status', { status: query.status });
    if (query.from !== undefined) builder.andWhere('r.started_at >= :from', { from: query.from });
    if (query.to !== undefined) builder.andWhere('r.started_at < :to', { to: query.to });
    const after = decodeCursor(query.cursor);
    if (after !== undefined) builder.andWhere('(r.started_at, r.id) < (:createdAt, :id)', after);
    const rows = await builder.getMany();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(runView),
      nextCursor:
        rows.length > limit && last !== undefined
          ? encodeCursor({ createdAt: last.startedAt.toISOString(), id: last.id })
          : null,
    };
  }

  async get(id: string): Promise<RunDto> {
    const run = await this.dataSource.getRepository(SyncRunEntity).findOneBy({ id });
    if (run === null)
      throw new NotFoundException(
        apiError('not_found', `No run with id ${id}`, [{ path: 'id', problem: 'not found' }]),
      );
    return runView(run);
  }

  async cancel(id: string): Promise<RunDto> {
    const run = await this.get(id);
    if (run.status === 'running' || run.status === 'queued') await this.executor.cancel(id);
    return this.get(id);
  }

  private async events(
    scope: (builder: SelectQueryBuilder<RecordEventEntity>) => void,
    query: EventQueryDto,
  ): Promise<{ items: RecordEventDto[]; nextCursor: string | null }> {
    const limit = query.limit ?? 100;
    const newest = query.order === 'newest';
    const builder = this.dataSource
      .getRepository(RecordEventEntity)
      .createQueryBuilder('e')
      .orderBy('e.id', newest ? 'DESC' : 'ASC')
      .take(limit + 1);
    scope(builder);
    if (query.action !== undefined)
      builder.andWhere('e.action = :action', { action: query.action });
    if (query.errorCode !== undefined)
      builder.andWhere('e.error_code = :errorCode', { errorCode: query.errorCode });
    if (query.recordId !== undefined)
      builder.andWhere('(e.left_id = :recordId OR e.right_id = :recordId)', {
        recordId: query.recordId,
      });
    if (query.field !== undefined)
      builder.andWhere(':field = ANY(e.fields)', { field: query.field });
    if (query.runId !== undefined)
      builder.andWhere('e.run_id = :filterRunId', { filterRunId: query.runId });
    if (query.email !== undefined)
      builder.andWhere(LOG_EMAIL_CONDITION, { email: query.email.trim() });
    if (query.text !== undefined)
      builder.andWhere(LOG_TEXT_CONDITION, { text: likePattern(query.text.trim()) });
    if (query.from !== undefined) builder.andWhere('e.at >= :from', { from: query.from });
    if (query.to !== undefined) builder.andWhere('e.at < :to', { to: query.to });
    const after = eventCursor(query.cursor);
    if (after !== undefined)
      builder.andWhere(newest ? 'e.id < :after' : 'e.id > :after', { after });
    const rows = await builder.getMany();
    const page = rows.slice(0, limit);
    return {
      items: page.map(eventView),
      nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
    };
  }

  async runEvents(
    runId: string,
    query: EventQueryDto,
  ): Promise<{ items: RecordEventDto[]; nextCursor: string | null }> {
    await this.get(runId);
    return this.events((b) => b.where('e.run_id = :runId', { runId }), query);
  }

  private async requireSync(syncId: string): Promise<void> {
    if (!(await this.dataSource.getRepository(SyncEntity).existsBy({ id: syncId }))) {
      throw new NotFoundException(
        apiError('not_found', `No sync with id ${syncId}`, [{ path: 'id', problem: 'not found' }]),
      );
    }
  }

  async syncEvents(
    syncId: string,
    query: EventQueryDto,
  ): Promise<{ items: RecordEventDto[]; nextCursor: string | null }> {
    await this.requireSync(syncId);
    return this.events((b) => b.where('e.sync_id = :syncId', { syncId }), query);
  }

  /** The sync's log with the filters, every page, as CSV or JSON (up to EXPORT_MAX lines). */
  async exportSyncEvents(
    syncId: string,
    query: EventExportQueryDto,
  ): Promise<{ body: string; contentType: string; truncated: boolean }> {
    await this.requireSync(syncId);
    const lines: RecordEventDto[] = [];
    let cursor: string | undefined;
    let more = true;
    while (more && lines.length < EXPORT_MAX) {
      const page = await this.events((b) => b.where('e.sync_id = :syncId', { syncId }), {
        ...query,
        limit: 500,
        cursor,
      });
      lines.push(...page.items);
      cursor = page.nextCursor ?? undefined;
      more = page.nextCursor !== null;
    }
    const kept = lines.slice(0, EXPORT_MAX);
    const truncated = more || lines.length > EXPORT_MAX;
    return query.format === 'json'
      ? { body: JSON.stringify(kept), contentType: 'application/json', truncated }
      : { body: toCsv(kept), contentType: 'text/csv; charset=utf-8', truncated };
  }

  /** Every event of one record across runs: "why did record X (not) sync?". */
  async recordHistory(
    syncId: string,
    side: Side,
    recordId: string,
    query: EventQueryDto,
  ): Promise<{ items: RecordEventDto[]; nextCursor: string | null }> {
    await this.requireSync(syncId);
    const column = side === 'left' ? 'e.left_id' : 'e.right_id';
    return this.events(
      (b) =>
        b.where('e.sync_id = :syncId', { syncId }).andWhere(`${column} = :recordId`, { recordId }),
      { ...query, recordId: undefined },
    );
  }

  /**
   * The records, in every sync, whose match field equals `email` without case: the linked ones
   * (by the value last synced), and every record a log line was written about with that key as
   * read, so a record never linked (a create that failed) is found too. How a person finds a
   * record's ids to read its history.
   */
  async findByEmail(email: string): Promise<RecordMatchDto[]> {
    const rows = await this.dataSource.query<
      Array<{ sync_id: string; name: string; left_id: string | null; right_id: string | null }>
    >(
      `SELECT s."id" AS "sync_id", s."name", l."left_id", l."right_id"
         FROM "syncs" s
         JOIN "record_links" l ON l."sync_id" = s."id"
        WHERE lower(l."snapshot"->'left'->>(s."definition"->'match'->>'left')) = lower($1)
           OR lower(l."snapshot"->'right'->>(s."definition"->'match'->>'right')) = lower($1)
       UNION
       SELECT s."id", s."name", e."left_id", e."right_id"
         FROM "syncs" s
        CROSS JOIN LATERAL (
          SELECT DISTINCT "left_id", "right_id" FROM "record_events"
           WHERE "sync_id" = s."id" AND "record_key" = lower($1)
           LIMIT 100
        ) AS e
        ORDER BY 2, 3 NULLS LAST, 4 NULLS LAST
        LIMIT 100`,
      [email.trim()],
    );
    return rows.map((row) => ({
      syncId: row.sync_id,
      syncName: row.name,
      leftId: row.left_id,
      rightId: row.right_id,
    }));
  }
}
