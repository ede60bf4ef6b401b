import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import type { FieldValue } from '../../connectors/sdk/contract';
import type { Conflict, ConflictResolution } from '../engine/ports';
import { SyncEntity } from './sync.entity';

/** Both sides changed a `manual` field to different values; a person resolves it. */
@Entity({ name: 'conflicts' })
@Index('IDX_conflicts_sync_status', ['syncId', 'status', 'createdAt'])
@Index('IDX_conflicts_sync_left', ['syncId', 'leftId'])
@Check('CHK_conflicts_status', `"status" IN ('open', 'resolved', 'applied')`)
export class ConflictEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @ForeignKey(() => SyncEntity, { name: 'FK_conflicts_sync', onDelete: 'CASCADE' })
  @Column({ name: 'sync_id', type: 'uuid' })
  syncId!: string;

  @Column({ name: 'left_id', type: 'text' })
  leftId!: string;

  @Column({ name: 'right_id', type: 'text' })
  rightId!: string;

  @Column({ name: 'left_field', type: 'text' })
  leftField!: string;

  @Column({ name: 'right_field', type: 'text' })
  rightField!: string;

  @Column({ name: 'left_value', type: 'jsonb', nullable: true })
  leftValue!: FieldValue;

  @Column({ name: 'right_value', type: 'jsonb', nullable: true })
  rightValue!: FieldValue;

  @Column({ type: 'text', default: 'open' })
  status!: Conflict['status'];

  @Column({ type: 'jsonb', nullable: true })
  resolution!: ConflictResolution | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ name: 'applied_at', type: 'timestamptz', nullable: true })
  appliedAt!: Date | null;

  /** Why the conflict opened again (its field changed after it was raised). */
  @Column({ type: 'text', nullable: true })
  note!: string | null;
}
