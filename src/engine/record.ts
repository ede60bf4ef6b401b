/**
 * Recording results (DESIGN.md step 7): turns a planned, written page into one PageCommit: links
 * and snapshots of what succeeded, record events, failed records, conflicts, counters.
 */
import { randomUUID } from 'node:crypto';
import type { ConnectorRecord, Fields } from '../../connectors/sdk/contract';
import type { ErrorCode } from '../../connectors/sdk/errors';
import { type Side, otherSide } from './definition';
import { type CompiledSync, fieldOn } from './compile';
import { failedKey, nextFailedRecord } from './failed';
import { type LinkSnapshot, type SideOutcome, nextSnapshot } from './merge';
import type { PlanItem } from './plan';
import { valueToText } from './values';
import { type Failure, outcomeOf, idsOf, changesOf, masked } from './record-outcomes';
import {
  type Conflict,
  type FailedRecord,
  type FieldChange,
  type PageCommit,
  type RecordAction,
  type RecordEvent,
  type RecordLink,
  type RunCounters,
  emptyCounters,
} from './ports';

export interface RecordContext {
  sync: CompiledSync;
  runId: string;
  /** ISO. */
  now: string;
  /** Failed records already queued for ids that failed again in this page, by failedKey. */
  previousFailures: ReadonlyMap<string, FailedRecord>;
}

export class CommitBuilder {
  readonly counters: RunCounters = emptyCounters();
  private readonly links: RecordLink[] = [];
  private readonly events: RecordEvent[] = [];
  private readonly failures: Failure[] = [];
  private readonly succeeded: Array<{ side: Side; recordId: string }> = [];
  private readonly conflicts: Conflict[] = [];
  private readonly removed: Array<{ side: Side; id: string }> = [];
  /** The match key of the record the item being added was read from, for its log lines. */
  private recordKey: string | null = null;

  /** The fields whose values the log never keeps, per side (mappings marked `sensitive`). */
  private readonly sensitive: Record<Side, ReadonlySet<string>>;

  constructor(private readonly context: RecordContext) {
    const marked = context.sync.definition.mappings.filter((mapping) => mapping.sensitive === true);
    this.sensitive = {
      left: new Set(marked.map((mapping) => mapping.left)),
      right: new Set(marked.map((mapping) => mapping.right)),
    };
  }

  /** The source record's match key as people know it: trimmed, lower case; null when empty. */
  private keyOf(item: PlanItem): string | null {
    const record =
      item.kind === 'pair' ? (item.source === 'left' ? item.left : item.right) : item.record;
    const field = fieldOn(this.context.sync.definition.match, item.source);
    const key = valueToText(record.fields[field] ?? null)
      .trim()
      .toLowerCase();
    return key === '' ? null : key;
  }

  event(
    side: Side,
    ids: { leftId: string | null; rightId: string | null },
    action: RecordAction,
    fields: string[],
    error: { code: ErrorCode; message: string } | null = null,
    message: string | null = null,
    changes: FieldChange[] | null = null,
  ): void {
    this.eventOfRun(this.context.runId, side, ids, action, fields, message, error, changes);
  }

  /** A sync log line of another run (a write of an interrupted run, confirmed by this one). */
  eventOfRun(
    runId: string,
    side: Side,
    ids: { leftId: string | null; rightId: string | null },
    action: RecordAction,
    fields: string[],
    message: string | null,
    error: { code: ErrorCode; message: string } | null = null,
    changes: FieldChange[] | null = null,
  ): void {
    this.events.push({
      runId,
      syncId: this.context.sync.definition.id,
      side,
      leftId: ids.leftId,
      rightId: ids.rightId,
      action,
      fields,
      errorCode: error?.code ?? null,
      message: error?.message ?? message,
      at: this.context.now,
      recordKey: this.recordKey,
      changes: changes === null ? null : masked(changes, this.sensitive[side]),
    });
  }

  fail(
    side: Side,
    recordId: string,
    code: ErrorCode,
    message: string,
    operation: 'change' | 'delete' = 'change',
  ): void {
    this.failures.push({ side, recordId, code, message, operation });
    this.counters.failed++;
  }

  succeed(side: Side, recordId: string): void {
    this.succeeded.push({ side, recordId });
  }

