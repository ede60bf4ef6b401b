import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** One row: this installation's identity, created at first boot; a restart finds the same one. */
@Entity({ name: 'syncline_instance' })
export class InstanceEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'version', type: 'text' })
  version!: string;
}
