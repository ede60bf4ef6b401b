import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import type { Side } from '../engine';
import { AuditService } from '../audit/audit.service';
import type { Caller } from '../auth/api-keys.service';
import { apiError } from '../common/api-error';
import { decodeCursor, encodeCursor } from '../common/pagination';
import type { FailedRecordEntity } from '../persistence/failed-record.entity';
import {
  FailedRecordRepository,
  type FailedRecordPosition,
} from '../persistence/failed-record.repository';
import { SyncRepository } from '../persistence/sync.repository';
import { Transactions } from '../persistence/transactions';
import { RunRequests } from '../runs/run-requests.service';
import { RunsService } from '../runs/runs.service';
import type {
  AllFailedRecordQueryDto,
  FailedRecordDto,
  FailedRecordFilterDto,
  FailedRecordListDto,
  RetryResultDto,
} from './failed-records.dto';
import { failedRecordView } from './failed-record-view';

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

function decodePosition(cursor: string | undefined): FailedRecordPosition | undefined {
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

/** The sync's failed records of the filter (only its own keys: a body may carry others). */
function setOf(syncId: string, filter: FailedRecordFilterDto) {
  return { syncId, side: filter.side, errorCode: filter.errorCode, dead: filter.dead };
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
    private readonly failedRecords: FailedRecordRepository,
    private readonly syncs: SyncRepository,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    private readonly requests: RunRequests,
    private readonly runs: RunsService,
  ) {}

  private async requireSync(syncId: string): Promise<void> {
    if (!(await this.syncs.exists(syncId))) {
      throw new NotFoundException(
        apiError('not_found', `No sync with id ${syncId}`, [{ path: 'id', problem: 'not found' }]),
      );
    }
  }

  async list(query: AllFailedRecordQueryDto): Promise<FailedRecordListDto> {
    const limit = query.limit ?? 50;
    const { syncId, side, errorCode, dead } = query;
    const rows = await this.failedRecords.page(
      { syncId, side, errorCode, dead },
      decodePosition(query.cursor),
      limit,
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(failedRecordView),
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
    return this.transactions.run(async (manager) => {
      const changed = await this.failedRecords.makeDue({ syncId, side, recordId }, manager);
      const row = await this.failedRecords.one({ syncId, side, recordId }, manager);
      if (changed !== 1 || row === null) throw notFound(syncId, side, recordId);
      await this.audit.record(
        caller,
        'failed_records.retried',
        { type: 'sync', id: syncId },
        { side, recordId, count: 1 },
        manager,
      );
      return failedRecordView(row);
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
    const retried = await this.transactions.run(async (manager) => {
      const count = await this.failedRecords.makeDue(setOf(syncId, filter), manager);
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
    await this.transactions.run(async (manager) => {
      const removed = await this.failedRecords.delete({ syncId, side, recordId }, manager);
      if (removed !== 1) throw notFound(syncId, side, recordId);
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
    return this.transactions.run(async (manager) => {
      const discarded = await this.failedRecords.delete(setOf(syncId, filter), manager);
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
