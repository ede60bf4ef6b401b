import { Column, Entity, ForeignKey, PrimaryColumn, Unique, UpdateDateColumn } from 'typeorm';
import type { Fields } from '../../connectors/sdk/contract';
import { SyncEntity } from './sync.entity';

/** A linked pair of records of one sync, with the snapshot both sides last agreed on. */
@Entity({ name: 'record_links' })
@Unique('UQ_record_links_right', ['syncId', 'rightId'])
export class RecordLinkEntity {
  @ForeignKey(() => SyncEntity, { name: 'FK_record_links_sync', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'sync_id', type: 'uuid', primaryKeyConstraintName: 'PK_record_links' })
  syncId!: string;

  @PrimaryColumn({ name: 'left_id', type: 'text', primaryKeyConstraintName: 'PK_record_links' })
  leftId!: string;

  @Column({ name: 'right_id', type: 'text' })
  rightId!: string;

  @Column({ type: 'jsonb' })
  snapshot!: { left: Fields; right: Fields };

  @Column({ name: 'left_updated_at', type: 'timestamptz', nullable: true })
  leftUpdatedAt!: Date | null;

  @Column({ name: 'right_updated_at', type: 'timestamptz', nullable: true })
  rightUpdatedAt!: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
