import {
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import type { SyncDefinition } from '../engine/definition';
import { ConnectionEntity } from './connection.entity';

/** A sync between an object on the left connection and one on the right. */
@Entity({ name: 'syncs' })
@Unique('UQ_syncs_name', ['name'])
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
  definition!: SyncDefinition;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
