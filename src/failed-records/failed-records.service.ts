import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type SelectQueryBuilder, type WhereExpressionBuilder } from 'typeorm';
import type { Side } from '../engine';
import { AuditService } from '../audit/audit.service';
import type { Caller } from '../auth/api-keys.service';
import { apiError } from '../common/api-error';
import { decodeCursor, encodeCursor } from '../common/pagination';
import { FailedRecordEntity } from '../persistence/failed-record.entity';
import { SyncEntity } from '../persistence/sync.entity';
import { RunRequests } from '../runs/run-requests.service';
import { RunsService } from '../runs/runs.service';
import type {
  AllFailedRecordQueryDto,
  FailedRecordDto,
  FailedRecordFilterDto,
  FailedRecordListDto,
  RetryResultDto,
} from './failed-records.dto';

function view(row: FailedRecordEntity): FailedRecordDto {
  return {
    syncId: row.syncId,
    side: row.side,
    recordId: row.recordId,
    operation: row.operation,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt.toISOString(),
    errorCode: row.errorCode,
    message: row.message,
    dead: row.dead,
    firstFailedAt: row.firstFailedAt.toISOString(),
    lastFailedAt: row.lastFailedAt.toISOString(),
  };
}

interface Position {
  firstFailedAt: string;
  syncId: string;
  side: string;
  recordId: string;
}

function badCursor(): BadRequestException {
  return new BadRequestException(
    apiError('validation_failed', 'The request is invalid', [
      { path: 'cursor', problem: 'is not a cursor this API gave out' },
    ]),
  );
}

function encodePosition(row: FailedRecordEntity): string {
  return encodeCursor({
    createdAt: row.firstFailedAt.toISOString(),
    id: JSON.stringify([row.syncId, row.side, row.recordId]),
  });
}

function decodePosition(cursor: string | undefined): Position | undefined {
  const position = decodeCursor(cursor);
  if (position === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(position.id);
  } catch {
    throw badCursor();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    !parsed.every((part): part is string => typeof part === 'string')
  )
    throw badCursor();
  const [syncId, side, recordId] = parsed as [string, string, string];
  return { firstFailedAt: position.createdAt, syncId, side, recordId };
}

/** The failed records of a set, as SQL conditions (`prefix`: the alias and a dot, if any). */
function applyFilter(
  builder: WhereExpressionBuilder,
  filter: FailedRecordFilterDto,
  prefix = '',
): void {
  if (filter.side !== undefined) builder.andWhere(`${prefix}side = :side`, { side: filter.side });
  if (filter.errorCode !== undefined)
    builder.andWhere(`${prefix}error_code = :errorCode`, { errorCode: filter.errorCode });
  if (filter.dead !== undefined) builder.andWhere(`${prefix}dead = :dead`, { dead: filter.dead });
}

function notFound(syncId: string, side: Side, recordId: string): NotFoundException {
  return new NotFoundException(
    apiError('not_found', `Sync ${syncId} has no failed ${side} record ${recordId}`, [
      { path: 'recordId', problem: 'not found' },
    ]),
  );
}

/**
 * Failed records: list them, make them due again (the next run retries them), or discard them.
 * The engine queues and retries them; this only changes when and whether.
 */
