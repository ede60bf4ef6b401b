/**
 * An in-memory SyncStore (plain Maps) for fast engine tests, with the Postgres store's semantics:
 * one link per (sync, leftId) and per (sync, rightId), a commit applies all or nothing.
 */
import { randomUUID } from 'node:crypto';
import type { JobTicket } from '../../../connectors/sdk/contract';
import type { Side } from '../definition';
import type {
  Conflict,
  ConflictResolution,
  FailedRecord,
  LedgerEvent,
  LedgerMember,
  PageCommit,
  RecordEvent,
  RecordLink,
  RunCounters,
  RunRecord,
  RunEnd,
  RunTrigger,
  SyncCursor,
  SyncStore,
  WriteIntent,
} from '../ports';
import { addCounters, emptyCounters } from '../ports';

export class DuplicateLinkError extends Error {
  override readonly name = 'DuplicateLinkError';
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

interface SyncState {
  byLeft: Map<string, RecordLink>;
  byRight: Map<string, RecordLink>;
  cursors: Map<Side, SyncCursor>;
  failed: Map<string, FailedRecord>;
  /** The events ledger, by key. */
  ledger: Map<string, LedgerEvent>;
  /** The audience ledger, by audience then key. */
  members: Map<string, Map<string, LedgerMember>>;
}

/** Due for another try: not yet answered, or refused for now and its time has come. */
function due(entry: { nextAttemptAt: string | null }, at: number): boolean {
  return entry.nextAttemptAt === null || Date.parse(entry.nextAttemptAt) <= at;
}

function summed(total: RunCounters, delta: RunCounters): RunCounters {
  const sum = emptyCounters();
  addCounters(sum, total);
  addCounters(sum, delta);
  return sum;
}

export class MemorySyncStore implements SyncStore {
  private readonly syncs = new Map<string, SyncState>();
  readonly events: RecordEvent[] = [];
  readonly conflicts = new Map<string, Conflict>();
  readonly runs = new Map<string, RunRecord>();
  /** Open write intents, in the order they were recorded. */
  readonly intents = new Map<string, WriteIntent>();
  /** Totals the page commits added, per run (what finishRun should agree with). */
  readonly committed = new Map<string, RunCounters>();
  commits = 0;

  private state(syncId: string): SyncState {
    let state = this.syncs.get(syncId);
    if (state === undefined) {
      state = {
        byLeft: new Map(),
        byRight: new Map(),
        cursors: new Map(),
        failed: new Map(),
        ledger: new Map(),
        members: new Map(),
      };
      this.syncs.set(syncId, state);
    }
    return state;
  }

  getCursor(syncId: string, side: Side): Promise<SyncCursor | null> {
    const cursor = this.state(syncId).cursors.get(side);
    return Promise.resolve(cursor === undefined ? null : clone(cursor));
  }

  findLinks(syncId: string, side: Side, ids: string[]): Promise<RecordLink[]> {
    const index = side === 'left' ? this.state(syncId).byLeft : this.state(syncId).byRight;
    const found: RecordLink[] = [];
    for (const id of new Set(ids)) {
      const link = index.get(id);
      if (link !== undefined) found.push(clone(link));
    }
    return Promise.resolve(found);
  }

  linksAfter(
    syncId: string,
    side: Side,
    afterId: string | null,
    limit: number,
  ): Promise<RecordLink[]> {
    const index = side === 'left' ? this.state(syncId).byLeft : this.state(syncId).byRight;
    const ids = [...index.keys()]
      .filter((id) => afterId === null || id > afterId)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, limit);
    return Promise.resolve(ids.map((id) => clone(index.get(id) as RecordLink)));
  }

