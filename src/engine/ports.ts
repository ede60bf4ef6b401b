/**
 * The engine's persistence port: what the sync engine needs to remember between pages and runs.
 * Implemented in memory (src/engine/testing) and on Postgres through TypeORM (src/persistence).
 * The engine never imports TypeORM or Nest; it only sees this interface.
 */
import type { Checkpoint, FieldValue, Fields, JobTicket } from '../../connectors/sdk/contract';
import type { ErrorCode } from '../../connectors/sdk/errors';
import type { Side } from './definition';
import type {
  EventStatus,
  PreparedEvent,
  LedgerEvent,
  MemberState,
  MemberNote,
  LedgerMember,
} from './ledgers';
export { EVENT_STATUSES, MEMBER_STATES } from './ledgers';
export type { EventStatus, PreparedEvent, LedgerEvent, MemberState, MemberNote, LedgerMember };

/** The identity pair of one synced record, with the snapshot that is the base of the merge. */
export interface RecordLink {
  leftId: string;
  rightId: string;
  /**
   * The last values both sides agreed on, per mapped field, each in its own side's form and keyed
   * by that side's field name.
   */
  snapshot: { left: Fields; right: Fields };
  /** updatedAt of each side's record when the link was last committed (ISO). */
  leftUpdatedAt: string | null;
  rightUpdatedAt: string | null;
}

/** Where the last complete incremental read of one side ended. */
export interface SyncCursor {
  /** The highest updatedAt committed (ISO); the next read starts at this minus the overlap. */
  since: string | null;
  /** Id of the last committed record at `since` (tie-break of equal timestamps). */
  lastId: string | null;
  /** The connector's checkpoint of an unfinished read, to resume mid-stream. */
  checkpoint: Checkpoint | null;
  /** The highest deletedAt committed from readDeleted (ISO); absent or null: none read yet. */
  deletedSince?: string | null;
  /**
   * When the unfinished read that `checkpoint` resumes started (ISO). An unordered read moves
   * `since` to this (minus the lag) once it completes, never to the greatest stamp it saw.
   */
  readStartedAt?: string | null;
}

export const RUN_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'partial',
  'failed',
  'cancelled',
] as const;

export type RunStatus = (typeof RUN_STATUSES)[number];

export type RunTrigger = 'manual' | 'schedule' | 'webhook' | 'retry';

/**
 * What a run counts of its records, in order: the one list from which the run's counters, their
 * sums, their columns of sync_runs and the API's description of a run come.
 */
export const RECORD_COUNTERS = [
  'read',
  'created',
  'updated',
  'unchanged',
  'skipped',
  'deleted',
  'conflicts',
  'failed',
  // Events syncs: events the destination took, already had, refused as too old, or had no consent for.
  'sent',
  'duplicates',
  'too_old',
  'no_consent',
  // Audience syncs: members added to and removed from the audience.
  'added',
  'removed',
] as const;

export type RecordCounter = (typeof RECORD_COUNTERS)[number];

export type RunCounters = Record<RecordCounter, number> & {
  /** API calls made per side during the run. */
  apiCalls: { left: number; right: number };
};

/** What a sync log line says happened to a record. */
export const RECORD_ACTIONS = [
  'created',
  'updated',
  'deleted',
  'linked',
  'unlinked',
  'skipped',
  'conflict',
  'ambiguous_match',
  'failed',
  'sent',
  'duplicate',
  'too_old',
  'no_consent',
  'added',
  'removed',
  // Audience syncs: a vendor job of member changes started, still running, or collected.
  'job',
] as const;

export type RecordAction = (typeof RECORD_ACTIONS)[number];

/** One line of the sync log. */
export interface RecordEvent {
  runId: string;
  syncId: string;
  /** The side the action happened on (the target of a write). */
  side: Side;
  leftId: string | null;
  rightId: string | null;
  action: RecordAction;
  /** Fields written or in conflict, by the target side's field names. */
  fields: string[];
  errorCode: ErrorCode | null;
  message: string | null;
  /** ISO. */
  at: string;
  /**
   * The source record's match key as read, trimmed and lower-cased (its email), so the log finds
   * a record by it even when it was never linked; absent where the line is about no one read.
   */
  recordKey?: string | null;
  /** The values before and after of the fields it wrote (or tried to), by the target's names. */
  changes?: FieldChange[] | null;
}

