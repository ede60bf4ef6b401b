import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { ErrorCode } from '../../connectors/sdk/errors';
import type { Side } from '../engine/definition';
import type { FieldChange, RecordAction } from '../engine/ports';
import { SyncRunEntity } from './sync-run.entity';

/**
 * One line of the sync log. Append-only; partial indexes leave out rows a query never wants.
 * `id` is a bigint: the driver returns it as a string.
 */
@Entity({ name: 'record_events' })
@Index('IDX_record_events_run', ['runId', 'id'])
@Index('IDX_record_events_sync_at', ['syncId', 'at'])
@Index('IDX_record_events_sync_left', ['syncId', 'leftId'], { where: '"left_id" IS NOT NULL' })
@Index('IDX_record_events_sync_right', ['syncId', 'rightId'], { where: '"right_id" IS NOT NULL' })
@Index('IDX_record_events_sync_key', ['syncId', 'recordKey'], {
  where: '"record_key" IS NOT NULL',
})
@Index('IDX_record_events_sync_error', ['syncId', 'errorCode'], {
  where: '"error_code" IS NOT NULL',
})
@Check('CHK_record_events_side', `"side" IN ('left', 'right')`)
export class RecordEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @ForeignKey(() => SyncRunEntity, { name: 'FK_record_events_run', onDelete: 'CASCADE' })
  @Column({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @Column({ name: 'sync_id', type: 'uuid' })
  syncId!: string;

  @Column({ type: 'text' })
  side!: Side;

  @Column({ name: 'left_id', type: 'text', nullable: true })
  leftId!: string | null;

  @Column({ name: 'right_id', type: 'text', nullable: true })
  rightId!: string | null;

  @Column({ type: 'text' })
  action!: RecordAction;

  @Column({ type: 'text', array: true, default: '{}' })
  fields!: string[];

  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode!: ErrorCode | null;

  @Column({ type: 'text', nullable: true })
  message!: string | null;

  /** The record's match key as read (its email, lower-cased), where the line is about one. */
  @Column({ name: 'record_key', type: 'text', nullable: true })
  recordKey!: string | null;

  /** The values before and after of the fields the line wrote. */
  @Column({ type: 'jsonb', nullable: true })
  changes!: FieldChange[] | null;

  @Column({ type: 'timestamptz' })
  at!: Date;
}
