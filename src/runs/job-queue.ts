/**
 * The job queue on Postgres (pg-boss, in its own `pgboss` schema) that carries "sync S has a run
 * to execute" to any replica's worker. It delivers; it does not decide: which run executes, and
 * that no sync ever has two at once, is settled in `sync_runs` (a unique index on the active run
 * of a sync, and a lease claimed by compare-and-set). A lost or duplicated job is therefore
 * harmless: the scheduler re-sends for any run left queued or with an expired lease, and a job
 * that finds nothing to claim completes doing nothing.
 *
 * The queue uses policy `short` with the sync id as singleton key: at most one waiting job per
 * sync, while a job held by a dead worker (still `active` in pg-boss) never blocks a takeover.
 */
import { Logger } from '@nestjs/common';
import PgBoss from 'pg-boss';
import type { Pool, QueryResult } from 'pg';

export const RUN_QUEUE = 'sync-run';

/** Serialises pg-boss's schema set-up between replicas starting together (it can deadlock). */
const QUEUE_SETUP_LOCK = 0x53594e51; // "SYNQ"

export interface RunJob {
  syncId: string;
}

export class JobQueue {
  private readonly logger = new Logger('JobQueue');
  private readonly boss: PgBoss;
  private readonly workerIds: string[] = [];
  /** Handlers running now: a stop waits for them, so none answers pg-boss after its pool closed. */
  private readonly inFlight = new Set<Promise<void>>();
  /** pg-boss's queries not yet answered: a stop waits for them before the pool may close. */
  private readonly queries = new Set<Promise<unknown>>();
  private started = false;
  /** Stopped: pg-boss's late bookkeeping (a job fetched as the stop began) is dropped. */
  private closed = false;

  constructor(
    private readonly pool: Pool,
    options: { pollingIntervalSeconds: number },
  ) {
    this.boss = new PgBoss({
      // The app's own pool: on the embedded database every connection counts.
      db: { executeSql: (text, values) => this.query(text, values) },
      schema: 'pgboss',
      // pg-boss's cron is not used: syncs' schedules live in `syncs` (see SchedulerService).
      schedule: false,
      supervise: true,
      migrate: true,
      pollingIntervalSeconds: options.pollingIntervalSeconds,
    });
    this.boss.on('error', (error: Error) => {
      this.logger.warn({ err: error }, `Job queue: ${error.message}`);
    });
  }

  async start(): Promise<void> {
    const lock = await this.pool.connect();
    try {
      await lock.query('SELECT pg_advisory_lock($1)', [QUEUE_SETUP_LOCK]);
      try {
        await this.setUp();
      } finally {
        await lock.query('SELECT pg_advisory_unlock($1)', [QUEUE_SETUP_LOCK]);
      }
    } finally {
      lock.release();
    }
    this.started = true;
  }

  private async setUp(): Promise<void> {
    await this.boss.start();
    await this.boss.createQueue(RUN_QUEUE, {
      name: RUN_QUEUE,
      policy: 'short',
      // Runs hold their job while they execute; liveness is the run's lease, not this expiry.
      expireInSeconds: 23 * 3600,
      // A failed run is retried by the scheduler with the sync's backoff, not by the queue.
      retryLimit: 0,
      retentionDays: 1,
    });
  }

  /**
   * A worker's fetch in flight when the stop began still hands its jobs to the handler, and
   * pg-boss completes them without awaiting: after the stop, such a query would meet a closed
   * pool and surface as an unhandled rejection. The job it would have completed stays `active`
   * in pg-boss, which is harmless (see above).
   */
  private query(
    text: string,
    values?: unknown[],
  ): Promise<QueryResult | { rows: []; rowCount: 0 }> {
    if (this.closed) {
      this.logger.debug('Job queue stopped: a late pg-boss query was dropped');
      return Promise.resolve({ rows: [], rowCount: 0 });
    }
    const pending = this.pool.query(text, values);
    this.queries.add(pending);
    void pending.finally(() => this.queries.delete(pending)).catch(() => undefined);
    return pending;
  }

  /** Asks for the sync's pending run to be executed; deduplicated per sync while one waits. */
  async send(syncId: string): Promise<void> {
    await this.boss.send(RUN_QUEUE, { syncId } satisfies RunJob, { singletonKey: syncId });
    // Wake a local worker at once instead of at its next poll.
    for (const id of this.workerIds) this.boss.notifyWorker(id);
  }

  /** `concurrency` workers, each executing one run at a time. */
  async work(concurrency: number, handle: (job: RunJob) => Promise<void>): Promise<void> {
    for (let slot = 0; slot < concurrency; slot++) {
      const id = await this.boss.work<RunJob>(RUN_QUEUE, { batchSize: 1 }, async (jobs) => {
        const task = (async () => {
          for (const job of jobs) await handle(job.data);
        })();
        this.inFlight.add(task);
        try {
          await task;
        } finally {
          this.inFlight.delete(task);
        }
      });
      this.workerIds.push(id);
    }
  }

  /** Stops fetching new jobs (the runs in progress are the caller's to release). */
  async stopWorking(): Promise<void> {
    if (this.started) await this.boss.offWork(RUN_QUEUE);
  }

  /** Waits for the handlers in progress to return (whatever they return). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: false, close: false, wait: true });
    // A query's answer may start another (a fetch hands jobs on, they are completed): settle
    // until a turn of the event loop starts none.
    do {
      await Promise.allSettled([...this.queries]);
      await new Promise((resolve) => setImmediate(resolve));
    } while (this.queries.size > 0);
    this.closed = true;
  }
}
