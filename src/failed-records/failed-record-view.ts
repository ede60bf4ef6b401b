/** A failed record as the API gives it. */
import type { FailedRecordEntity } from '../persistence/failed-record.entity';
import type { FailedRecordDto } from './failed-records.dto';

export function failedRecordView(row: FailedRecordEntity): FailedRecordDto {
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
