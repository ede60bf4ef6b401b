/**
 * Deletes (DESIGN.md step 9): only deletes the vendor reported through readDeleted (never inferred
 * from a record missing in a partial read), under the sync's delete policy.
 */
import type { Side } from './definition';
import { otherSide } from './definition';
import { type RunContext, nowIso, throwIfCancelled } from './context';
import { advanceDeletes, deletesStart, overlapOfSide, readTraitsOf } from './cursor';
import { type PageOptions, commit, loadFailures } from './page';
import type { FailedRecord, RecordLink, SyncCursor } from './ports';
import { CommitBuilder } from './record';
import { type PendingWrite, executeWrites } from './write';

function idsOf(side: Side, id: string, otherId: string): { leftId: string; rightId: string } {
  return side === 'left' ? { leftId: id, rightId: otherId } : { leftId: otherId, rightId: id };
}

/**
 * Applies the delete policy to records deleted on `side`. A record `merges` names was merged into
 * a survivor there (the person lives on): its partner is re-linked to the survivor, and never
 * deleted for it. When the survivor already has a partner, the merged record's partner is a
 * duplicate of it on the other side, and the policy applies to that duplicate as to a delete
 * (propagate: deleted, as the vendor deleted the merged record; unlink: unlinked).
 */
export async function applyDeletes(
  context: RunContext,
  side: Side,
  ids: readonly string[],
  options: Pick<PageOptions, 'cursors' | 'knownFailures'> & {
    merges?: ReadonlyMap<string, string>;
    /** What the sync log says of these deletes (default: deleted on `side`). */
    reason?: string;
  } = {},
): Promise<void> {
  const { sync } = context;
  const { definition } = sync;
  const other = otherSide(side);
  const merges = options.merges ?? new Map<string, string>();
  const reason = options.reason ?? `deleted on ${side}`;
  const found =
    ids.length === 0 ? [] : await context.store.findLinks(definition.id, side, [...ids]);
  const merged = found.filter((link) => merges.has(sideId(link, side)));
  const { relinks, duplicates } = await splitMerged(context, side, merged, merges);
  const links = found.filter((link) => !relinks.some((relink) => relink.link === link));
  const reasonOf = (id: string): string => duplicates.get(id) ?? reason;
  const propagate =
    definition.deletePolicy === 'propagate' &&
    definition[other].writeMode !== 'create' &&
    sync.sourceSides.includes(side);
  const writes: Array<{ id: string; otherId: string; write: PendingWrite }> = [];
  const unlinks: Array<{ id: string; otherId: string }> = [];
  for (const link of links) {
    const id = sideId(link, side);
    const otherId = sideId(link, other);
    if (definition.deletePolicy === 'ignore') continue;
    if (propagate)
      writes.push({
        id,
        otherId,
        write: { side: other, mode: 'delete', operation: { id: otherId, fields: {} } },
      });
    else unlinks.push({ id, otherId });
  }
  if (writes.length > 0) {
    await executeWrites(
      context.connectors,
      context.objects,
      writes.map((entry) => entry.write),
      context.signal,
    );
  }
  const failedIds = writes.filter(
    (entry) =>
      entry.write.result?.status === 'failed' && entry.write.result.error.code !== 'not_found',
  );
  const previousFailures =
    failedIds.length > 0
      ? await loadFailures(
          context,
          failedIds.map((entry) => ({ side, recordId: entry.id })),
          options.knownFailures,
        )
      : new Map<string, FailedRecord>();
  const builder = new CommitBuilder({
    sync,
    runId: context.runId,
    now: nowIso(context),
    previousFailures,
  });
  relinkMerged(side, relinks, builder);
  for (const { id, otherId } of unlinks) {
    builder.removeLink(side, id);
    builder.event(side, idsOf(side, id, otherId), 'unlinked', [], null, reasonOf(id));
    builder.succeed(side, id);
  }
  for (const { id, otherId, write } of writes) {
    const result = write.result;
    if (result?.status === 'failed' && result.error.code !== 'not_found') {
      builder.event(other, idsOf(side, id, otherId), 'failed', [], result.error);
      builder.fail(side, id, result.error.code, result.error.message, 'delete');
      continue;
    }
    builder.removeLink(side, id);
    builder.counters.deleted++;
    builder.event(other, idsOf(side, id, otherId), 'deleted', [], null, reasonOf(id));
    builder.succeed(side, id);
    builder.succeed(other, otherId);
  }
  // Reported deletes without a link (or under `ignore`) are settled: a queued retry ends here.
  const linked = new Set(links.map((link) => sideId(link, side)));
  for (const id of ids)
    if (!linked.has(id) || definition.deletePolicy === 'ignore') builder.succeed(side, id);
  await commit(context, builder.build({ cursors: options.cursors ?? {} }));
}

/**
 * The merged records whose partner moves to an unlinked survivor (one per survivor), and those whose
 * survivor already has a partner, with what the sync log says of them.
 */
