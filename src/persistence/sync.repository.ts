/** The queries on syncs of the API, the webhooks and the worker (the run's own are elsewhere). */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { pageAfter, type PageRequest } from './paging';
import { clientOf, execute } from './sql';
import type { StoredAlerts } from './sync-columns';
import { SyncEntity } from './sync.entity';

/** What a sync's settings change may set; the version goes up by one. */
export type SyncChange = Pick<
  SyncEntity,
  | 'name'
  | 'leftConnectionId'
  | 'rightConnectionId'
  | 'definition'
  | 'enabled'
  | 'schedule'
  | 'nextRunAt'
  | 'alerts'
>;

@Injectable()
export class SyncRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  byId(id: string, manager: EntityManager = this.dataSource.manager): Promise<SyncEntity | null> {
    return manager.findOneBy(SyncEntity, { id });
  }

  byName(name: string, manager: EntityManager): Promise<SyncEntity | null> {
    return manager.findOneBy(SyncEntity, { name });
  }

  exists(id: string): Promise<boolean> {
    return this.dataSource.manager.existsBy(SyncEntity, { id });
  }

  insert(
    row: SyncChange & Pick<SyncEntity, 'id' | 'version'>,
    manager: EntityManager,
  ): Promise<SyncEntity> {
    return manager.save(manager.create(SyncEntity, row));
  }

  /** A page of syncs in the order they were created. */
  page(request: PageRequest): Promise<SyncEntity[]> {
    return pageAfter(this.dataSource.manager.createQueryBuilder(SyncEntity, 's'), request, {
      column: 's.created_at',
      idColumn: 's.id',
    });
  }

  /** Writes `change` if the sync is still at `version`, and bumps it; false when it moved on. */
  async updateAtVersion(
    id: string,
    version: number,
    change: SyncChange,
    manager: EntityManager,
  ): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(SyncEntity)
      .set({
        name: change.name,
        leftConnectionId: change.leftConnectionId,
        rightConnectionId: change.rightConnectionId,
        definition: change.definition,
        enabled: change.enabled,
        schedule: change.schedule,
        nextRunAt: change.nextRunAt,
        alerts: change.alerts,
        version: () => 'version + 1',
        updatedAt: () => 'now()',
      })
      .where('id = :id AND version = :version', { id, version })
      .execute();
    return result.affected === 1;
  }

  async delete(id: string, manager: EntityManager): Promise<void> {
    await manager.delete(SyncEntity, { id });
  }

  /** How many syncs use the connection on either side. */
  countUsingConnection(connectionId: string): Promise<number> {
    return this.dataSource.manager.count(SyncEntity, {
      where: [{ leftConnectionId: connectionId }, { rightConnectionId: connectionId }],
    });
  }

  /** The enabled syncs with the connection on either side: what a webhook may make due. */
  enabledUsingConnection(
    connectionId: string,
  ): Promise<
    Array<Pick<SyncEntity, 'id' | 'leftConnectionId' | 'rightConnectionId' | 'definition'>>
  > {
    return this.dataSource.manager.find(SyncEntity, {
      select: { id: true, leftConnectionId: true, rightConnectionId: true, definition: true },
      where: [
        { leftConnectionId: connectionId, enabled: true },
        { rightConnectionId: connectionId, enabled: true },
      ],
    });
  }

  /**
   * Sets `webhook_due_at` on enabled syncs that have none, `debounceSeconds` from now; the number
   * of syncs marked.
   */
  async markWebhookDue(syncIds: string[], debounceSeconds: number): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    try {
      return await execute(
        await clientOf(runner),
        `UPDATE "syncs" SET "webhook_due_at" = COALESCE("webhook_due_at", now() + make_interval(secs => $2))
          WHERE "id" = ANY($1) AND "enabled"`,
        [syncIds, debounceSeconds],
      );
    } finally {
      await runner.release();
    }
  }

  /** Syncs whose alerts still hold the webhook URL in clear (written before it was sealed). */
  withUnsealedAlerts(): Promise<Array<{ id: string; alerts: StoredAlerts }>> {
    return this.dataSource.query(
      `SELECT "id", "alerts" FROM "syncs" WHERE "alerts" ? 'webhookUrl'`,
    );
  }

  /** Replaces the clear alerts of a sync with `sealed`, unless sealed meanwhile. */
  async sealAlerts(id: string, sealed: StoredAlerts): Promise<void> {
    await this.dataSource.query(
      `UPDATE "syncs" SET "alerts" = $2::jsonb WHERE "id" = $1 AND "alerts" ? 'webhookUrl'`,
      [id, JSON.stringify(sealed)],
    );
  }
}
