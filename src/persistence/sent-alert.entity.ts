import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { SyncEntity } from './sync.entity';

/** An alert a sync sent, or tried to send: its history, shown in the API and the console. */
@Entity({ name: 'sent_alerts' })
@Index('IDX_sent_alerts_sync', ['syncId', 'at'])
export class SentAlertEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @ForeignKey(() => SyncEntity, { name: 'FK_sent_alerts_sync', onDelete: 'CASCADE' })
  @Column({ name: 'sync_id', type: 'uuid' })
  syncId!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;

  /** The run it is about. */
  @Column({ name: 'run_id', type: 'uuid', nullable: true })
  runId!: string | null;

  /** run_failed, failed_records, degraded, record_anomaly, recovered. */
  @Column({ type: 'text' })
  kind!: string;

  /** The alert's one-line message, as the webhook received it. */
  @Column({ type: 'text' })
  text!: string;

  @Column({ type: 'boolean' })
  delivered!: boolean;

  /** Where it went (the webhook's host) and, when not delivered, why. */
  @Column({ type: 'text' })
  detail!: string;
}