  addItem(item: PlanItem): void {
    this.recordKey = this.keyOf(item);
    try {
      this.addPlanned(item);
    } finally {
      this.recordKey = null;
    }
  }

  private addPlanned(item: PlanItem): void {
    switch (item.kind) {
      case 'unchanged':
        this.counters.unchanged++;
        this.succeed(item.source, item.record.id);
        return;
      case 'skipped':
        this.counters.skipped++;
        if (!item.quiet)
          this.event(
            item.source,
            idsOf(item.source, item.record.id, item.otherId),
            item.action,
            [],
            null,
            item.message,
          );
        // An ambiguous match is retried with backoff: the duplicate may be merged or deleted.
        if (item.action === 'ambiguous_match') {
          this.failures.push({
            side: item.source,
            recordId: item.record.id,
            code: 'duplicate',
            message: item.message,
            operation: 'change',
          });
        } else this.succeed(item.source, item.record.id);
        return;
      case 'invalid':
        this.event(item.source, idsOf(item.source, item.record.id, item.otherId), 'failed', [], {
          code: 'invalid_value',
          message: item.message,
        });
        this.fail(item.source, item.record.id, 'invalid_value', item.message);
        return;
      case 'create':
        this.addCreate(item);
        return;
      case 'pair':
        this.addPair(item);
        return;
      default: {
        const unreachable: never = item;
        return unreachable;
      }
    }
  }

  private addCreate(item: Extract<PlanItem, { kind: 'create' }>): void {
    const { source, record, target, write } = item;
    const result = write.result;
    const written = Object.keys(write.operation.fields);
    if (result === undefined) return;
    const changes = changesOf(write.operation.fields, null);
    if (result.status === 'failed') {
      this.event(
        target,
        idsOf(source, record.id, null),
        'failed',
        written,
        result.error,
        null,
        changes,
      );
      this.fail(source, record.id, result.error.code, result.error.message);
      return;
    }
    const created = result.status === 'created';
    if (created) this.counters.created++;
    else this.counters.updated++;
    const snapshot: LinkSnapshot = { left: {}, right: {} };
    const stored: Fields | undefined = result.record?.fields;
    for (const mapping of this.context.sync.mappings) {
      const sourceField = fieldOn(mapping, source);
      const targetField = fieldOn(mapping, target);
      snapshot[source][sourceField] = record.fields[sourceField] ?? null;
      if (stored !== undefined && Object.prototype.hasOwnProperty.call(stored, targetField))
        snapshot[target][targetField] = stored[targetField] ?? null;
      else if (Object.prototype.hasOwnProperty.call(write.operation.fields, targetField))
        snapshot[target][targetField] = write.operation.fields[targetField] ?? null;
      // A new record holds nothing we did not write; an existing one (upsert hit) is unknown: no base.
      else if (created) snapshot[target][targetField] = null;
    }
    const targetRecord: ConnectorRecord = result.record ?? {
      id: result.id,
      updatedAt: this.context.now,
      fields: {},
    };
    const ids = idsOf(source, record.id, result.id);
    this.links.push({
      leftId: ids.leftId as string,
      rightId: ids.rightId as string,
      snapshot,
      leftUpdatedAt: source === 'left' ? record.updatedAt : targetRecord.updatedAt,
      rightUpdatedAt: source === 'right' ? record.updatedAt : targetRecord.updatedAt,
    });
    // An upsert that hit an existing record: its values before are not known.
    this.event(target, ids, created ? 'created' : 'updated', written, null, null, changes);
    this.succeed(source, record.id);
  }

