/**
 * What a finished run means for its sync: health, the backoff retry of a failed run, and alerts
 * (a failed run, a failed-record rate past the sync's threshold, the recovery after either).
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AlertsService, type AlertSync } from '../alerts/alerts.service';
import { openAlerts } from '../alerts/sealed-alerts';
import type { SyncRunResult } from '../engine';
import type { SyncEntity } from '../persistence/sync.entity';
import { SyncHealthRepository } from '../persistence/sync-health';
import { retryDelayMs, type SyncHealth } from './schedule';
import { SecretBox } from '../secrets/secret-box';

export const OUTCOME_OPTIONS = Symbol('OUTCOME_OPTIONS');

export interface OutcomeOptions {
  /** First backoff after a failed run (seconds); doubles per consecutive failure. */
  runRetrySeconds: number;
  /** Consecutive failed runs after which the sync is unhealthy and no longer retried early. */
  unhealthyAfter: number;
}

/**
 * The record-count anomaly: a run's creates, deletes or audience removals past `anomalyFactor`
 * times the median of the sync's last `runs` finished runs (retry-only runs aside), once it has
 * `minRuns` of them and the count is `minCount` at least (a sync that usually creates 1 record
 * creating 5 is no news).
 */
export const RECORD_ANOMALY = { runs: 10, minRuns: 3, minCount: 50 } as const;
const ANOMALY_COUNTERS = ['created', 'deleted', 'removed'] as const;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted.at(middle) ?? 0)
    : ((sorted.at(middle - 1) ?? 0) + (sorted.at(middle) ?? 0)) / 2;
}

/** When a vendor names no reset time for a spent budget: try again in an hour. */
const BUDGET_RETRY_MS = 60 * 60 * 1000;

function plural(n: number, word: string): string {
  return `${String(n)} ${word}${n === 1 ? '' : 's'}`;
}

@Injectable()
export class RunOutcomes {
  private readonly logger = new Logger('Runs');

  constructor(
    private readonly health: SyncHealthRepository,
    private readonly alerts: AlertsService,
    private readonly box: SecretBox,
    @Inject(OUTCOME_OPTIONS) private readonly options: OutcomeOptions,
  ) {}

  /** The sync as alerts need it: its webhook URL opened. */
  private alertSync(sync: SyncEntity): AlertSync {
    return { id: sync.id, name: sync.name, alerts: openAlerts(this.box, sync.alerts) };
  }

  async record(syncId: string, result: SyncRunResult): Promise<void> {
    if (result.status === 'cancelled') return;
    const sync = await this.health.findSync(syncId);
    if (sync === null) return;
    if (result.status === 'failed') await this.failed(sync, result);
    else await this.succeeded(sync, result);
  }

  private async failed(sync: SyncEntity, result: SyncRunResult): Promise<void> {
    if (result.errorCode === 'budget_exhausted') {
      await this.budgetSpent(sync, result);
      return;
    }
    const failures = sync.consecutiveFailures + 1;
    const health: SyncHealth = failures >= this.options.unhealthyAfter ? 'unhealthy' : 'failing';
    // Unhealthy: no early retry; its schedule (and manual runs) still try.
    const retryAt =
      health === 'unhealthy'
        ? null
        : new Date(Date.now() + retryDelayMs(failures, this.options.runRetrySeconds));
    await this.health.setSyncHealth(sync.id, {
      consecutiveFailures: failures,
      health,
      healthReason: null,
      retryAt,
      alerting: sync.alerting || sync.alerts !== null,
    });
    if (health === 'unhealthy' && sync.health !== 'unhealthy')
      this.logger.warn(
        { syncId: sync.id, failures },
        `Sync "${sync.name}" is unhealthy: ${String(failures)} failed runs in a row`,
      );
    else if (retryAt !== null)
      this.logger.log(
        { syncId: sync.id, failures, retryAt: retryAt.toISOString() },
        `Sync "${sync.name}": run failed, retry at ${retryAt.toISOString()}`,
      );
    // The first failure, and the one that makes the sync unhealthy; not every run in between.
    if (sync.alerting && !(health === 'unhealthy' && sync.health !== 'unhealthy')) return;
    await this.alerts.notify(this.alertSync(sync), {
      kind: 'run_failed',
      runId: result.runId,
      error: result.error,
      consecutiveFailures: failures,
      health,
    });
  }

  /**
   * A run a vendor stopped because its daily API budget is spent: no failure of the sync's own
   * (it does not count towards unhealthy), but the sync waits, its next run due when the vendor's
   * budget resets, and resumes from the checkpoint the stopped run committed.
   */
  private async budgetSpent(sync: SyncEntity, result: SyncRunResult): Promise<void> {
    const resumeAt =
      result.resumeAt == null
        ? new Date(Date.now() + BUDGET_RETRY_MS)
        : new Date(Math.max(Date.parse(result.resumeAt), Date.now()));
    const reason = `A vendor's daily API budget is spent (${result.error ?? 'budget_exhausted'}); the sync resumes from its checkpoint at ${resumeAt.toISOString()}`;
    await this.health.setSyncHealth(sync.id, {
      health: 'failing',
      healthReason: reason,
      retryAt: resumeAt,
      alerting: sync.alerting || sync.alerts !== null,
    });
    this.logger.warn(
      { syncId: sync.id, resumeAt: resumeAt.toISOString() },
      `Sync "${sync.name}": ${reason}`,
    );
    if (sync.alerting) return;
    await this.alerts.notify(this.alertSync(sync), {
      kind: 'run_failed',
      runId: result.runId,
      error: reason,
      consecutiveFailures: sync.consecutiveFailures,
      health: 'failing',
    });
  }

