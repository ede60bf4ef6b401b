/**
 * An audience sync's run: the left records that pass the filter and have an identifier the
 * destination takes are the members of the right side's audience. The sync's audience ledger
 * (audience_members) holds what was pushed for each source record, with the hashes it was pushed
 * with, so a run asks only for the changes: people who entered the set are added, people who left
 * it, were deleted or lost every identifier are removed (with the identifiers they were added
 * with). A change asked for with no answer is asked for again by the next run.
 */
import type { AudienceMember, ConnectorRecord } from '../../connectors/sdk/contract';
import { ConnectorError } from '../../connectors/sdk/errors';
import { throwIfCancelled } from './context';
import { passesFilter } from './filters';
import {
  type OneWayPage,
  type PageSink,
  commitOneWay,
  emptyPage,
  nowOf,
  readSource,
  readSourceDeletes,
} from './one-way';
import { consentOf, preparedIdentifiers } from './identifiers';
import {
  type AudienceContext,
  signature,
  sameIdentifiers,
  inAudience,
  logLine,
  type Change,
  asMembers,
  recordAsked,
  apply,
  settle,
  ledgerRow,
} from './audience-changes';

/** The changes one page of source records asks for, by member key, into `waiting`. */
export async function planMembers(
  context: AudienceContext,
  records: ConnectorRecord[],
  waiting: Map<string, Change[]>,
  page: OneWayPage,
  /** A full refresh's state: who belongs, and what the vendor holds where it said. */
  refresh?: RefreshState,
): Promise<void> {
  const { definition, destination, store } = context;
  const known = new Map(
    (
      await store.findLedgerMembers(
        definition.id,
        definition.right.object,
        records.map((record) => record.id),
      )
    ).map((member) => [member.key, member]),
  );
  for (const record of records) {
    const previous = known.get(record.id);
    const identifiers = preparedIdentifiers(destination, definition, record);
    const passes = passesFilter(record.fields, definition.left.filter);
    const { consent, missing } = consentOf(destination, definition, record);
    if (passes && missing.length > 0) {
      const why = `requires ${missing.join(' and ')}, not granted`;
      if (previous !== undefined && inAudience(previous)) {
        waiting.set(record.id, [
          {
            kind: 'remove',
            member: ledgerRow(context, record.id, previous.identifiers, previous),
            reason: { code: 'no_consent', message: why },
          },
        ]);
      } else {
        waiting.delete(record.id);
        // Said once: the ledger remembers it until the record changes its mind.
        if (previous?.errorCode !== 'no_consent') {
          page.counters.no_consent++;
          page.events.push(
            logLine(context, record.id, 'no_consent', {
              message: `not in audience ${definition.right.object}: it ${why}`,
            }),
          );
          (page.settleMembers ??= []).push({
            ...ledgerRow(context, record.id, identifiers, previous),
            state: 'removed',
            errorCode: 'no_consent',
            message: why,
          });
        }
      }
      continue;
    }
    const wanted = passes && missing.length === 0 && Object.keys(identifiers).length > 0;
    if (wanted) {
      refresh?.wanted.add(record.id);
      refresh?.wantedSignatures.add(signature(identifiers));
    } else refresh?.wanted.delete(record.id);
    // Planned against the ledger as committed: a record read twice before a flush is planned
    // twice from the same state, and its later reading wins.
    const changes: Change[] = [];
    if (wanted) {
      const current = previous !== undefined && sameIdentifiers(previous.identifiers, identifiers);
      // A full refresh asks again for a member's add unless the vendor is known to hold them.
      const settled =
        previous?.state === 'rejected' ||
        (previous?.state === 'member' &&
          (refresh === undefined || refresh.held?.has(signature(identifiers)) === true));
      if (!(current && settled)) {
        // New identifiers: the person as added before leaves first, then comes back as they are now.
        if (previous !== undefined && inAudience(previous) && !current)
          changes.push({
            kind: 'remove',
            member: ledgerRow(context, record.id, previous.identifiers, previous),
          });
        changes.push({
          kind: 'add',
          member: ledgerRow(context, record.id, identifiers, previous),
          ...(destination.consent === undefined ? {} : { consent }),
        });
      }
    } else if (previous !== undefined && inAudience(previous)) {
      changes.push({
        kind: 'remove',
        member: ledgerRow(context, record.id, previous.identifiers, previous),
      });
    }
    if (refresh?.replace !== undefined) {
      // A replace sends everyone who belongs, whatever the ledger says; nothing else is asked.
      if (wanted)
        refresh.replace.set(record.id, {
          kind: 'add',
          member: ledgerRow(context, record.id, identifiers, previous),
          ...(destination.consent === undefined ? {} : { consent }),
        });
      else refresh.replace.delete(record.id);
    } else if (changes.length > 0) waiting.set(record.id, changes);
    else waiting.delete(record.id);
  }
}

