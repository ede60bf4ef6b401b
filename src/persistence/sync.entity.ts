import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import type { AnySyncDefinition } from '../engine/definition';
import type { Schedule, StoredAlerts, SyncHealth } from './sync-columns';
import { ConnectionEntity } from './connection.entity';

/** A sync between an object on the left connection and one on the right. */
@Entity({ name: 'syncs' })
@Unique('UQ_syncs_name', ['name'])
@Check('CHK_syncs_health', `"health" IN ('healthy', 'degraded', 'failing', 'unhealthy')`)
export class SyncEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Index('IDX_syncs_left_connection')
  @ForeignKey(() => ConnectionEntity, { name: 'FK_syncs_left_connection', onDelete: 'RESTRICT' })
  @Column({ name: 'left_connection_id', type: 'uuid' })
  leftConnectionId!: string;

  @Index('IDX_syncs_right_connection')
  @ForeignKey(() => ConnectionEntity, { name: 'FK_syncs_right_connection', onDelete: 'RESTRICT' })
  @Column({ name: 'right_connection_id', type: 'uuid' })
  rightConnectionId!: string;

  @Column({ type: 'jsonb' })
  definition!: AnySyncDefinition;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  /** When scheduled runs happen; null: only manual and webhook runs. */
  @Column({ type: 'jsonb', nullable: true })
  schedule!: Schedule | null;

  /** The next scheduled run (null without a schedule or while disabled). */
  @Index('IDX_syncs_next_run_at', { where: '"next_run_at" IS NOT NULL' })
  @Column({ name: 'next_run_at', type: 'timestamptz', nullable: true })
  nextRunAt!: Date | null;

  /** A debounced incremental run asked for by inbound webhooks. */
  @Column({ name: 'webhook_due_at', type: 'timestamptz', nullable: true })
  webhookDueAt!: Date | null;

  /** When a failed run is retried (backoff). */
  @Column({ name: 'retry_at', type: 'timestamptz', nullable: true })
  retryAt!: Date | null;

  @Column({ name: 'consecutive_failures', type: 'integer', default: 0 })
  consecutiveFailures!: number;

  @Column({ type: 'text', default: 'healthy' })
  health!: SyncHealth;

  /** Why the sync is degraded (records failing run after run), in words. */
  @Column({ name: 'health_reason', type: 'text', nullable: true })
  healthReason!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  alerts!: StoredAlerts | null;

  /** A failure alert was sent and no recovery yet. */
  @Column({ type: 'boolean', default: false })
  alerting!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