  /**
   * Why the sync is degraded, or null when it is not: the run's warnings (deletes a vendor no
   * longer holds), or records failed in this run and in the run before it (failures that persist
   * or grow, not one bad record once).
   */
  private async degradedReason(sync: SyncEntity, result: SyncRunResult): Promise<string | null> {
    // Deletes lost at a vendor: every run says so until a full refresh reconciles.
    if (result.warnings !== undefined && result.warnings.length > 0)
      return result.warnings.join(' ');
    if (result.status !== 'partial') return null;
    const previous = await this.health.previousFinishedRun(sync.id, result.runId);
    if (previous?.status !== 'partial') return null;
    const { queued, dead } = await this.health.failedRecordCounts(sync.id);
    const runs = `${plural(result.counters.failed, 'record')} failed in the last run and ${plural(previous.failed, 'record')} in the one before`;
    return queued + dead === 0
      ? runs
      : `${runs}; ${String(queued)} waiting for a retry, ${String(dead)} given up`;
  }

  /** The counts of this run past `factor` times their usual; empty when none is. */
  private async anomalies(
    sync: SyncEntity,
    result: SyncRunResult,
    factor: number,
  ): Promise<Array<{ counter: (typeof ANOMALY_COUNTERS)[number]; count: number; usual: number }>> {
    const counts = ANOMALY_COUNTERS.map((counter) => ({
      counter,
      count: result.counters[counter],
    }));
    if (counts.every(({ count }) => count < RECORD_ANOMALY.minCount)) return [];
    const before = await this.health.recentRecordRuns(sync.id, result.runId, RECORD_ANOMALY.runs);
    if (before.length < RECORD_ANOMALY.minRuns) return [];
    return counts
      .map(({ counter, count }) => ({
        counter,
        count,
        usual: median(before.map((run) => run[counter])),
      }))
      .filter(
        ({ count, usual }) =>
          count >= RECORD_ANOMALY.minCount && count > factor * Math.max(usual, 1),
      );
  }

  private async recordAnomaly(sync: SyncEntity, result: SyncRunResult): Promise<void> {
    const factor = sync.alerts?.anomalyFactor;
    if (factor === undefined) return;
    const anomalies = await this.anomalies(sync, result, factor);
    if (anomalies.length === 0) return;
    this.logger.warn(
      { syncId: sync.id, runId: result.runId, anomalies },
      `Sync "${sync.name}": run ${result.runId} ${anomalies.map((a) => `${a.counter} ${String(a.count)} records (usually ${String(a.usual)})`).join(', ')}`,
    );
    await this.alerts.notify(this.alertSync(sync), {
      kind: 'record_anomaly',
      runId: result.runId,
      factor,
      anomalies,
    });
  }

  private async succeeded(sync: SyncEntity, result: SyncRunResult): Promise<void> {
    await this.recordAnomaly(sync, result);
    const threshold = sync.alerts?.failedRecordRate;
    const { read, failed } = result.counters;
    const rate = read > 0 ? failed / read : 0;
    const tooManyFailed = threshold !== undefined && failed > 0 && rate > threshold;
    const reason = await this.degradedReason(sync, result);
    const health: SyncHealth = reason === null ? 'healthy' : 'degraded';
    await this.health.setSyncHealth(sync.id, {
      consecutiveFailures: 0,
      health,
      healthReason: reason,
      retryAt: null,
      alerting: tooManyFailed,
    });
    if (health === 'degraded' && sync.health !== 'degraded') {
      this.logger.warn(
        { syncId: sync.id, reason },
        `Sync "${sync.name}" is degraded: ${String(reason)}`,
      );
      if (sync.alerts !== null)
        await this.alerts.notify(this.alertSync(sync), {
          kind: 'degraded',
          runId: result.runId,
          reason: reason ?? '',
        });
    } else if (health === 'healthy' && sync.health === 'degraded') {
      this.logger.log(
        { syncId: sync.id },
        `Sync "${sync.name}" is healthy again: its records sync`,
      );
      // One recovery message: the failed-record rate's, below, says it when it was alerting too.
      if (sync.alerts !== null && !sync.alerting)
        await this.alerts.notify(this.alertSync(sync), {
          kind: 'recovered',
          runId: result.runId,
          after: 'degraded',
        });
    } else if (health === 'healthy' && sync.health !== 'healthy')
      this.logger.log(
        { syncId: sync.id },
        `Sync "${sync.name}" is healthy again after ${String(sync.consecutiveFailures)} failed run(s)`,
      );
    // One alert when the rate passes the threshold, one when it is back under (not one per run).
    if (tooManyFailed && !sync.alerting) {
      await this.alerts.notify(this.alertSync(sync), {
        kind: 'failed_records',
        runId: result.runId,
        failed,
        read,
        rate,
        threshold,
      });
    } else if (!tooManyFailed && sync.alerting) {
      await this.alerts.notify(this.alertSync(sync), {
        kind: 'recovered',
        runId: result.runId,
        after: sync.consecutiveFailures > 0 ? 'run_failed' : 'failed_records',
      });
    }
  }
}
