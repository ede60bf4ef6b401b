/** A conflict as the API gives it, with the failed write of a resolution not yet applied. */
import type { ConflictEntity } from '../persistence/conflict.entity';
import type { ResolutionFailure } from '../persistence/conflict.repository';
import type { ConflictDto } from './conflicts.dto';

export function conflictView(row: ConflictEntity, failure?: ResolutionFailure): ConflictDto {
  return {
    id: row.id,
    syncId: row.syncId,
    leftId: row.leftId,
    rightId: row.rightId,
    leftField: row.leftField,
    rightField: row.rightField,
    leftValue: row.leftValue,
    rightValue: row.rightValue,
    status: row.status,
    resolution: row.resolution,
    createdAt: row.createdAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    appliedAt: row.appliedAt?.toISOString() ?? null,
    note: row.note,
    writeFailure:
      failure === undefined
        ? null
        : { code: failure.code, message: failure.message, at: failure.at.toISOString() },
  };
}
