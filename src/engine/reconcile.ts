/**
 * Reconciling open write intents (see intents.ts) at the start of a run: what reached the vendor
 * is recorded as Syncline's own write (link, snapshot, a sync log line under the run that sent
 * it), the rest is dropped. Costs vendor calls only for intents left open, never in the normal path.
 */
import type { ConnectorRecord, FieldValue } from '../../connectors/sdk/contract';
import { finishJob } from '../../connectors/sdk/jobs';
import { type Side, otherSide } from './definition';
import { type CompiledSync, fieldOn } from './compile';
import { type RunContext, nowIso, throwIfCancelled } from './context';
import { lookupValues, normalizeKey } from './normalizers';
import { commit } from './page';
import type { IntendedWrite, RecordLink, WriteIntent } from './ports';
import { CommitBuilder } from './record';
import { fieldOf, hasField, isBlank, valuesEqual } from './values';

/** Intents reconciled per commit; each holds at most one vendor batch of writes. */
const INTENTS_PER_ROUND = 20;
/** Enough rounds for any backlog; each round closes the intents it read. */
const MAX_ROUNDS = 1000;

/** A link being rebuilt from intents, keyed by leftId. */
interface LinkDraft {
  link: RecordLink;
  changed: boolean;
}

class Reconciliation {
  /** Links touched by this round, by each side's id. */
  private readonly drafts: Record<Side, Map<string, LinkDraft>> = {
    left: new Map(),
    right: new Map(),
  };

  constructor(
    private readonly context: RunContext,
    private readonly builder: CommitBuilder,
  ) {}

  private get sync(): CompiledSync {
    return this.context.sync;
  }

  async run(intents: readonly WriteIntent[]): Promise<void> {
    for (const side of ['left', 'right'] as const) {
      const mine = intents.filter((intent) => intent.side === side);
      if (mine.length === 0) continue;
      await this.loadLinks(side, mine);
      await this.updates(
        side,
        mine.filter((intent) => intent.mode === 'update'),
      );
      await this.creates(
        side,
        mine.filter((intent) => intent.mode !== 'update'),
      );
    }
    for (const draft of this.drafts.left.values())
      if (draft.changed) this.builder.addLink(draft.link);
  }

  private keep(link: RecordLink): LinkDraft {
    const known = this.drafts.left.get(link.leftId);
    if (known !== undefined) return known;
    const draft: LinkDraft = { link: structuredClone(link), changed: false };
    this.drafts.left.set(link.leftId, draft);
    this.drafts.right.set(link.rightId, draft);
    return draft;
  }

  private async loadLinksOf(side: Side, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    for (const link of await this.context.store.findLinks(this.sync.definition.id, side, [...ids]))
      this.keep(link);
  }

  private async loadLinks(side: Side, intents: readonly WriteIntent[]): Promise<void> {
    const other = otherSide(side);
    const ids: Record<Side, string[]> = { left: [], right: [] };
    for (const intent of intents)
      for (const write of intent.writes) {
        ids[other].push(write.sourceId);
        if (write.targetId !== null) ids[side].push(write.targetId);
      }
    await this.loadLinksOf(side, ids[side]);
    await this.loadLinksOf(other, ids[other]);
  }

  private draftOf(side: Side, id: string): LinkDraft | undefined {
    return this.drafts[side].get(id);
  }

  /**
   * The snapshot of `draft` takes the fields of `write` that `record` holds now: the target side
   * what the vendor stores, the source side the values they were written from.
   */
  private absorb(
    draft: LinkDraft,
    side: Side,
    write: IntendedWrite,
    record: ConnectorRecord,
  ): string[] {
    const other = otherSide(side);
    const applied: string[] = [];
    for (const mapping of this.sync.mappings) {
      const targetField = fieldOn(mapping, side);
      if (!hasField(write.fields, targetField)) continue;
      const current = fieldOf(record.fields, targetField);
      if (!valuesEqual(current, write.fields[targetField])) continue;
      applied.push(targetField);
      draft.link.snapshot[side][targetField] = current;
      const sourceField = fieldOn(mapping, other);
      if (hasField(write.sourceFields, sourceField))
        draft.link.snapshot[other][sourceField] = write.sourceFields[sourceField];
    }
    if (applied.length > 0) {
      draft.changed = true;
      if (side === 'left') draft.link.leftUpdatedAt = record.updatedAt;
      else draft.link.rightUpdatedAt = record.updatedAt;
    }
    return applied;
  }

  private report(
    intent: WriteIntent,
    write: IntendedWrite,
    targetId: string,
    action: 'created' | 'updated' | 'linked',
    fields: string[],
  ): void {
    const side = intent.side;
    const ids =
      side === 'left'
        ? { leftId: targetId, rightId: write.sourceId }
        : { leftId: write.sourceId, rightId: targetId };
    const by = intent.job == null ? '' : ` (vendor job ${intent.job.id}, waited for to its end)`;
    const message =
      intent.runId === this.context.runId
        ? `written before this run was taken over${by}; its page had not committed`
        : `written by run ${intent.runId}${by}, whose page never committed; confirmed by run ${this.context.runId}`;
    this.builder.eventOfRun(intent.runId, side, ids, action, fields, message);
    // Its change reached the other side: a failed record queued for it is settled, if every
    // field of the write went through.
    if (fields.length === Object.keys(write.fields).length)
      this.builder.succeed(otherSide(side), write.sourceId);
  }

