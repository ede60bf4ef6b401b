import { Check, Column, Entity, ForeignKey, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Checkpoint } from '../../connectors/sdk/contract';
import type { Side } from '../engine/definition';
import { SyncEntity } from './sync.entity';

/** Where the last complete incremental read of one side of a sync ended. */
@Entity({ name: 'sync_cursors' })
@Check('CHK_sync_cursors_side', `"side" IN ('left', 'right')`)
export class SyncCursorEntity {
  @ForeignKey(() => SyncEntity, { name: 'FK_sync_cursors_sync', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'sync_id', type: 'uuid', primaryKeyConstraintName: 'PK_sync_cursors' })
  syncId!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_sync_cursors' })
  side!: Side;

  @Column({ type: 'timestamptz', nullable: true })
  since!: Date | null;

  @Column({ name: 'last_id', type: 'text', nullable: true })
  lastId!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  checkpoint!: Checkpoint | null;

  /** The highest deletedAt committed from the vendor's deletes. */
  @Column({ name: 'deleted_since', type: 'timestamptz', nullable: true })
  deletedSince!: Date | null;

  /** When the unfinished unordered read that `checkpoint` resumes started. */
  @Column({ name: 'read_started_at', type: 'timestamptz', nullable: true })
  readStartedAt!: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
