import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import type { ErrorCode } from '../../connectors/sdk/errors';
import type { Identifiers } from '../../connectors/sdk/contract';
import type { EventStatus, MemberNote, MemberState, PreparedEvent } from '../engine/ports';
import { SyncEntity } from './sync.entity';

/** The events ledger of events syncs: one row per event key, what the destination said of it. */
@Entity({ name: 'event_ledger' })
@Index('IDX_event_ledger_unsettled', ['syncId', 'nextAttemptAt'], {
  where: `"status" IN ('pending', 'failed')`,
})
@Check(
  'CHK_event_ledger_status',
  `"status" IN ('pending', 'sent', 'duplicate', 'too_old', 'no_consent', 'failed', 'dead')`,
)
export class EventLedgerEntity {
  @ForeignKey(() => SyncEntity, { name: 'FK_event_ledger_sync', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'sync_id', type: 'uuid', primaryKeyConstraintName: 'PK_event_ledger' })
  syncId!: string;

  @PrimaryColumn({ name: 'event_key', type: 'text', primaryKeyConstraintName: 'PK_event_ledger' })
  key!: string;

  @Column({ name: 'source_id', type: 'text' })
  sourceId!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ type: 'text' })
  status!: EventStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** The prepared event (identifiers hashed) while it may be sent again. */
  @Column({ type: 'jsonb', nullable: true })
  payload!: PreparedEvent | null;

  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode!: ErrorCode | null;

  @Column({ type: 'text', nullable: true })
  message!: string | null;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true })
  acknowledgedAt!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** The audience ledger of audience syncs: each source record's membership, as pushed. */
@Entity({ name: 'audience_members' })
@Index('IDX_audience_members_pending', ['syncId', 'audience', 'nextAttemptAt'], {
  where: `"state" IN ('pending_add', 'pending_remove')`,
})
@Check(
  'CHK_audience_members_state',
  `"state" IN ('pending_add', 'member', 'pending_remove', 'removed', 'rejected')`,
)
export class AudienceMemberEntity {
  @ForeignKey(() => SyncEntity, { name: 'FK_audience_members_sync', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'sync_id', type: 'uuid', primaryKeyConstraintName: 'PK_audience_members' })
  syncId!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_audience_members' })
  audience!: string;

  @PrimaryColumn({
    name: 'member_key',
    type: 'text',
    primaryKeyConstraintName: 'PK_audience_members',
  })
  key!: string;

  /** The prepared identifiers (hashes) last pushed. */
  @Column({ type: 'jsonb' })
  identifiers!: Identifiers;

  @Column({ type: 'text' })
  state!: MemberState;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode!: MemberNote | null;

  @Column({ type: 'text', nullable: true })
  message!: string | null;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
