import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import type { Side } from '../engine';
import { apiError } from '../common/api-error';
import { decodeCursor, encodeCursor } from '../common/pagination';
import { RecordEventRepository, type EventScope } from '../persistence/record-event.repository';
import { RunRepository } from '../persistence/run.repository';
import { SyncRepository } from '../persistence/sync.repository';
import { RunExecutor } from './run-executor';
import { EXPORT_MAX, eventView, runView, toCsv } from './run-view';
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
    private readonly runs: RunRepository,
    private readonly events: RecordEventRepository,
    private readonly syncs: SyncRepository,
    private readonly requests: RunRequests,
    private readonly executor: RunExecutor,
  ) {}

  async trigger(syncId: string, request: TriggerRunDto = {}): Promise<RunDto> {
    return runView(
      await this.requests.start(syncId, 'manual', {
        ...(request.fullRefresh === undefined ? {} : { fullRefresh: request.fullRefresh }),
        ...(request.confirmFirstRun === undefined
          ? {}
          : { confirmFirstRun: request.confirmFirstRun }),
      }),
    );
  }

  async list(query: RunQueryDto): Promise<{ items: RunDto[]; nextCursor: string | null }> {
    const limit = query.limit ?? 50;
    const { syncId, status, from, to } = query;
    const rows = await this.runs.page(
      { syncId, status, from, to },
      decodeCursor(query.cursor),
      limit,
    );
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
    const run = await this.runs.byId(id);
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

  private async eventPage(
    scope: EventScope,
    query: EventQueryDto,
  ): Promise<{ items: RecordEventDto[]; nextCursor: string | null }> {
    const limit = query.limit ?? 100;
    const { action, errorCode, recordId, field, runId, email, text, from, to } = query;
    const rows = await this.events.page(
      scope,
      { action, errorCode, recordId, field, runId, email, text, from, to },
      { after: eventCursor(query.cursor), limit, newest: query.order === 'newest' },
    );
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
    return this.eventPage({ runId }, query);
  }

  private async requireSync(syncId: string): Promise<void> {
    if (!(await this.syncs.exists(syncId))) {
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
    return this.eventPage({ syncId }, query);
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
      const page = await this.eventPage(
        { syncId },
        {
          ...query,
          limit: 500,
          cursor,
        },
      );
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
    return this.eventPage({ syncId, side, recordId }, { ...query, recordId: undefined });
  }

  /**
   * The records, in every sync, whose match field equals `email` without case: the linked ones
   * (by the value last synced), and every record a log line was written about with that key as
   * read, so a record never linked (a create that failed) is found too. How a person finds a
   * record's ids to read its history.
   */
  async findByEmail(email: string): Promise<RecordMatchDto[]> {
    return this.events.recordsByEmail(email);
  }
}
