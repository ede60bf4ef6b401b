import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import type { ErrorCode } from '../../connectors/sdk/errors';
import type { Side } from '../engine/definition';
import { SyncEntity } from './sync.entity';

/** A source record whose change could not be written, retried with backoff by later runs. */
@Entity({ name: 'failed_records' })
@Index('IDX_failed_records_due', ['syncId', 'nextAttemptAt'], { where: 'NOT "dead"' })
@Check('CHK_failed_records_side', `"side" IN ('left', 'right')`)
@Check('CHK_failed_records_operation', `"operation" IN ('change', 'delete')`)
export class FailedRecordEntity {
  @ForeignKey(() => SyncEntity, { name: 'FK_failed_records_sync', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'sync_id', type: 'uuid', primaryKeyConstraintName: 'PK_failed_records' })
  syncId!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_failed_records' })
  side!: Side;

  @PrimaryColumn({ name: 'record_id', type: 'text', primaryKeyConstraintName: 'PK_failed_records' })
  recordId!: string;

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt!: Date;

  @Column({ name: 'error_code', type: 'text' })
  errorCode!: ErrorCode;

  @Column({ type: 'text' })
  message!: string;

  @Column({ type: 'boolean', default: false })
  dead!: boolean;

  /** What failed: writing the record's change or propagating its delete. */
  @Column({ type: 'text', default: 'change' })
  operation!: 'change' | 'delete';

  @Column({ name: 'first_failed_at', type: 'timestamptz' })
  firstFailedAt!: Date;

  @Column({ name: 'last_failed_at', type: 'timestamptz' })
  lastFailedAt!: Date;
}