  commitPage(commit: PageCommit): Promise<void> {
    const state = this.state(commit.syncId);
    // Check on copies first, so a rejected commit changes nothing (one transaction).
    const byLeft = new Map(state.byLeft);
    const byRight = new Map(state.byRight);
    for (const { side, id } of commit.removeLinks) {
      const link = (side === 'left' ? byLeft : byRight).get(id);
      if (link === undefined) continue;
      byLeft.delete(link.leftId);
      byRight.delete(link.rightId);
    }
    for (const link of commit.upsertLinks) {
      const sameLeft = byLeft.get(link.leftId);
      const sameRight = byRight.get(link.rightId);
      if (
        (sameLeft !== undefined && sameLeft.rightId !== link.rightId) ||
        (sameRight !== undefined && sameRight.leftId !== link.leftId)
      ) {
        return Promise.reject(
          new DuplicateLinkError(
            `sync ${commit.syncId}: link ${link.leftId}↔${link.rightId} collides with an existing link`,
          ),
        );
      }
      const copy = clone(link);
      byLeft.set(link.leftId, copy);
      byRight.set(link.rightId, copy);
    }
    state.byLeft = byLeft;
    state.byRight = byRight;
    for (const event of commit.events) this.events.push(clone(event));
    for (const { side, recordId } of commit.clearFailed) state.failed.delete(`${side}:${recordId}`);
    for (const failed of commit.upsertFailed)
      state.failed.set(`${failed.side}:${failed.recordId}`, clone(failed));
    for (const conflict of commit.openConflicts) this.conflicts.set(conflict.id, clone(conflict));
    for (const id of commit.appliedConflicts) {
      const conflict = this.conflicts.get(id);
      if (conflict !== undefined) conflict.status = 'applied';
    }
    for (const reopened of commit.reopenedConflicts ?? []) {
      const conflict = this.conflicts.get(reopened.id);
      if (conflict === undefined) continue;
      Object.assign(conflict, clone(reopened), { status: 'open', resolution: null });
    }
    for (const id of commit.closeIntents ?? []) this.intents.delete(id);
    for (const event of commit.settleEvents ?? []) state.ledger.set(event.key, clone(event));
    for (const member of commit.settleMembers ?? [])
      this.audience(state, member.audience).set(member.key, clone(member));
    for (const [side, cursor] of Object.entries(commit.cursors) as Array<
      [Side, SyncCursor | undefined]
    >) {
      if (cursor !== undefined) state.cursors.set(side, clone(cursor));
    }
    const committed = summed(this.committed.get(commit.runId) ?? emptyCounters(), commit.counters);
    this.committed.set(commit.runId, committed);
    // As the database's page commit does: the run's row holds the totals so far.
    const run = this.runs.get(commit.runId);
    if (run !== undefined) run.counters = clone(committed);
    this.commits++;
    return Promise.resolve();
  }

  findFailedRecords(syncId: string, side: Side, ids: string[]): Promise<FailedRecord[]> {
    const failed = this.state(syncId).failed;
    const found: FailedRecord[] = [];
    for (const id of new Set(ids)) {
      const record = failed.get(`${side}:${id}`);
      if (record !== undefined) found.push(clone(record));
    }
    return Promise.resolve(found);
  }

  dueFailedRecords(syncId: string, now: string, limit: number): Promise<FailedRecord[]> {
    const at = Date.parse(now);
    const due = [...this.state(syncId).failed.values()]
      .filter((record) => !record.dead && Date.parse(record.nextAttemptAt) <= at)
      .sort(
        (a, b) =>
          Date.parse(a.nextAttemptAt) - Date.parse(b.nextAttemptAt) ||
          Date.parse(a.firstFailedAt) - Date.parse(b.firstFailedAt),
      )
      .slice(0, limit);
    return Promise.resolve(due.map(clone));
  }

  resolvedConflicts(syncId: string): Promise<Conflict[]> {
    return Promise.resolve(
      [...this.conflicts.values()]
        .filter((conflict) => conflict.syncId === syncId && conflict.status === 'resolved')
        .map(clone),
    );
  }

  recordWriteIntents(intents: WriteIntent[]): Promise<void> {
    for (const intent of intents) this.intents.set(intent.id, clone(intent));
    return Promise.resolve();
  }

  recordIntentJob(intentId: string, job: JobTicket): Promise<void> {
    const intent = this.intents.get(intentId);
    if (intent !== undefined) intent.job = clone(job);
    return Promise.resolve();
  }

  openWriteIntents(syncId: string, limit: number): Promise<WriteIntent[]> {
    return Promise.resolve(
      [...this.intents.values()]
        .filter((intent) => intent.syncId === syncId)
        .slice(0, limit)
        .map(clone),
    );
  }

  private audience(state: SyncState, audience: string): Map<string, LedgerMember> {
    let members = state.members.get(audience);
    if (members === undefined) {
      members = new Map();
      state.members.set(audience, members);
    }
    return members;
  }

  findLedgerEvents(syncId: string, keys: string[]): Promise<LedgerEvent[]> {
    const ledger = this.state(syncId).ledger;
    const found = [...new Set(keys)].flatMap((key) => {
      const event = ledger.get(key);
      return event === undefined ? [] : [clone(event)];
    });
    return Promise.resolve(found);
  }