/** One field a log line wrote: its value before (null for a create) and the value sent. */
export interface FieldChange {
  field: string;
  from: FieldValue;
  to: FieldValue;
}

/** A source record whose change could not be written; retried by later runs. */
export interface FailedRecord {
  syncId: string;
  /** The side the record was read from. */
  side: Side;
  recordId: string;
  attempts: number;
  /** ISO; when a later run may try again. */
  nextAttemptAt: string;
  errorCode: ErrorCode;
  message: string;
  /** After `maxAttempts`: kept and listed, no longer retried. */
  dead: boolean;
  /** What failed: writing the record's change (the default) or propagating its delete. */
  operation?: 'change' | 'delete';
  firstFailedAt: string;
  lastFailedAt: string;
}

export type ConflictResolution = { side: Side } | { value: FieldValue };

/** Both sides changed a `manual` field to different values. */
export interface Conflict {
  id: string;
  syncId: string;
  leftId: string;
  rightId: string;
  /** The mapping's field names. */
  leftField: string;
  rightField: string;
  leftValue: FieldValue;
  rightValue: FieldValue;
  status: 'open' | 'resolved' | 'applied';
  resolution: ConflictResolution | null;
  createdAt: string;
  /** Why the conflict is open again (a resolution that no longer fitted the values), if it is. */
  note?: string | null;
}

/**
 * A resolved conflict whose field changed after it was raised: it opens again with the values the
 * sides hold now, and the note says why (DESIGN.md: a resolution never overwrites a newer edit).
 */
export interface ReopenedConflict {
  id: string;
  leftValue: FieldValue;
  rightValue: FieldValue;
  note: string;
}

/** One write of an intent: what Syncline is about to send for one record. */
export interface IntendedWrite {
  /** The record whose values are written (on the other side). */
  sourceId: string;
  /** The record written to; null for a create or an upsert by key. */
  targetId: string | null;
  /** The values sent, by the target side's field names. */
  fields: Fields;
  /** The source's values of the same mappings when the write was planned, by its field names. */
  sourceFields: Fields;
}

/**
 * One batch of writes, recorded before it is sent and closed by the commit of its page. An intent
 * still open when a run starts belongs to a page that never committed (a killed worker, a lost
 * answer): the run reconciles it first, so Syncline's own write is never taken for an edit.
 */
export interface WriteIntent {
  id: string;
  syncId: string;
  runId: string;
  /** The side written. */
  side: Side;
  mode: 'create' | 'update' | 'upsert';
  /** The key of a create or upsert (the target's match field). */
  matchField: string | null;
  writes: IntendedWrite[];
  /** ISO. */
  at: string;
  /**
   * The vendor job the batch became, once started: a run that takes over waits for it to end
   * before reconciling, instead of taking the writes for lost and sending them again.
   */
  job?: JobTicket | null;
}

/** Everything one page changes, committed in one short transaction. */
export interface PageCommit {
  syncId: string;
  runId: string;
  /**
   * Links to insert or replace (by leftId and by rightId). Applied after `removeLinks`. A link
   * whose leftId or rightId belongs to another existing link is a duplicate: the commit fails.
   */
  upsertLinks: RecordLink[];
  /** Links to remove, by either id. */
  removeLinks: Array<{ side: Side; id: string }>;
  events: RecordEvent[];
  /** Failed records to insert or replace, by (side, recordId). */
  upsertFailed: FailedRecord[];
  /** Failed records that succeeded now, by (side, recordId). */
  clearFailed: Array<{ side: Side; recordId: string }>;
  /** New conflicts (ids assigned by the engine). */
  openConflicts: Conflict[];
  /** Resolved conflicts whose resolution was written by this page. */
  appliedConflicts: string[];
  /** Resolved conflicts that open again with new values. */
  reopenedConflicts?: ReopenedConflict[];
  /** Write intents this page settled (their outcome is in this commit). */
  closeIntents?: string[];
  /** Cursors that may advance past this page. */
  cursors: Partial<Record<Side, SyncCursor>>;
  /** Counters to add to the run's totals. */
  counters: RunCounters;
  /** Events whose outcome this page settled, by (syncId, key). */
  settleEvents?: LedgerEvent[];
  /** Audience members whose state this page settled, by (syncId, audience, key). */
  settleMembers?: LedgerMember[];
}