async function splitMerged(
  context: RunContext,
  side: Side,
  merged: readonly RecordLink[],
  merges: ReadonlyMap<string, string>,
): Promise<{
  relinks: Array<{ link: RecordLink; survivor: string }>;
  duplicates: Map<string, string>;
}> {
  const relinks: Array<{ link: RecordLink; survivor: string }> = [];
  const duplicates = new Map<string, string>();
  if (merged.length === 0) return { relinks, duplicates };
  const survivors = [...new Set(merged.map((link) => merges.get(sideId(link, side)) ?? ''))];
  const partners = new Map(
    (await context.store.findLinks(context.sync.definition.id, side, survivors)).map((link) => [
      sideId(link, side),
      sideId(link, otherSide(side)),
    ]),
  );
  for (const link of merged) {
    const id = sideId(link, side);
    const survivor = merges.get(id) ?? id;
    const partner = partners.get(survivor);
    if (partner === undefined) {
      partners.set(survivor, sideId(link, otherSide(side)));
      relinks.push({ link, survivor });
    } else
      duplicates.set(
        id,
        `${id} was merged into ${survivor} on ${side}, which is linked to ${partner}`,
      );
  }
  return { relinks, duplicates };
}

/** Moves the links of records merged away on `side` to their survivors (see applyDeletes). */
function relinkMerged(
  side: Side,
  relinks: ReadonlyArray<{ link: RecordLink; survivor: string }>,
  builder: CommitBuilder,
): void {
  for (const { link, survivor } of relinks) {
    const id = sideId(link, side);
    const otherId = sideId(link, otherSide(side));
    builder.removeLink(side, id);
    builder.addLink(
      side === 'left'
        ? { ...link, leftId: survivor, leftUpdatedAt: null }
        : { ...link, rightId: survivor, rightUpdatedAt: null },
    );
    builder.event(
      side,
      idsOf(side, survivor, otherId),
      'linked',
      [],
      null,
      `${id} was merged into ${survivor} on ${side}; ${otherId} is now linked to ${survivor}`,
    );
  }
}

/** The link's record id on `side`. */
export function sideId(link: RecordLink, side: Side): string {
  return side === 'left' ? link.leftId : link.rightId;
}

/** Reads the deletes `side` reports since its cursor and applies them, page by page. */
export async function readDeletes(
  context: RunContext,
  side: Side,
  cursor: SyncCursor,
): Promise<SyncCursor> {
  const connector = context.connectors[side];
  if (context.sync.definition.deletePolicy === 'ignore' || connector.readDeleted === undefined)
    return cursor;
  const since = deletesStart(cursor, overlapOfSide(context, side));
  // Once every delete up to now was read, the next read starts here (less the vendor's lag), not
  // at the last delete found: a vendor whose deletes are read from an activity stream (Marketo)
  // would otherwise scan everything since that delete at every run.
  const readStartedAt = Date.parse(nowIso(context));
  const lagMs = readTraitsOf(connector, context.objects[side]).lagMs ?? 0;
  const readUpTo = new Date(readStartedAt - lagMs).toISOString();
  // Before the side's first read nothing is linked: earlier deletes concern no record of the sync.
  const neverRead =
    (cursor.deletedSince ?? null) === null && cursor.since === null && cursor.checkpoint === null;
  if (neverRead) return { ...cursor, deletedSince: readUpTo };
  let state = cursor;
  // Once the vendor says deletes are missing, the cursor stays put: every run warns again (and
  // reads what is still there) until a full refresh reconciles.
  let missing = false;
  const pages = connector.readDeleted({
    object: context.objects[side],
    ...(since === undefined ? {} : { since }),
  });
  for await (const page of pages) {
    throwIfCancelled(context.signal);
    // The overlap reaches back before the cursor: only deletes after the cursor were never read.
    const known = cursor.deletedSince ?? null;
    if (
      page.missing !== undefined &&
      known !== null &&
      Date.parse(known) < Date.parse(page.missing.before)
    ) {
      missing = true;
      context.warnings.push(
        `Deletes on ${side} (${context.objects[side]}) between ${known} and ${page.missing.before} may be lost: ${page.missing.reason}. A full refresh (POST /api/v1/syncs/${context.sync.definition.id}/runs with {"fullRefresh": true}) finds the records that are gone.`,
      );
    }
    if (!missing)
      state = advanceDeletes(
        state,
        page.records.map((record) => record.deletedAt),
      );
    const merges = new Map<string, string>();
    for (const record of page.records)
      if (record.mergedInto !== undefined) merges.set(record.id, record.mergedInto);
    await applyDeletes(
      context,
      side,
      page.records.map((record) => record.id),
      { cursors: missing ? {} : { [side]: state }, merges },
    );
  }
  if (missing) return cursor;
  const known = state.deletedSince ?? null;
  return known !== null && Date.parse(known) >= Date.parse(readUpTo)
    ? state
    : { ...state, deletedSince: readUpTo };
}
