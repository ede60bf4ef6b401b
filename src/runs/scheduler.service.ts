/**
 * The schedule tick, on every replica (DESIGN.md "Scaling out"). Each tick:
 * - starts the due runs: a sync is due when its next scheduled time, its debounced webhook time
 *   or its retry time has passed. The sync's row is locked with SKIP LOCKED, so of several
 *   replicas ticking at once exactly one queues the run; the others move on.
 * - sends again the job of every run left queued, or running with an expired lease (its worker
 *   died), so that some worker takes it over.
 * A due time is cleared only when its run is queued: a tick that finds the sync's previous run
 * still going, a budget past its threshold or the replica down leaves it due, and a later tick
 * catches it up (missed occurrences of a schedule become one run, not a burst).
 */
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { RunTrigger } from '../engine';
import { UsageService } from '../connections/usage.service';
import { type DueTimes, RunActiveError, RunRequestRepository } from '../persistence/run-requests';
import { Transactions } from '../persistence/transactions';
import { RunExecutor } from './run-executor';
import { nextOccurrence } from './schedule';

export const SCHEDULER_OPTIONS = Symbol('SCHEDULER_OPTIONS');

export interface SchedulerOptions {
  tickSeconds: number;
  /** A queued run older than this without a worker gets its job sent again (seconds). */
  requeueAfterSeconds: number;
}

const TICK = 'syncline-schedule-tick';
const DUE_PER_TICK = 100;
/** Log a sync waiting for its API budget at most this often. */
const BUDGET_LOG_MS = 10 * 60 * 1000;

@Injectable()
export class SchedulerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Scheduler');
  private ticking: Promise<void> | undefined;
  private readonly budgetLogged = new Map<string, number>();

  constructor(
    private readonly requests: RunRequestRepository,
    private readonly transactions: Transactions,
    private readonly registry: SchedulerRegistry,
    private readonly executor: RunExecutor,
    private readonly usage: UsageService,
    @Inject(SCHEDULER_OPTIONS) private readonly options: SchedulerOptions,
  ) {}

  onApplicationBootstrap(): void {
    const interval = setInterval(() => {
      // One tick at a time per replica; a slow one makes the next wait, not pile up.
      if (this.ticking !== undefined) return;
      this.ticking = this.tick()
        .catch((error: unknown) => {
          this.logger.warn({ err: error }, `Schedule tick failed: ${String(error)}`);
        })
        .finally(() => (this.ticking = undefined));
    }, this.options.tickSeconds * 1000);
    this.registry.addInterval(TICK, interval);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('interval', TICK)) this.registry.deleteInterval(TICK);
    await this.ticking;
  }

  /** One pass: queue due runs, re-send stranded jobs. Public for tests. */
  async tick(): Promise<void> {
    for (const id of await this.requests.dueSyncIds(DUE_PER_TICK)) await this.startDue(id);
    const stranded = await this.requests.strandedSyncIds(this.options.requeueAfterSeconds);
    for (const syncId of stranded) await this.executor.send(syncId);
  }

  /** Why a sync's non-manual run must wait: a connection past its API budget threshold. */
  private async budgetWait(sync: {
    id: string;
    name: string;
    left_connection_id: string;
    right_connection_id: string;
  }): Promise<boolean> {
    const usage = await this.usage.pastThreshold([
      sync.left_connection_id,
      sync.right_connection_id,
    ]);
    if (usage !== null) {
      const last = this.budgetLogged.get(sync.id) ?? 0;
      if (Date.now() - last > BUDGET_LOG_MS) {
        this.budgetLogged.set(sync.id, Date.now());
        this.logger.warn(
          {
            syncId: sync.id,
            connectionId: usage.connectionId,
            calls: usage.calls,
            budget: usage.budget,
          },
          usage.spentUntil === null
            ? `Sync "${sync.name}" waits: connection ${usage.connectionId} used ${String(usage.calls)} of its ${String(usage.budget)} API calls in 24 h (threshold ${String(Math.round(usage.threshold * 100))}%); manual runs still go`
            : `Sync "${sync.name}" waits: the vendor of connection ${usage.connectionId} said its API budget is spent until ${usage.spentUntil}; manual runs still go`,
        );
      }
      return true;
    }
    this.budgetLogged.delete(sync.id);
    return false;
  }

  private async startDue(syncId: string): Promise<void> {
    // Outside the transaction: the embedded database runs one transaction at a time, and the
    // budget reads on other connections.
    const candidate = await this.requests.syncConnections(syncId);
    if (candidate === undefined || (await this.budgetWait(candidate))) return;
    const queued = await this.transactions.run(async (manager) => {
      const sync = await this.requests.lockEnabledSync(manager, syncId);
      if (sync === null) return false;
      const now = await this.requests.databaseNow(manager);
      const scheduleDue = sync.nextRunAt !== null && sync.nextRunAt <= now;
      const webhookDue = sync.webhookDueAt !== null && sync.webhookDueAt <= now;
      const retryDue = sync.retryAt !== null && sync.retryAt <= now;
      if (!scheduleDue && !webhookDue && !retryDue) return false;
      const trigger: RunTrigger = scheduleDue ? 'schedule' : webhookDue ? 'webhook' : 'retry';
      try {
        await this.requests.insertQueuedRun(manager, syncId, trigger);
      } catch (error) {
        // A run of the sync is queued or running: this one waits for the next tick.
        if (error instanceof RunActiveError) return false;
        throw error;
      }
      const changes: DueTimes = {};
      if (scheduleDue && sync.schedule !== null && sync.nextRunAt !== null) {
        let next = nextOccurrence(sync.schedule, sync.nextRunAt);
        if (next <= now) next = nextOccurrence(sync.schedule, now);
        changes.nextRunAt = next;
      }
      if (webhookDue) changes.webhookDueAt = null;
      if (retryDue) changes.retryAt = null;
      await this.requests.setDueTimes(manager, syncId, changes);
      this.logger.debug(
        { syncId, trigger },
        `Queued a ${trigger} run of "${sync.name}"${changes.nextRunAt ? `; next at ${changes.nextRunAt.toISOString()}` : ''}`,
      );
      return true;
    });
    if (queued) await this.executor.send(syncId);
  }
}
