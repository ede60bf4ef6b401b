import type { VendorBudget } from '../../connectors/sdk/rate-limiter';
import { Column, CreateDateColumn, Entity, PrimaryColumn, Unique, UpdateDateColumn } from 'typeorm';

/** A configured connector instance: non-secret settings and encrypted credentials. */
@Entity({ name: 'connections' })
@Unique('UQ_connections_name', ['name'])
export class ConnectionEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'jsonb', default: {} })
  settings!: Record<string, unknown>;

  /** AES-256-GCM ciphertext of the secrets; never returned by the API. */
  @Column({ type: 'bytea', nullable: true })
  secrets!: Buffer | null;

  /** A connection to a local emulator, allowed to use a loopback URL (SYNCLINE_ALLOW_SANDBOX). */
  @Column({ type: 'boolean', default: false })
  sandbox!: boolean;

  /** API calls per 24 h this connection may spend; null: the connector's own daily limit. */
  @Column({ name: 'daily_call_budget', type: 'integer', nullable: true })
  dailyCallBudget!: number | null;

  /** Share of the budget past which scheduled runs wait and failed-record retries pause. */
  @Column({ name: 'budget_threshold', type: 'double precision', default: 0.75 })
  budgetThreshold!: number;

  /** The budgets the vendor last reported in its answers' headers (name, limit, remaining…). */
  @Column({ name: 'vendor_budgets', type: 'jsonb', nullable: true })
  vendorBudgets!: VendorBudget[] | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
