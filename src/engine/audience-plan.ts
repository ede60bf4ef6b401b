/**
 * An audience run's plan: the changes each page of source records asks for against the ledger
 * (who entered the set, who left it, whose identifiers changed), and where they wait until a batch
 * of the destination's size is asked for, removes before adds.
 */
import type { AudienceMember, ConnectorRecord, Identifiers } from '../../connectors/sdk/contract';
import type { LedgerMember } from './ports';
import { passesFilter } from './filters';
import { type OneWayPage, type PageSink, emptyPage } from './one-way';
import { consentOf, preparedIdentifiers } from './identifiers';
import {
  type AudienceContext,
  type Change,
  inAudience,
  ledgerRow,
  logLine,
  sameIdentifiers,
  signature,
} from './audience-changes';
import { apply } from './audience-jobs';

/** What a read of the whole set (a full refresh, a list source's run) learns as it reads. */
export interface RefreshState {
  /** Keys of the source records that belong in the audience. */
  wanted: Set<string>;
  /** Their identifiers' signatures. */
  wantedSignatures: Set<string>;
  /** The vendor's members by signature, where it lists them (read before the source). */
  held?: Map<string, AudienceMember>;
  /** Whether the ledger's members are taken as held (a list source's run, not a full refresh). */
  trusted: boolean;
  /** With a destination's replace: every add the read plans, by key, instead of asking. */
  replace?: Map<string, Change>;
}

/** The changes one page of source records asks for, by member key, into `waiting`. */
/**
 * Whether the ledger answers for a member's add: refused for good, or a member. A full refresh
 * asks again for a member's add unless the vendor is known to hold them.
 */
function settled(
  previous: LedgerMember | undefined,
  identifiers: Identifiers,
  refresh: RefreshState | undefined,
): boolean {
  if (previous?.state === 'rejected') return true;
  if (previous?.state !== 'member') return false;
  return (
    refresh === undefined || refresh.trusted || refresh.held?.has(signature(identifiers)) === true
  );
}

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
      if (!(current && settled(previous, identifiers, refresh))) {
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
export async function applyInOrder(
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
export function memberSink(context: AudienceContext, refresh?: RefreshState): PageSink {
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
