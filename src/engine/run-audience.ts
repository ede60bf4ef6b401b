/**
 * An audience sync's run: the left records that pass the filter and have an identifier the
 * destination takes are the members of the right side's audience. The sync's audience ledger
 * (audience_members) holds what was pushed for each source record, with the hashes it was pushed
 * with, so a run asks only for the changes: people who entered the set are added, people who left
 * it, were deleted or lost every identifier are removed (with the identifiers they were added
 * with). A change asked for with no answer is asked for again by the next run. A sync whose
 * source is a list or tag (`left.audience`) reads it whole each run. The plan of each page is in
 * audience-plan.ts.
 */
import type { AudienceMember } from '../../connectors/sdk/contract';
import { ConnectorError } from '../../connectors/sdk/errors';
import { throwIfCancelled } from './context';
import {
  MAX_PAGES_PER_COMMIT,
  type OneWayPage,
  type PageSink,
  commitOneWay,
  emptyPage,
  nowOf,
  readSource,
  readSourceDeletes,
} from './one-way';
import {
  type AudienceContext,
  type Change,
  asMembers,
  inAudience,
  ledgerRow,
  recordAsked,
  settle,
  signature,
} from './audience-changes';
import { type RefreshState, applyInOrder, memberSink } from './audience-plan';
import { apply, collectJob, startJob } from './audience-jobs';

/** Records the source deleted leave the audience. */
async function removeDeleted(context: AudienceContext, ids: string[]): Promise<OneWayPage> {
  const page = emptyPage();
  const { definition } = context;
  const known = await context.store.findLedgerMembers(definition.id, definition.right.object, ids);
  await apply(
    context,
    known.filter(inAudience).map((member) => ({
      kind: 'remove' as const,
      member: ledgerRow(context, member.key, member.identifiers, member),
    })),
    page,
  );
  return page;
}

/** Changes asked for with no answer (a run that ended first), and refused ones now due. */
async function askAgain(context: AudienceContext): Promise<void> {
  const { definition } = context;
  // Changes put into a vendor job stay unanswered until it ends: asked once, they come last (asked
  // now) and are not asked again.
  const asked = new Set<string>();
  for (;;) {
    throwIfCancelled(context.signal);
    const due = await context.store.dueLedgerMembers(
      definition.id,
      definition.right.object,
      nowOf(context),
      context.pageSize,
    );
    const fresh = due.filter((member) => !asked.has(member.key));
    if (fresh.length === 0) return;
    for (const member of fresh) asked.add(member.key);
    const page = emptyPage();
    const changes = fresh.map((member) => ({
      kind: member.state === 'pending_add' ? ('add' as const) : ('remove' as const),
      member,
    }));
    await applyInOrder(context, changes, page);
    await commitOneWay(context, page);
    if (due.length < context.pageSize) return;
  }
}

/** Refuses an audience the destination does not have, or will not let Syncline change. */
export async function checkAudience(context: AudienceContext): Promise<void> {
  const id = context.definition.right.object;
  const audiences = await context.destination.audiences();
  const audience = audiences.find((candidate) => candidate.id === id);
  if (audience === undefined)
    throw new ConnectorError(
      'not_found',
      `${context.destination.kind} has no audience "${id}" (it has: ${audiences.map((a) => a.id).join(', ') || 'none'})`,
    );
  if (!audience.writable)
    throw new ConnectorError(
      'bad_request',
      `audience "${audience.name}" cannot be changed by Syncline: ${audience.reason ?? 'the destination says it is not writable'}`,
    );
}

/**
 * A destination's replace: afterwards the audience holds exactly `adds`. Recorded as asked for
 * first, settled by the answers, committed in batches of the destination's size.
 */
async function replaceAll(context: AudienceContext, adds: Change[]): Promise<void> {
  const { definition, destination } = context;
  if (destination.replaceMembers === undefined) return;
  const batch = destination.limits.maxBatch.members ?? context.pageSize;
  for (let start = 0; start < adds.length; start += batch)
    await recordAsked(context, adds.slice(start, start + batch));
  // A replace that fails as a whole ends the run: the adds stay pending, asked for again.
  const results = await destination.replaceMembers({
    audience: definition.right.object,
    members: asMembers(adds),
  });
  const answers = new Map(results.map((result) => [`add:${result.key}`, result]));
  for (let start = 0; start < adds.length; start += batch) {
    const page = emptyPage();
    settle(context, adds.slice(start, start + batch), answers, page);
    await commitOneWay(context, page);
  }
}

/** The audience's members as the vendor holds them, by signature, if it lists them. */
async function heldMembers(
  context: AudienceContext,
): Promise<Map<string, AudienceMember> | undefined> {
  const { destination } = context;
  if (destination.readMembers === undefined) return undefined;
  const held = new Map<string, AudienceMember>();
  for await (const page of destination.readMembers(context.definition.right.object)) {
    throwIfCancelled(context.signal);
    for (const member of page) held.set(signature(member.identifiers), member);
  }
  return held;
}

/**
 * The members of the source's list or tag, the whole set, page by page into `sink`; committed as
 * the sink fills (there is no cursor: the next run reads the whole list again).
 */
