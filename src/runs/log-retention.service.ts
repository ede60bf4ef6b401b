/**
 * Keeps the sync log to SYNCLINE_LOG_RETENTION_DAYS: every hour (and once shortly after start)
 * the lines older than that are deleted, in short batches. Every replica may do it: a line is
 * deleted once, whoever gets there first.
 */
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { RecordEventRepository } from '../persistence/record-event.repository';
import type { SentAlerts } from '../persistence/sent-alerts';
import { ALERT_HISTORY } from '../alerts/alerts.service';

export const LOG_RETENTION_OPTIONS = Symbol('LOG_RETENTION_OPTIONS');

export interface LogRetentionOptions {
  /** Days the sync log keeps; 0: for ever. */
  days: number;
  /** Between two prunings (ms); an hour. */
  everyMs?: number;
}

const HOUR_MS = 60 * 60 * 1000;
const INTERVAL = 'sync-log-retention';
const TIMEOUT = 'sync-log-retention-first';

@Injectable()
export class LogRetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SyncLog');
  private pruning: Promise<number> | undefined;

  constructor(
    private readonly syncLog: RecordEventRepository,
    private readonly registry: SchedulerRegistry,
    @Inject(LOG_RETENTION_OPTIONS) private readonly options: LogRetentionOptions,
    @Inject(ALERT_HISTORY) private readonly sentAlerts: SentAlerts,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.days === 0) return;
    const run = (): void => {
      if (this.pruning !== undefined) return;
      this.pruning = this.prune()
        .catch((error: unknown) => {
          this.logger.warn({ err: error }, `Pruning the sync log failed: ${String(error)}`);
          return 0;
        })
        .finally(() => (this.pruning = undefined));
    };
    const first = setTimeout(run, 60_000);
    first.unref();
    this.registry.addTimeout(TIMEOUT, first);
    const interval = setInterval(run, this.options.everyMs ?? HOUR_MS);
    interval.unref();
    this.registry.addInterval(INTERVAL, interval);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('timeout', TIMEOUT)) this.registry.deleteTimeout(TIMEOUT);
    if (this.registry.doesExist('interval', INTERVAL)) this.registry.deleteInterval(INTERVAL);
    await this.pruning;
  }

  /** Deletes the lines older than the retention now; returns how many. Public for tests. */
  async prune(now = new Date()): Promise<number> {
    if (this.options.days === 0) return 0;
    const before = new Date(now.getTime() - this.options.days * 24 * HOUR_MS);
    const deleted = await this.syncLog.deleteBefore(before);
    // The alerts sent are history of the same kind: kept as long.
    await this.sentAlerts.prune(before);
    if (deleted > 0)
      this.logger.log(
        { deleted, before: before.toISOString() },
        `Pruned ${String(deleted)} sync log line(s) older than ${String(this.options.days)} days`,
      );
    return deleted;
  }
}
