import type { JobTicket } from '../../connectors/sdk/contract';
import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import type { Side } from '../engine/definition';
import type { IntendedWrite, WriteIntent } from '../engine/ports';
import { SyncEntity } from './sync.entity';

/** A batch of writes recorded before it was sent; its page's commit deletes it. */
@Entity({ name: 'write_intents' })
@Index('IDX_write_intents_sync_at', ['syncId', 'at'])
@Check('CHK_write_intents_side', `"side" IN ('left', 'right')`)
@Check('CHK_write_intents_mode', `"mode" IN ('create', 'update', 'upsert')`)
export class WriteIntentEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_write_intents' })
  id!: string;

  @ForeignKey(() => SyncEntity, { name: 'FK_write_intents_sync', onDelete: 'CASCADE' })
  @Column({ name: 'sync_id', type: 'uuid' })
  syncId!: string;

  @Column({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @Column({ type: 'text' })
  side!: Side;

  @Column({ type: 'text' })
  mode!: WriteIntent['mode'];

  @Column({ name: 'match_field', type: 'text', nullable: true })
  matchField!: string | null;

  @Column({ type: 'jsonb' })
  writes!: IntendedWrite[];

  @Column({ type: 'timestamptz' })
  at!: Date;

  /** The vendor job the batch became, once started (see WriteIntent.job). */
  @Column({ type: 'jsonb', nullable: true })
  job!: JobTicket | null;
}
