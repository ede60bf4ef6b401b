import { randomUUID } from 'node:crypto';
import {
  ConflictException,
  Injectable,
  Logger,
  NotFoundException,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Connector } from '../../connectors/sdk/contract';
import { runSync, type RunTrigger } from '../engine';
import { apiError } from '../common/api-error';
import { ConnectionsService } from '../connections/connections.service';
import { SyncEntity } from '../persistence/sync.entity';
import { SyncRunEntity } from '../persistence/sync-run.entity';
import { TypeOrmSyncStore } from '../persistence/typeorm-sync-store';

/**
 * Runs syncs in this process, one run per sync at a time (checked under a row lock on the sync).
 * The scheduling issue moves execution onto a Postgres job queue with leases; until then a run
 * whose process died is marked failed at the next start.
 */
@Injectable()
export class RunExecutor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RunExecutor.name);
  private readonly store: TypeOrmSyncStore;
  private readonly active = new Map<string, { abort: AbortController; done: Promise<void> }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly connections: ConnectionsService,
  ) {
    this.store = new TypeOrmSyncStore(dataSource);
  }

  async onApplicationBootstrap(): Promise<void> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(SyncRunEntity)
      .set({
        status: 'failed',
        finishedAt: () => 'now()',
        error: 'interrupted: the process running it stopped',
      })
      .where('status IN (:...statuses)', { statuses: ['queued', 'running'] })
      .execute();
    if ((result.affected ?? 0) > 0)
      this.logger.warn(`Marked ${result.affected ?? 0} interrupted run(s) as failed`);
  }

  async onApplicationShutdown(): Promise<void> {
    for (const run of this.active.values()) run.abort.abort(new Error('Syncline is shutting down'));
    await Promise.all([...this.active.values()].map((run) => run.done));
  }

  /** Starts a run of the sync; 409 with the running run's id when one is running. */
  async start(syncId: string, trigger: RunTrigger): Promise<SyncRunEntity> {
    const { sync, run } = await this.dataSource.transaction(async (manager) => {
      const locked = await manager
        .createQueryBuilder(SyncEntity, 's')
        .setLock('pessimistic_write')
        .where('s.id = :syncId', { syncId })
        .getOne();
      if (locked === null)
        throw new NotFoundException(
          apiError('not_found', `No sync with id ${syncId}`, [
            { path: 'id', problem: 'not found' },
          ]),
        );
      const running = await manager.findOne(SyncRunEntity, {
        where: [
          { syncId, status: 'running' },
          { syncId, status: 'queued' },
        ],
      });
      if (running !== null) {
        throw new ConflictException(
          apiError('run_in_progress', `Run ${running.id} of this sync is still ${running.status}`, [
            { path: 'runId', problem: running.id },
          ]),
        );
      }
      const created = manager.create(SyncRunEntity, {
        id: randomUUID(),
        syncId,
        trigger,
        status: 'running',
        startedAt: new Date(),
        finishedAt: null,
        error: null,
      });
      return { sync: locked, run: await manager.save(created) };
    });
    const abort = new AbortController();
    const done = this.execute(sync, run, abort.signal).finally(() => this.active.delete(run.id));
    this.active.set(run.id, { abort, done });
    return run;
  }

  private async execute(sync: SyncEntity, run: SyncRunEntity, signal: AbortSignal): Promise<void> {
    const opened: Connector[] = [];
    try {
      const left = await this.connections.connector(sync.leftConnectionId, signal);
      opened.push(left);
      const right = await this.connections.connector(sync.rightConnectionId, signal);
      opened.push(right);
      const result = await runSync({
        definition: sync.definition,
        left,
        right,
        store: this.store,
        trigger: run.trigger,
        signal,
        runId: run.id,
      });
      this.logger.log(
        { runId: run.id, syncId: sync.id, status: result.status, counters: result.counters },
        `Run of "${sync.name}" ${result.status}`,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error(
        { runId: run.id, syncId: sync.id, err: error },
        `Run of "${sync.name}" could not run: ${message}`,
      );
      await this.dataSource
        .getRepository(SyncRunEntity)
        .update(
          { id: run.id, status: 'running' },
          { status: 'failed', finishedAt: new Date(), error: message },
        );
    } finally {
      await Promise.all(opened.map((connector) => connector.close?.() ?? Promise.resolve()));
    }
  }

  /** Cancels a run: stops it here, or marks it cancelled when no process runs it. */
  async cancel(runId: string): Promise<void> {
    const active = this.active.get(runId);
    if (active !== undefined) {
      active.abort.abort(new Error('cancelled through the API'));
      await active.done;
      return;
    }
    await this.dataSource
      .getRepository(SyncRunEntity)
      .update({ id: runId, status: 'running' }, { status: 'cancelled', finishedAt: new Date() });
  }

  /** Resolves when the run is no longer executing in this process (for tests and shutdown). */
  async settled(runId: string): Promise<void> {
    await this.active.get(runId)?.done;
  }
}
