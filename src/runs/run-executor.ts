/**
 * Runs syncs on the job queue (DESIGN.md "Scaling out", step 1 of the sync algorithm).
 *
 * A run is requested by inserting a `queued` row into `sync_runs` (a unique index keeps one
 * queued-or-running run per sync, whatever the number of replicas) and sending a job for its sync.
 * Any replica's worker takes the job and claims the run by compare-and-set, with a lease it keeps
 * alive by heartbeat. Every write of the run is fenced by that lease (LeasedRunStore). A run whose
 * worker died keeps `running` with an expired lease: the scheduler re-sends its job and another
 * worker takes it over, resuming from the last committed checkpoint. On shutdown a worker stops at
 * the end of its current page and puts its run back in the queue.
 */
import { ConnectorError } from '../../connectors/sdk/errors';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { type AnyConnector, asRecordConnector } from '../../connectors/sdk/contract';
import { kindOf, runOneWaySync, runSync, type RunCounters, type SyncRunResult } from '../engine';
import { ConnectionsService } from '../connections/connections.service';
import { UsageService } from '../connections/usage.service';
import { countersOfRow } from '../persistence/counters';
import { MetricsService } from '../metrics/metrics.service';
import { LeaseLostError, type LeasedRunStore } from '../persistence/leased-run-store';
import { RunLeases, type ClaimedRow } from '../persistence/run-leases';
import { RunRepository } from '../persistence/run.repository';
import type { SyncEntity } from '../persistence/sync.entity';
import { SyncRepository } from '../persistence/sync.repository';
import { RunOutcomes } from './run-outcomes';
import { JobQueue } from './job-queue';
import { waitsForConfirmation } from './first-run-gate';

export const RUNS_OPTIONS = Symbol('RUNS_OPTIONS');

export interface RunsOptions {
  /** Runs this replica executes at once; 0: the replica serves the API only. */
  workerConcurrency: number;
  /** Records a run reads, writes and commits at a time (SYNCLINE_PAGE_SIZE). */
  pageSize: number;
  runLeaseSeconds: number;
  /** How often idle workers look for jobs (seconds). */
  pollingIntervalSeconds: number;
  /**
   * A records sync's first run waits for confirmation when more than this share (0 to 1) of a
   * side's sampled records would be created for want of a match (1: never waits).
   */
  firstRunMaxUnmatched: number;
}

interface ActiveRun {
  runId: string;
  syncId: string;
  abort: AbortController;
  store: LeasedRunStore;
  done: Promise<void>;
}

/** Takeovers after which a run is failed instead of handed to yet another worker. */
export const MAX_TAKEOVERS = 3;

/**
 * The run's counters with the calls its connectors made before the engine counts them (the first
 * run's match estimate): the run spent them too.
 */
function withCallsSoFar(
  counters: RunCounters,
  left: AnyConnector,
  right: AnyConnector,
): RunCounters {
  return {
    ...counters,
    apiCalls: {
      left: counters.apiCalls.left + left.callCount(),
      right: counters.apiCalls.right + right.callCount(),
    },
  };
}