/**
 * Removes, then adds, each in calls of their own: a person whose identifiers changed leaves and
 * comes back, and the remove is on record (pending) before the add is asked for.
 */
async function applyInOrder(
  context: AudienceContext,
  changes: readonly Change[],
  page: OneWayPage,
): Promise<void> {
  await apply(
    context,
    changes.filter((change) => change.kind === 'remove'),
    page,
  );
  await apply(
    context,
    changes.filter((change) => change.kind === 'add'),
    page,
  );
}

/** Member changes planned page by page, asked for a destination's batch at a time. */
function memberSink(context: AudienceContext, refresh?: RefreshState): PageSink {
  const batch = context.destination.limits.maxBatch.members ?? context.pageSize;
  let waiting = new Map<string, Change[]>();
  let page = emptyPage();
  return {
    add: (records) => planMembers(context, records, waiting, page, refresh),
    full: () => refresh?.replace === undefined && waiting.size >= batch,
    async flush() {
      const outcome = page;
      const asked = waiting;
      page = emptyPage();
      waiting = new Map();
      if (refresh?.replace === undefined)
        await applyInOrder(context, [...asked.values()].flat(), outcome);
      return outcome;
    },
  };
}

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
  for (;;) {
    throwIfCancelled(context.signal);
    const due = await context.store.dueLedgerMembers(
      definition.id,
      definition.right.object,
      nowOf(context),
      context.pageSize,
    );
    if (due.length === 0) return;
    const page = emptyPage();
    const changes = due.map((member) => ({
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

/** What a full refresh learns as it reads. */
interface RefreshState {
  /** Keys of the source records that belong in the audience. */
  wanted: Set<string>;
  /** Their identifiers' signatures. */
  wantedSignatures: Set<string>;
  /** The vendor's members by signature, where it lists them (read before the source). */
  held?: Map<string, AudienceMember>;
  /** With a destination's replace: every add the read plans, by key, instead of asking. */
  replace?: Map<string, Change>;
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
 * A full refresh: the whole source read, and the audience set to what it says. Adds are asked for
 * again for everyone who belongs unless the vendor, where it lists its members, holds them
 * already; then everyone the ledger has in the audience whom the read did not find wanted (deleted
 * without a report, filtered out while Syncline was not looking) is removed, and so is anyone the
 * vendor holds who does not belong (added outside Syncline, or left behind).
 */
async function fullRefresh(context: AudienceContext): Promise<void> {
  const { definition, destination, store } = context;
  const replacing = destination.replaceMembers !== undefined;
  const held = replacing ? undefined : await heldMembers(context);
  const refresh: RefreshState = {
    wanted: new Set(),
    wantedSignatures: new Set(),
    ...(held === undefined ? {} : { held }),
    ...(replacing ? { replace: new Map<string, Change>() } : {}),
  };
  await readSource(context, memberSink(context, refresh), { fromStart: true });
  if (refresh.replace !== undefined) {
    await replaceAll(context, [...refresh.replace.values()]);
    refresh.replace.clear();
  }
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
    if (members.length === 0) break;
    after = members.at(-1)?.key ?? null;
    const leaving = members.filter((member) => !refresh.wanted.has(member.key));
    for (const member of leaving) removed.add(signature(member.identifiers));
    const page = emptyPage();
    const changes = leaving.map((member) => ({
      kind: 'remove' as const,
      member: ledgerRow(context, member.key, member.identifiers, member),
    }));
    if (replacing)
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
  if (held === undefined) return;
  const strangers = [...held.entries()]
    .filter(([sig]) => !refresh.wantedSignatures.has(sig) && !removed.has(sig))
    .map(([, member]) => member);
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

/** One audience run: due changes first, then deletes, then the source's changes from its cursor. */
export async function executeAudience(
  context: AudienceContext,
  options: { fullRefresh?: boolean } = {},
): Promise<void> {
  await checkAudience(context);
  await askAgain(context);
  if (options.fullRefresh === true) {
    await fullRefresh(context);
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
