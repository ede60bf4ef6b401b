import { Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { ConnectionEntity } from './connection.entity';

/**
 * The access token last granted for a connection (OAuth refresh, client credentials), shared by
 * every connector the server opens for it and by every replica, until it expires; sealed as the
 * connection's secrets are, never returned nor logged.
 */
@Entity({ name: 'connection_tokens' })
export class ConnectionTokenEntity {
  @ForeignKey(() => ConnectionEntity, {
    name: 'FK_connection_tokens_connection',
    onDelete: 'CASCADE',
  })
  @PrimaryColumn({
    name: 'connection_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_connection_tokens',
  })
  connectionId!: string;

  /** AES-256-GCM ciphertext of the token. */
  @Column({ type: 'bytea' })
  token!: Buffer;

  /** When the vendor said it expires; null: until the vendor refuses it. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ name: 'granted_at', type: 'timestamptz', default: () => 'now()' })
  grantedAt!: Date;
}