  private addPair(item: Extract<PlanItem, { kind: 'pair' }>): void {
    const { left, right, merge, link } = item;
    const ids = { leftId: left.id, rightId: right.id };
    const outcomes: Record<Side, SideOutcome> = {
      left: outcomeOf(item.writes.left?.result),
      right: outcomeOf(item.writes.right?.result),
    };
    const snapshot = nextSnapshot(link?.snapshot ?? null, merge.decisions, outcomes);
    const updatedAt: Record<Side, string> = { left: left.updatedAt, right: right.updatedAt };
    if (link === null) this.event(item.source, ids, 'linked', []);
    let wrote = false;
    for (const target of ['left', 'right'] as const) {
      const write = item.writes[target];
      const result = write?.result;
      const from = otherSide(target);
      const fromId = from === 'left' ? left.id : right.id;
      if (write === undefined || result === undefined) {
        this.succeed(from, fromId);
        continue;
      }
      wrote = true;
      const fields = Object.keys(write.operation.fields);
      const changes = changesOf(write.operation.fields, (target === 'left' ? left : right).fields);
      if (result.status === 'failed') {
        this.event(target, ids, 'failed', fields, result.error, null, changes);
        this.fail(from, fromId, result.error.code, result.error.message);
        continue;
      }
      this.counters.updated++;
      if (result.record !== undefined) updatedAt[target] = result.record.updatedAt;
      const notes = merge.decisions
        .filter((decision) => decision.write?.side === target && decision.note !== undefined)
        .map((decision) => decision.note);
      this.event(
        target,
        ids,
        'updated',
        fields,
        null,
        notes.length === 0 ? null : notes.join('; '),
        changes,
      );
      this.succeed(from, fromId);
    }
    for (const decision of merge.decisions)
      if (decision.held !== undefined)
        this.event(
          decision.held.side,
          ids,
          'skipped',
          [fieldOn(decision.mapping, decision.held.side)],
          null,
          decision.held.note,
        );
    for (const conflict of merge.conflicts) {
      this.counters.conflicts++;
      this.event(item.source, ids, 'conflict', [fieldOn(conflict.mapping, item.source)]);
      this.conflicts.push({
        id: randomUUID(),
        syncId: this.context.sync.definition.id,
        leftId: left.id,
        rightId: right.id,
        leftField: conflict.mapping.left,
        rightField: conflict.mapping.right,
        leftValue: conflict.leftValue,
        rightValue: conflict.rightValue,
        status: 'open',
        resolution: null,
        createdAt: this.context.now,
      });
    }
    if (!wrote && merge.conflicts.length === 0) this.counters.unchanged++;
    this.links.push({
      leftId: left.id,
      rightId: right.id,
      snapshot,
      leftUpdatedAt: updatedAt.left,
      rightUpdatedAt: updatedAt.right,
    });
  }

  /** Adds a link change made outside the item flow (conflict resolutions). */
  addLink(link: RecordLink): void {
    this.links.push(link);
  }

  removeLink(side: Side, id: string): void {
    this.removed.push({ side, id });
  }

  addConflict(conflict: Conflict): void {
    this.conflicts.push(conflict);
  }

  build(
    extra: Partial<
      Pick<PageCommit, 'appliedConflicts' | 'reopenedConflicts' | 'cursors' | 'closeIntents'>
    > = {},
  ): PageCommit {
    const { sync, now, maxAttempts } = {
      ...this.context,
      maxAttempts: this.context.sync.maxAttempts,
    };
    const upsertFailed = new Map<string, FailedRecord>();
    for (const failure of this.failures) {
      const key = failedKey(failure.side, failure.recordId);
      if (upsertFailed.has(key)) continue;
      upsertFailed.set(
        key,
        nextFailedRecord({
          syncId: sync.definition.id,
          side: failure.side,
          recordId: failure.recordId,
          errorCode: failure.code,
          message: failure.message,
          operation: failure.operation,
          now,
          maxAttempts,
          previous: this.context.previousFailures.get(key),
        }),
      );
    }
    const cleared = new Set<string>();
    const clearFailed: Array<{ side: Side; recordId: string }> = [];
    for (const success of this.succeeded) {
      const key = failedKey(success.side, success.recordId);
      if (upsertFailed.has(key) || cleared.has(key)) continue;
      cleared.add(key);
      clearFailed.push(success);
    }
    return {
      syncId: sync.definition.id,
      runId: this.context.runId,
      upsertLinks: this.links,
      removeLinks: this.removed,
      events: this.events,
      upsertFailed: [...upsertFailed.values()],
      clearFailed,
      openConflicts: this.conflicts,
      appliedConflicts: extra.appliedConflicts ?? [],
      reopenedConflicts: extra.reopenedConflicts ?? [],
      closeIntents: extra.closeIntents ?? [],
      cursors: extra.cursors ?? {},
      counters: this.counters,
    };
  }
}