export interface RunRecord {
  id: string;
  syncId: string;
  trigger: RunTrigger;
  status: RunStatus;
  counters: RunCounters;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
}

export interface SyncStore {
  getCursor(syncId: string, side: Side): Promise<SyncCursor | null>;
  /** Links whose id on `side` is one of `ids`. */
  findLinks(syncId: string, side: Side, ids: string[]): Promise<RecordLink[]>;
  /** The sync's links in order of their id on `side`, the first `limit` after `afterId`. */
  linksAfter(
    syncId: string,
    side: Side,
    afterId: string | null,
    limit: number,
  ): Promise<RecordLink[]>;
  /** All of `commit` in one transaction. */
  commitPage(commit: PageCommit): Promise<void>;
  /** Failed records (dead or not) of `side` whose recordId is one of `ids`. */
  findFailedRecords(syncId: string, side: Side, ids: string[]): Promise<FailedRecord[]>;
  /** Failed records not dead whose next attempt is due at `now`, oldest first. */
  dueFailedRecords(syncId: string, now: string, limit: number): Promise<FailedRecord[]>;
  /** Conflicts resolved by a person and not yet applied. */
  resolvedConflicts(syncId: string): Promise<Conflict[]>;
  /**
   * Records the intents of batches before any of them is sent (durably: they must survive a
   * kill), in one write whatever their number.
   */
  recordWriteIntents(intents: WriteIntent[]): Promise<void>;
  /** Records the vendor job an open intent's batch became (durably, before waiting on it). */
  recordIntentJob(intentId: string, job: JobTicket): Promise<void>;
  /** Intents of the sync that no page commit has closed, oldest first. */
  openWriteIntents(syncId: string, limit: number): Promise<WriteIntent[]>;
  /** The ledger's events of the sync with these keys. */
  findLedgerEvents(syncId: string, keys: string[]): Promise<LedgerEvent[]>;
  /** Events pending (from a run that ended before their answer) or failed and due at `now`. */
  dueLedgerEvents(syncId: string, now: string, limit: number): Promise<LedgerEvent[]>;
  /** Events about to be sent (durably, before the send: it must survive a kill). */
  recordPendingEvents(events: LedgerEvent[]): Promise<void>;
  /** The ledger's members of the sync's audience with these keys. */
  findLedgerMembers(syncId: string, audience: string, keys: string[]): Promise<LedgerMember[]>;
  /** Members with a change asked for and not answered, or refused for now and due at `now`. */
  dueLedgerMembers(
    syncId: string,
    audience: string,
    now: string,
    limit: number,
  ): Promise<LedgerMember[]>;
  /** Member changes about to be asked for (durably, before the call). */
  recordPendingMembers(members: LedgerMember[]): Promise<void>;
  /** Members in the audience or asked to be (member, pending_*), by key after `afterKey`. */
  ledgerMembersIn(
    syncId: string,
    audience: string,
    afterKey: string | null,
    limit: number,
  ): Promise<LedgerMember[]>;
  startRun(syncId: string, trigger: RunTrigger, startedAt: string): Promise<RunRecord>;
  finishRun(runId: string, result: RunEnd): Promise<void>;
}

/** How a run ended, as the store keeps it. */
export interface RunEnd {
  status: RunStatus;
  counters: RunCounters;
  finishedAt: string;
  error: string | null;
  /** The code of the error that stopped a failed run (`budget_exhausted`…), when it had one. */
  errorCode?: ErrorCode | null;
}

/** Counters as `count` gives them (0 for each by default). */
export function countersOf(
  count: (counter: RecordCounter) => number = () => 0,
  apiCalls: { left: number; right: number } = { left: 0, right: 0 },
): RunCounters {
  const counters = Object.fromEntries(RECORD_COUNTERS.map((name) => [name, count(name)]));
  return { ...(counters as Record<RecordCounter, number>), apiCalls: { ...apiCalls } };
}

export function emptyCounters(): RunCounters {
  return countersOf();
}

/** Adds `delta` into `total`. */
export function addCounters(total: RunCounters, delta: RunCounters): void {
  for (const name of RECORD_COUNTERS) total[name] += delta[name];
  total.apiCalls.left += delta.apiCalls.left;
  total.apiCalls.right += delta.apiCalls.right;
}