@Injectable()
export class RunExecutor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RunExecutor.name);
  /** This replica's worker id, written on the runs it holds. */
  readonly workerId = `${hostname()}:${String(process.pid)}:${randomUUID().slice(0, 8)}`;
  private readonly active = new Map<string, ActiveRun>();
  private readonly queue: JobQueue;
  private stopping = false;
  /** Syncs whose run was claimed as the shutdown began, and released: their jobs are sent again. */
  private readonly releasedLate = new Set<string>();

  constructor(
    private readonly leases: RunLeases,
    private readonly runs: RunRepository,
    private readonly syncs: SyncRepository,
    private readonly connections: ConnectionsService,
    private readonly usage: UsageService,
    private readonly outcomes: RunOutcomes,
    private readonly metrics: MetricsService,
    @Inject(RUNS_OPTIONS) private readonly options: RunsOptions,
  ) {
    this.queue = new JobQueue(leases.pool(), {
      pollingIntervalSeconds: options.pollingIntervalSeconds,
    });
  }

  /** What the vendors said of their budgets during the run, for GET /connections/:id/usage. */
  private async keepVendorBudgets(
    runId: string,
    connectors: ReadonlyArray<{ connectionId: string; connector: AnyConnector }>,
  ): Promise<void> {
    for (const { connectionId, connector } of connectors) {
      try {
        await this.leases.keepVendorBudgets(connectionId, connector.budgets());
      } catch (error) {
        this.logger.warn(
          { runId, err: error },
          `Could not keep the vendor budgets of ${connectionId}`,
        );
      }
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.start();
    if (this.options.workerConcurrency > 0)
      await this.queue.work(this.options.workerConcurrency, (job) => this.take(job.syncId));
    this.logger.log(
      `Worker ${this.workerId}: ${String(this.options.workerConcurrency)} run(s) at a time, lease ${String(this.options.runLeaseSeconds)} s`,
    );
  }

  /** Stops taking jobs, puts the runs in progress back in the queue at their next page. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.queue.stopWorking();
    const running = [...this.active.values()];
    for (const run of running) {
      run.store.releasing = true;
      run.abort.abort(new Error('Syncline is shutting down'));
    }
    await Promise.all(running.map((run) => run.done));
    // Jobs whose run was being claimed as the shutdown began: they release themselves (take()).
    await this.queue.drain();
    // The released runs' jobs, for whichever replica takes them (this one after a restart).
    const released = new Set([...running.map((run) => run.syncId), ...this.releasedLate]);
    for (const syncId of released) await this.queue.send(syncId).catch(() => undefined);
    await this.queue.stop();
  }

  /** Sends the sync's job; a failure is logged, the scheduler's sweep sends it again. */
  async send(syncId: string): Promise<void> {
    try {
      await this.queue.send(syncId);
    } catch (error) {
      this.logger.warn(
        { syncId, err: error },
        `Could not queue the run of sync ${syncId} (sent again at the next tick)`,
      );
    }
  }

  /** Read through a call, so the check is not narrowed away across an await. */
  private shuttingDown(): boolean {
    return this.stopping;
  }

  /** The job handler: claims the sync's pending run, if any, and executes it here. */
  private async take(syncId: string): Promise<void> {
    if (this.stopping) return;
    const claimed = await this.leases.claim(syncId, this.workerId, this.options.runLeaseSeconds);
    if (claimed === undefined) return;
    if (claimed.previous_status === 'running') this.metrics.runTakeovers.inc();
    const store = this.leases.storeFor(claimed.id, this.workerId);
    if (claimed.previous_status === 'running' && claimed.takeovers > MAX_TAKEOVERS) {
      // Each worker that held it died or hung (a mapping that exhausts the process, a vendor
      // answer that crashes it…): handing it on would take every replica down in turn.
      await this.failed(
        claimed,
        null,
        store,
        new Error(
          `Taken over ${String(claimed.takeovers - 1)} times: each worker holding this run died or stopped answering (the last was ${claimed.previous_worker ?? 'unknown'}), so it was failed rather than handed to another one`,
        ),
      );
      return;
    }
    if (claimed.previous_status === 'running')
      this.logger.warn(
        { runId: claimed.id, syncId, previousWorker: claimed.previous_worker },
        `Took over run ${claimed.id} from worker ${claimed.previous_worker ?? '?'} (its lease expired); resuming from the last checkpoint`,
      );
    const abort = new AbortController();
    const done = this.execute(claimed, store, abort).finally(() => this.active.delete(claimed.id));
    this.active.set(claimed.id, { runId: claimed.id, syncId, abort, store, done });
    if (this.shuttingDown()) {
      // Claimed while the shutdown began: released at its first page, like the others.
      store.releasing = true;
      abort.abort(new Error('Syncline is shutting down'));
      this.releasedLate.add(syncId);
    }
    const began = Date.now();
    this.metrics.runsActive.inc();
    try {
      await done;
    } finally {
      this.metrics.runsActive.dec();
    }
    await this.countFinished(claimed, store, (Date.now() - began) / 1000);
  }

  /** The run's end in this replica's metrics: its status, or released, or lost to another. */
  private async countFinished(
    claimed: ClaimedRow,
    store: LeasedRunStore,
    seconds: number,
  ): Promise<void> {
    const row = await this.runs.byId(claimed.id).catch(() => null);
    const status = store.releasing
      ? 'released'
      : row === null || row.workerId !== this.workerId
        ? 'lost'
        : row.status;
    this.metrics.runsFinished.inc({ status, trigger: claimed.trigger });
    this.metrics.runDuration.observe({ status }, seconds);
  }

  private async execute(
    claimed: ClaimedRow,
    store: LeasedRunStore,
    abort: AbortController,
  ): Promise<void> {
    const { id: runId, sync_id: syncId } = claimed;
    const beatMs = Math.min(5000, (this.options.runLeaseSeconds * 1000) / 3);
    const beat = setInterval(() => {
      this.leases
        .renew(runId, this.workerId, this.options.runLeaseSeconds)
        .then((held) => {
          if (!held && !abort.signal.aborted)
            abort.abort(new LeaseLostError(`Run ${runId} is no longer held by this worker`));
        })
        .catch((error: unknown) => {
          this.logger.warn({ runId, err: error }, `Heartbeat of run ${runId} failed`);
        });
    }, beatMs);
    beat.unref();
    const opened: Array<{ connectionId: string; connector: AnyConnector }> = [];
    // The vendors' budgets are kept before the run is marked ended, so a client that sees it
    // ended reads them at GET /connections/:id/usage; and once only.
    let budgetsKept = false;
    const keepBudgets = async (): Promise<void> => {
      if (budgetsKept) return;
      budgetsKept = true;
      await this.keepVendorBudgets(runId, opened);
    };
    store.beforeFinish = keepBudgets;
    let sync: SyncEntity | null = null;
    try {
      sync = await this.syncs.byId(syncId);
      if (sync === null) return;
      const budget = await this.usage.pastThreshold([
        sync.leftConnectionId,
        sync.rightConnectionId,
      ]);
      if (budget !== null)
        this.logger.warn(
          { runId, syncId },
          budget.spentUntil === null
            ? `Run of "${sync.name}": failed-record retries paused, connection ${budget.connectionId} used ${String(budget.calls)} of ${String(budget.budget)} calls in 24 h (past the budget threshold)`
            : `Run of "${sync.name}": failed-record retries paused, the vendor of connection ${budget.connectionId} said its API budget is spent until ${budget.spentUntil}`,
        );
      const leftConnector = await this.connections.connector(sync.leftConnectionId, abort.signal);
      opened.push({ connectionId: sync.leftConnectionId, connector: leftConnector });
      const rightConnector = await this.connections.connector(sync.rightConnectionId, abort.signal);
      opened.push({ connectionId: sync.rightConnectionId, connector: rightConnector });
      const gate = { claimed, sync, store, runs: this.runs, logger: this.logger };
      const maxUnmatched = this.options.firstRunMaxUnmatched;
      const [left, right] = [leftConnector, rightConnector];
      if (await waitsForConfirmation({ ...gate, left, right, maxUnmatched })) return;
      const common = {
        definition: sync.definition,
        store,
        trigger: claimed.trigger,
        signal: abort.signal,
        runId,
        counters: withCallsSoFar(countersOfRow(claimed), leftConnector, rightConnector),
        pageSize: this.options.pageSize,
      };
      const result =
        kindOf(sync.definition) === 'records'
          ? await runSync({
              ...common,
              left: asRecordConnector(leftConnector),
              right: asRecordConnector(rightConnector),
              retryFailedRecords: budget === null,
              retryOnly: claimed.retry_only,
              fullRefresh: claimed.full_refresh,
            })
          : await runOneWaySync({
              ...common,
              source: leftConnector,
              destination: rightConnector,
              fullRefresh: claimed.full_refresh,
            });
      if (store.releasing) {
        this.logger.log({ runId, syncId }, `Run of "${sync.name}" released for another worker`);
        return;
      }
      this.logger.log(
        { runId, syncId, status: result.status, counters: result.counters },
        `Run of "${sync.name}" ${result.status}`,
      );
      await this.outcomes.record(syncId, result);
    } catch (error) {
      await this.failed(claimed, sync, store, error);
    } finally {
      clearInterval(beat);
      await keepBudgets();
      await Promise.all(opened.map(({ connector }) => connector.close?.() ?? Promise.resolve()));
    }
  }

  /** A run that could not run, or whose lease went away under it. */
  private async failed(
    claimed: ClaimedRow,
    sync: SyncEntity | null,
    store: LeasedRunStore,
    error: unknown,
  ): Promise<void> {
    const runId = claimed.id;
    const name = sync?.name ?? claimed.sync_id;
    if (error instanceof LeaseLostError) {
      const row = await this.runs.byId(runId);
      if (row?.status === 'cancelled') this.logger.log({ runId }, `Run of "${name}" cancelled`);
      else
        this.logger.warn(
          { runId, holder: row?.workerId },
          `Run of "${name}" stopped here: its lease went to ${row?.workerId ?? 'nobody'}`,
        );
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    this.logger.error(
      { runId, syncId: claimed.sync_id, err: error },
      `Run of "${name}" could not run: ${message}`,
    );
    const finished = new Date().toISOString();
    const result: SyncRunResult = {
      runId,
      syncId: claimed.sync_id,
      status: store.releasing ? 'cancelled' : 'failed',
      counters: countersOfRow(claimed),
      startedAt: finished,
      finishedAt: finished,
      error: message,
      errorCode: error instanceof ConnectorError ? error.code : null,
      problems: [],
    };
    try {
      await store.finishRun(runId, result);
    } catch (finishError) {
      if (finishError instanceof LeaseLostError) return;
      throw finishError;
    }
    if (!store.releasing) await this.outcomes.record(claimed.sync_id, result);
  }

  /** Cancels a run: stops it here, or marks it cancelled for the worker holding it to notice. */
  async cancel(runId: string): Promise<void> {
    const active = this.active.get(runId);
    if (active !== undefined) {
      active.abort.abort(new Error('cancelled through the API'));
      await active.done;
      return;
    }
    // A queued run simply ends; a running one elsewhere stops at its next heartbeat or commit.
    await this.leases.cancelUnfinished(runId);
  }

  /** Resolves when the run is no longer executing in this process (for tests and shutdown). */
  async settled(runId: string): Promise<void> {
    await this.active.get(runId)?.done;
  }
}
