import { Injectable } from '@nestjs/common';
import type { ConnectionEntity } from '../persistence/connection.entity';
import { RunRepository } from '../persistence/run.repository';
import { ConnectionsService } from './connections.service';
import type { ApiUsageDto } from './usage.dto';

const WINDOW_MS = 24 * 60 * 60 * 1000;

/** API calls a connection spent in the last 24 h, against its daily budget. */
@Injectable()
export class UsageService {
  constructor(
    private readonly runs: RunRepository,
    private readonly connections: ConnectionsService,
  ) {}

  /** The connector's daily budget for these settings; none when the stored settings no longer parse. */
  private defaultBudget(connection: ConnectionEntity): number | null {
    try {
      return this.connections.limitsOf(connection).dailyBudget ?? null;
    } catch {
      return null;
    }
  }

  /**
   * Where the budget's day starts: the vendor's last reset where it resets at a fixed hour
   * (Marketo), else 24 h ago.
   */
  private windowStart(connection: ConnectionEntity, now: number): Date {
    let hour: number | undefined;
    try {
      hour = this.connections.limitsOf(connection).dailyBudgetResetUtcHour;
    } catch {
      hour = undefined;
    }
    if (hour === undefined) return new Date(now - WINDOW_MS);
    const reset = new Date(now);
    reset.setUTCHours(hour, 0, 0, 0);
    if (reset.getTime() > now) reset.setUTCDate(reset.getUTCDate() - 1);
    return reset;
  }

  async usage(connectionId: string): Promise<ApiUsageDto> {
    const connection = await this.connections.entityOf(connectionId);
    // The connection's own budget where set; otherwise its connector's, from its settings alone.
    const budget = connection.dailyCallBudget ?? this.defaultBudget(connection);
    const since = this.windowStart(connection, Date.now());
    const calls = await this.runs.callsOfConnectionSince(connectionId, since);
    const used = budget === null || budget === 0 ? null : calls / budget;
    // A vendor that said its budget is spent, until its reset time.
    const spentUntil =
      (connection.vendorBudgets ?? [])
        .filter((reported) => reported.remaining <= 0 && reported.resetsAt !== undefined)
        .map((reported) => reported.resetsAt ?? '')
        .filter((resetsAt) => Date.parse(resetsAt) > Date.now())
        .sort()
        .at(-1) ?? null;
    return {
      connectionId,
      since: since.toISOString(),
      calls,
      budget,
      remaining: budget === null ? null : Math.max(0, budget - calls),
      used,
      threshold: connection.budgetThreshold,
      pastThreshold: (used !== null && used >= connection.budgetThreshold) || spentUntil !== null,
      spentUntil,
      vendorBudgets: (connection.vendorBudgets ?? []).map((reported) => ({
        name: reported.name,
        limit: reported.limit,
        remaining: reported.remaining,
        windowMs: reported.windowMs ?? null,
        observedAt: reported.observedAt,
        resetsAt: reported.resetsAt ?? null,
      })),
    };
  }

  /**
   * The usage of the first of `connectionIds` past its budget threshold, or null: what makes
   * scheduled runs wait and failed-record retries pause. A connection whose usage cannot be read
   * does not hold anything back.
   */
  async pastThreshold(connectionIds: readonly string[]): Promise<ApiUsageDto | null> {
    for (const id of new Set(connectionIds)) {
      const usage = await this.usage(id).catch(() => null);
      if (usage?.pastThreshold === true) return usage;
    }
    return null;
  }
}