  private async updates(side: Side, intents: readonly WriteIntent[]): Promise<void> {
    const targets = [
      ...new Set(
        intents.flatMap((intent) =>
          intent.writes.map((write) => write.targetId).filter((id): id is string => id !== null),
        ),
      ),
    ];
    if (targets.length === 0) return;
    const current = new Map<string, ConnectorRecord>();
    for (const record of await this.context.connectors[side].get(
      this.context.objects[side],
      targets,
      this.sync.readFields[side],
    ))
      current.set(record.id, record);
    const other = otherSide(side);
    for (const intent of intents)
      for (const write of intent.writes) {
        const record = write.targetId === null ? undefined : current.get(write.targetId);
        if (record === undefined) continue;
        const draft = this.pairDraft(side, record.id, other, write.sourceId);
        if (draft === undefined) continue;
        const applied = this.absorb(draft, side, write, record);
        if (applied.length === 0) continue;
        this.builder.counters.updated++;
        this.report(intent, write, record.id, 'updated', applied);
      }
  }

  /**
   * The link of the pair (sideId, otherId): the existing one, or a new one without a base (a
   * pair matched by the page that never committed). Undefined when either record is linked to
   * another.
   */
  private pairDraft(
    side: Side,
    sideId: string,
    other: Side,
    otherId: string,
  ): LinkDraft | undefined {
    const bySide = this.draftOf(side, sideId);
    const byOther = this.draftOf(other, otherId);
    if (bySide !== undefined || byOther !== undefined)
      return bySide === byOther ? bySide : undefined;
    return this.keep({
      leftId: side === 'left' ? sideId : otherId,
      rightId: side === 'left' ? otherId : sideId,
      snapshot: { left: {}, right: {} },
      leftUpdatedAt: null,
      rightUpdatedAt: null,
    });
  }

  private async creates(side: Side, intents: readonly WriteIntent[]): Promise<void> {
    const { match } = this.sync.definition;
    const other = otherSide(side);
    for (const intent of intents) {
      const matchField = intent.matchField ?? match[side];
      const keyOf = (value: FieldValue): string | null => normalizeKey(value, match.normalizer);
      const values = new Set<string>();
      for (const write of intent.writes)
        for (const value of lookupValues(fieldOf(write.fields, matchField), match.normalizer))
          values.add(value);
      if (values.size === 0) continue;
      const byKey = new Map<string, ConnectorRecord[]>();
      const found = await this.context.connectors[side].lookup({
        object: this.context.objects[side],
        field: matchField,
        values: [...values],
        fields: this.sync.readFields[side],
      });
      await this.loadLinksOf(
        side,
        found.map((record) => record.id),
      );
      for (const record of found) {
        const key = keyOf(fieldOf(record.fields, matchField));
        if (key === null) continue;
        const group = byKey.get(key) ?? [];
        if (!group.some((known) => known.id === record.id)) group.push(record);
        byKey.set(key, group);
      }
      for (const write of intent.writes) {
        const key = keyOf(fieldOf(write.fields, matchField));
        const candidates = key === null ? undefined : byKey.get(key);
        // None: the create never reached the vendor. Several: not ours to guess.
        if (candidates?.length !== 1) continue;
        const record = candidates[0];
        // A link of this very pair (a later read matched it) is kept; one to others is not ours.
        const draft = this.pairDraft(side, record.id, other, write.sourceId);
        if (draft === undefined) continue;
        const applied = this.absorb(draft, side, write, record);
        if (intent.mode === 'create') this.absentFields(draft, side, write);
        draft.changed = true;
        // An upsert is planned only where matching found no record: it created this one.
        this.builder.counters.created++;
        this.report(intent, write, record.id, 'created', applied);
      }
    }
  }

  /** A created record held nothing the create did not set: those fields' base is empty. */
  private absentFields(draft: LinkDraft, side: Side, write: IntendedWrite): void {
    const other = otherSide(side);
    for (const mapping of this.sync.mappings) {
      const targetField = fieldOn(mapping, side);
      const sourceField = fieldOn(mapping, other);
      if (hasField(write.fields, targetField) || !hasField(write.sourceFields, sourceField))
        continue;
      if (!isBlank(write.sourceFields[sourceField])) continue;
      draft.link.snapshot[side][targetField] = null;
      draft.link.snapshot[other][sourceField] = write.sourceFields[sourceField];
    }
  }
}

/**
 * Waits for the vendor jobs of open intents to end: until then the records do not show what the
 * job writes, and reconciling early would take the writes for lost and send them again.
 */
async function finishJobs(context: RunContext, intents: readonly WriteIntent[]): Promise<void> {
  for (const intent of intents) {
    if (intent.job == null) continue;
    const { poll, pollIntervalMs, maxWaitMs } = context.connectors[intent.side];
    // A connector that no longer runs jobs: the records say what reached the vendor.
    if (poll === undefined) continue;
    await finishJob({ poll, pollIntervalMs, maxWaitMs }, intent.job, context.clock, context.signal);
  }
}

/** Settles the intents no commit closed, oldest first, a round of them per commit. */
export async function reconcileIntents(context: RunContext): Promise<void> {
  const syncId = context.sync.definition.id;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    throwIfCancelled(context.signal);
    const intents = await context.store.openWriteIntents(syncId, INTENTS_PER_ROUND);
    if (intents.length === 0) return;
    const builder = new CommitBuilder({
      sync: context.sync,
      runId: context.runId,
      now: nowIso(context),
      previousFailures: new Map(),
    });
    await finishJobs(context, intents);
    await new Reconciliation(context, builder).run(intents);
    await commit(context, builder.build({ closeIntents: intents.map((intent) => intent.id) }));
  }
}
