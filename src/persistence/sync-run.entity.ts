import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import type { RunStatus, RunTrigger } from '../engine/ports';
import { SyncEntity } from './sync.entity';

/** One execution of a sync, with its counters as columns (the API sums and filters on them). */
@Entity({ name: 'sync_runs' })
@Index('IDX_sync_runs_sync_started', ['syncId', 'startedAt'])
// At most one queued or running run per sync, whatever the number of replicas.
@Index('UQ_sync_runs_one_active', ['syncId'], {
  unique: true,
  where: `"status" IN ('queued', 'running')`,
})
@Check('CHK_sync_runs_trigger', `"trigger" IN ('manual', 'schedule', 'webhook', 'retry')`)
@Check(
  'CHK_sync_runs_status',
  `"status" IN ('queued', 'running', 'succeeded', 'partial', 'failed', 'cancelled')`,
)
export class SyncRunEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @ForeignKey(() => SyncEntity, { name: 'FK_sync_runs_sync', onDelete: 'CASCADE' })
  @Column({ name: 'sync_id', type: 'uuid' })
  syncId!: string;

  @Column({ type: 'text' })
  trigger!: RunTrigger;

  @Column({ type: 'text' })
  status!: RunStatus;

  @Column({ type: 'integer', default: 0 })
  read!: number;

  @Column({ type: 'integer', default: 0 })
  created!: number;

  @Column({ type: 'integer', default: 0 })
  updated!: number;

  @Column({ type: 'integer', default: 0 })
  unchanged!: number;

  @Column({ type: 'integer', default: 0 })
  skipped!: number;

  @Column({ type: 'integer', default: 0 })
  deleted!: number;

  @Column({ type: 'integer', default: 0 })
  conflicts!: number;

  @Column({ type: 'integer', default: 0 })
  failed!: number;

  @Column({ type: 'integer', default: 0 })
  sent!: number;

  @Column({ type: 'integer', default: 0 })
  duplicates!: number;

  @Column({ type: 'integer', default: 0 })
  too_old!: number;

  @Column({ type: 'integer', default: 0 })
  no_consent!: number;

  @Column({ type: 'integer', default: 0 })
  added!: number;

  @Column({ type: 'integer', default: 0 })
  removed!: number;

  /** Asked for as a full refresh of an audience sync's audience. */
  @Column({ name: 'full_refresh', type: 'boolean', default: false })
  fullRefresh!: boolean;

  /** Retries the sync's due failed records only (by id), reading no changes. */
  @Column({ name: 'retry_only', type: 'boolean', default: false })
  retryOnly!: boolean;

  /** A person confirmed the sync's first run: it runs however few records would match. */
  @Column({ name: 'first_run_confirmed', type: 'boolean', default: false })
  firstRunConfirmed!: boolean;

  @Column({ name: 'api_calls_left', type: 'integer', default: 0 })
  apiCallsLeft!: number;

  @Column({ name: 'api_calls_right', type: 'integer', default: 0 })
  apiCallsRight!: number;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  /** The code of the error that stopped a failed run (`budget_exhausted`…). */
  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode!: string | null;

  /** The worker holding the run's lease (replica and slot). */
  @Column({ name: 'worker_id', type: 'text', nullable: true })
  workerId!: string | null;

  @Column({ name: 'lease_expires_at', type: 'timestamptz', nullable: true })
  leaseExpiresAt!: Date | null;

  @Column({ name: 'heartbeat_at', type: 'timestamptz', nullable: true })
  heartbeatAt!: Date | null;

  /** How many times another worker took the run over after its lease expired. */
  @Column({ type: 'integer', default: 0 })
  takeovers!: number;
}