  dueLedgerEvents(syncId: string, now: string, limit: number): Promise<LedgerEvent[]> {
    const at = Date.parse(now);
    const found = [...this.state(syncId).ledger.values()]
      .filter(
        (event) =>
          event.payload !== null &&
          (event.status === 'pending' || (event.status === 'failed' && due(event, at))),
      )
      .slice(0, limit);
    return Promise.resolve(found.map(clone));
  }

  recordPendingEvents(events: LedgerEvent[]): Promise<void> {
    for (const event of events) this.state(event.syncId).ledger.set(event.key, clone(event));
    return Promise.resolve();
  }

  findLedgerMembers(syncId: string, audience: string, keys: string[]): Promise<LedgerMember[]> {
    const members = this.audience(this.state(syncId), audience);
    const found = [...new Set(keys)].flatMap((key) => {
      const member = members.get(key);
      return member === undefined ? [] : [clone(member)];
    });
    return Promise.resolve(found);
  }

  dueLedgerMembers(
    syncId: string,
    audience: string,
    now: string,
    limit: number,
  ): Promise<LedgerMember[]> {
    const at = Date.parse(now);
    const found = [...this.audience(this.state(syncId), audience).values()]
      .filter(
        (member) =>
          (member.state === 'pending_add' || member.state === 'pending_remove') && due(member, at),
      )
      // As the database orders them: oldest change first, then by key.
      .sort((a, b) =>
        a.updatedAt === b.updatedAt
          ? a.key.localeCompare(b.key)
          : a.updatedAt.localeCompare(b.updatedAt),
      )
      .slice(0, limit);
    return Promise.resolve(found.map(clone));
  }

  ledgerMembersIn(
    syncId: string,
    audience: string,
    afterKey: string | null,
    limit: number,
  ): Promise<LedgerMember[]> {
    const found = [...this.audience(this.state(syncId), audience).values()]
      .filter(
        (member) =>
          ['member', 'pending_add', 'pending_remove'].includes(member.state) &&
          (afterKey === null || member.key > afterKey),
      )
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .slice(0, limit);
    return Promise.resolve(found.map(clone));
  }

  recordPendingMembers(members: LedgerMember[]): Promise<void> {
    for (const member of members)
      this.audience(this.state(member.syncId), member.audience).set(member.key, clone(member));
    return Promise.resolve();
  }

  startRun(syncId: string, trigger: RunTrigger, startedAt: string): Promise<RunRecord> {
    const run: RunRecord = {
      id: randomUUID(),
      syncId,
      trigger,
      status: 'running',
      counters: emptyCounters(),
      startedAt,
      finishedAt: null,
      error: null,
    };
    this.runs.set(run.id, run);
    return Promise.resolve(clone(run));
  }

  finishRun(runId: string, result: RunEnd): Promise<void> {
    const run = this.runs.get(runId);
    if (run !== undefined) Object.assign(run, clone(result));
    return Promise.resolve();
  }

  // What the API and the console do; here for tests.

  /** All links of a sync. */
  links(syncId: string): RecordLink[] {
    return [...this.state(syncId).byLeft.values()].map(clone);
  }

  failedRecords(syncId: string): FailedRecord[] {
    return [...this.state(syncId).failed.values()].map(clone);
  }

  /** The events ledger of a sync. */
  ledgerEvents(syncId: string): LedgerEvent[] {
    return [...this.state(syncId).ledger.values()].map(clone);
  }

  /** The audience ledger of a sync. */
  ledgerMembers(syncId: string, audience: string): LedgerMember[] {
    return [...this.audience(this.state(syncId), audience).values()].map(clone);
  }

  cursor(syncId: string, side: Side): SyncCursor | undefined {
    return this.state(syncId).cursors.get(side);
  }

  openConflicts(syncId: string): Conflict[] {
    return [...this.conflicts.values()]
      .filter((conflict) => conflict.syncId === syncId && conflict.status === 'open')
      .map(clone);
  }

  /** A person resolves a conflict in the console. */
  resolveConflict(id: string, resolution: ConflictResolution): void {
    const conflict = this.conflicts.get(id);
    if (conflict === undefined) throw new Error(`no conflict ${id}`);
    conflict.status = 'resolved';
    conflict.resolution = clone(resolution);
  }

  /** Makes queued failed records due now (an admin's "retry now"). */
  retryNow(syncId: string, now: string): void {
    for (const record of this.state(syncId).failed.values())
      if (!record.dead) record.nextAttemptAt = now;
  }
}