async function readListSource(
  context: AudienceContext,
  audience: string,
  sink: PageSink,
): Promise<void> {
  const { definition, source } = context;
  if (source.readAudience === undefined)
    throw new ConnectorError(
      'bad_request',
      `${source.kind} connections cannot read the members of a list or tag`,
    );
  let read = 0;
  let pages = 0;
  const flush = async (): Promise<void> => {
    const outcome = await sink.flush();
    outcome.counters.read += read;
    read = 0;
    pages = 0;
    await commitOneWay(context, outcome);
  };
  const reading = source.readAudience({
    object: definition.left.object,
    audience,
    fields: context.readFields,
    pageSize: context.pageSize,
  });
  for await (const records of reading) {
    throwIfCancelled(context.signal);
    await sink.add(records);
    read += records.length;
    pages++;
    if (sink.full() || pages >= MAX_PAGES_PER_COMMIT) await flush();
  }
  await flush();
}

/** Whom the ledger has in the audience but the read did not find wanted leave it, a batch at a time. */
async function removeUnwanted(
  context: AudienceContext,
  refresh: RefreshState,
  replaced: boolean,
): Promise<Set<string>> {
  const { definition, destination, store } = context;
  const batch = destination.limits.maxBatch.members ?? context.pageSize;
  const removed = new Set<string>();
  let after: string | null = null;
  // After a replace the destination holds exactly who belongs: the others only leave the ledger.
  for (;;) {
    throwIfCancelled(context.signal);
    const members = await store.ledgerMembersIn(
      definition.id,
      definition.right.object,
      after,
      batch,
    );
    if (members.length === 0) return removed;
    after = members.at(-1)?.key ?? null;
    const leaving = members.filter((member) => !refresh.wanted.has(member.key));
    for (const member of leaving) removed.add(signature(member.identifiers));
    const page = emptyPage();
    const changes = leaving.map((member) => ({
      kind: 'remove' as const,
      member: ledgerRow(context, member.key, member.identifiers, member),
    }));
    if (replaced)
      settle(
        context,
        changes,
        new Map(
          changes.map(({ member }) => [
            `remove:${member.key}`,
            { key: member.key, status: 'removed' as const },
          ]),
        ),
        page,
      );
    else await apply(context, changes, page);
    await commitOneWay(context, page);
  }
}

/** Anyone the vendor holds in the audience who does not belong leaves it. */
async function removeStrangers(
  context: AudienceContext,
  strangers: AudienceMember[],
): Promise<void> {
  const batch = context.destination.limits.maxBatch.members ?? context.pageSize;
  for (let start = 0; start < strangers.length; start += batch) {
    throwIfCancelled(context.signal);
    const page = emptyPage();
    await apply(
      context,
      strangers.slice(start, start + batch).map((member) => ({
        kind: 'remove' as const,
        member: ledgerRow(context, member.key, member.identifiers, undefined),
        reason: {
          code: 'not_in_source' as const,
          message: 'was in the audience at the destination, not in the set the source defines',
        },
      })),
      page,
    );
    await commitOneWay(context, page);
  }
}

/**
 * The whole set read, and the audience set to what it says: on a full refresh, or on every run of
 * a sync whose source is a list or tag (`left.audience`, which has no changes to read: whoever is
 * no longer in it must be seen missing). A full refresh asks again for the add of everyone who
 * belongs unless the vendor, where it lists its members, holds them already; a list source's run
 * trusts the ledger and asks only for changes. Then everyone the ledger has in the audience whom
 * the read did not find wanted (left the list, deleted without a report, filtered out while
 * Syncline was not looking) is removed, and, on a full refresh, so is anyone the vendor holds who
 * does not belong (added outside Syncline, or left behind).
 */
async function readWholeSet(context: AudienceContext, full: boolean): Promise<void> {
  const { destination } = context;
  const list = context.definition.left.audience;
  const replacing = full && destination.replaceMembers !== undefined;
  const held = full && !replacing ? await heldMembers(context) : undefined;
  const refresh: RefreshState = {
    wanted: new Set(),
    wantedSignatures: new Set(),
    trusted: !full,
    ...(held === undefined ? {} : { held }),
    ...(replacing ? { replace: new Map<string, Change>() } : {}),
  };
  const sink = memberSink(context, refresh);
  if (list === undefined) await readSource(context, sink, { fromStart: true });
  else await readListSource(context, list, sink);
  if (refresh.replace !== undefined) {
    await replaceAll(context, [...refresh.replace.values()]);
    refresh.replace.clear();
  }
  const removed = await removeUnwanted(context, refresh, replacing);
  if (held === undefined) return;
  await removeStrangers(
    context,
    [...held.entries()]
      .filter(([sig]) => !refresh.wantedSignatures.has(sig) && !removed.has(sig))
      .map(([, member]) => member),
  );
}

/** One audience run: due changes first, then deletes, then the source's changes from its cursor. */
export async function executeAudience(
  context: AudienceContext,
  options: { fullRefresh?: boolean } = {},
): Promise<void> {
  await checkAudience(context);
  const jobs = context.destination.membershipJobs;
  if (jobs !== undefined && (await collectJob(context, jobs)) === 'wait') return;
  await askAgain(context);
  await executeChanges(context, options);
  if (jobs !== undefined) await startJob(context, jobs);
}

/** The run's changes: on a full refresh or from a list, the whole set; else from the cursor. */
async function executeChanges(
  context: AudienceContext,
  options: { fullRefresh?: boolean },
): Promise<void> {
  if (options.fullRefresh === true || context.definition.left.audience !== undefined) {
    await readWholeSet(context, options.fullRefresh === true);
    return;
  }
  await readSourceDeletes(context, (deleted) =>
    removeDeleted(
      context,
      deleted.map((record) => record.id),
    ),
  );
  await readSource(context, memberSink(context));
}