@Injectable()
export class FailedRecordsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly requests: RunRequests,
    private readonly runs: RunsService,
  ) {}

  private query(): SelectQueryBuilder<FailedRecordEntity> {
    return this.dataSource.getRepository(FailedRecordEntity).createQueryBuilder('f');
  }

  private async requireSync(syncId: string): Promise<void> {
    if (!(await this.dataSource.getRepository(SyncEntity).existsBy({ id: syncId }))) {
      throw new NotFoundException(
        apiError('not_found', `No sync with id ${syncId}`, [{ path: 'id', problem: 'not found' }]),
      );
    }
  }

  async list(query: AllFailedRecordQueryDto): Promise<FailedRecordListDto> {
    const limit = query.limit ?? 50;
    const builder = this.query()
      .where('TRUE')
      .orderBy('f.first_failed_at', 'ASC')
      .addOrderBy('f.sync_id', 'ASC')
      .addOrderBy('f.side', 'ASC')
      .addOrderBy('f.record_id', 'ASC')
      .take(limit + 1);
    if (query.syncId !== undefined)
      builder.andWhere('f.sync_id = :syncId', { syncId: query.syncId });
    applyFilter(builder, query, 'f.');
    const after = decodePosition(query.cursor);
    if (after !== undefined)
      builder.andWhere(
        '(f.first_failed_at, f.sync_id, f.side, f.record_id) > (:firstFailedAt, :syncIdAfter, :sideAfter, :recordIdAfter)',
        {
          firstFailedAt: after.firstFailedAt,
          syncIdAfter: after.syncId,
          sideAfter: after.side,
          recordIdAfter: after.recordId,
        },
      );
    const rows = await builder.getMany();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(view),
      nextCursor: rows.length > limit && last !== undefined ? encodePosition(last) : null,
    };
  }

  async listOfSync(syncId: string, query: AllFailedRecordQueryDto): Promise<FailedRecordListDto> {
    await this.requireSync(syncId);
    return this.list({ ...query, syncId });
  }

  /** Makes one failed record due now and no longer dead; the next run retries it. */
  async retryOne(
    syncId: string,
    side: Side,
    recordId: string,
    caller: Caller,
  ): Promise<FailedRecordDto> {
    return this.dataSource.transaction(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(FailedRecordEntity)
        .set({ nextAttemptAt: () => 'now()', dead: false })
        .where('sync_id = :syncId AND side = :side AND record_id = :recordId', {
          syncId,
          side,
          recordId,
        })
        .execute();
      if (result.affected !== 1) throw notFound(syncId, side, recordId);
      await this.audit.record(
        caller,
        'failed_records.retried',
        { type: 'sync', id: syncId },
        { side, recordId, count: 1 },
        manager,
      );
      const row = await manager.findOneByOrFail(FailedRecordEntity, { syncId, side, recordId });
      return view(row);
    });
  }

  /**
   * Makes the sync's failed records that match `filter` due now and no longer dead; with `run`,
   * starts a run (409 when one is running: the records stay due for the next).
   */
  async retryMany(
    syncId: string,
    filter: FailedRecordFilterDto,
    run: boolean,
    caller: Caller,
  ): Promise<RetryResultDto> {
    await this.requireSync(syncId);
    const retried = await this.dataSource.transaction(async (manager) => {
      const builder = manager
        .createQueryBuilder()
        .update(FailedRecordEntity)
        .set({ nextAttemptAt: () => 'now()', dead: false })
        .where('sync_id = :syncId', { syncId });
      applyFilter(builder, filter);
      const count = (await builder.execute()).affected ?? 0;
      await this.audit.record(
        caller,
        'failed_records.retried',
        { type: 'sync', id: syncId },
        { ...filter, count },
        manager,
      );
      return count;
    });
    if (!run) return { retried, run: null };
    // Those records only, by id: a retry of a few records does not read the whole sync.
    const started = await this.requests.start(syncId, 'retry', { retryOnly: true });
    return { retried, run: await this.runs.get(started.id) };
  }

  /** Removes one failed record: it is not retried any more. */
  async discardOne(syncId: string, side: Side, recordId: string, caller: Caller): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const result = await manager.delete(FailedRecordEntity, { syncId, side, recordId });
      if (result.affected !== 1) throw notFound(syncId, side, recordId);
      await this.audit.record(
        caller,
        'failed_records.discarded',
        { type: 'sync', id: syncId },
        { side, recordId, count: 1 },
        manager,
      );
    });
  }

  /** Removes the sync's failed records that match `filter`. */
  async discardMany(
    syncId: string,
    filter: FailedRecordFilterDto,
    caller: Caller,
  ): Promise<{ discarded: number }> {
    await this.requireSync(syncId);
    return this.dataSource.transaction(async (manager) => {
      const builder = manager
        .createQueryBuilder()
        .delete()
        .from(FailedRecordEntity)
        .where('sync_id = :syncId', { syncId });
      applyFilter(builder, filter);
      const discarded = (await builder.execute()).affected ?? 0;
      await this.audit.record(
        caller,
        'failed_records.discarded',
        { type: 'sync', id: syncId },
        { ...filter, count: discarded },
        manager,
      );
      return { discarded };
    });
  }
}
