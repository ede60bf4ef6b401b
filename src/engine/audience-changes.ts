/**
 * An audience sync's changes: what a member's ledger row becomes, how changes are asked of the
 * destination (removes first, then adds), and how each is settled by its answer.
 */
import type {
  AudienceDestinationCapability,
  AudienceMember,
  ConnectorCore,
  ConsentState,
  Identifiers,
  MemberResult,
  MembershipJobTicket,
} from '../../connectors/sdk/contract';
import { retryDelayMs } from './failed';
import {
  type OneWayBase,
  type OneWayContext,
  type OneWayPage,
  type SourceConnector,
  nowOf,
  oneWayContext,
} from './one-way';
import type { LedgerMember, RecordEvent } from './ports';

export type AudienceDestination = ConnectorCore & AudienceDestinationCapability;

/** A vendor job of member changes as a run holds it (audience-jobs.ts). */
export interface OpenJob {
  ticket: MembershipJobTicket;
  started: boolean;
  /** Changes the job took. */
  changes: number;
  /** The changes this run put into it (`kind:key`), not to be put in twice. */
  asked?: Set<string>;
}

export type AudienceContext = OneWayContext<AudienceDestination> & {
  /** The vendor job this run's changes go into, where the destination changes members by jobs. */
  job?: OpenJob;
};

/** An audience run's context, its connections' capabilities checked by `oneWayProblems`. */
export function audienceContext(base: OneWayBase): AudienceContext {
  return oneWayContext({
    ...base,
    source: base.source as SourceConnector,
    destination: base.destination as AudienceDestination,
  });
}

/** A person's identifiers as one comparable string. */
export function signature(identifiers: Identifiers): string {
  return JSON.stringify(Object.entries(identifiers).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function sameIdentifiers(a: Identifiers, b: Identifiers): boolean {
  return signature(a) === signature(b);
}

/** Whether the person is in the audience, or asked to be, as far as the ledger knows. */
export function inAudience(member: LedgerMember): boolean {
  return (
    member.state === 'member' || member.state === 'pending_add' || member.state === 'pending_remove'
  );
}

export function logLine(
  context: AudienceContext,
  key: string,
  action: RecordEvent['action'],
  detail: { errorCode?: RecordEvent['errorCode']; message?: string } = {},
): RecordEvent {
  return {
    runId: context.runId,
    syncId: context.definition.id,
    side: 'right',
    leftId: key,
    rightId: null,
    action,
    fields: [],
    errorCode: detail.errorCode ?? null,
    message: detail.message ?? `audience ${context.definition.right.object}`,
    at: nowOf(context),
  };
}

/** A change to ask for: the member's ledger row as it will stand once asked. */
export interface Change {
  kind: 'add' | 'remove';
  member: LedgerMember;
  /** An add's consent signals, as the destination names them. */
  consent?: Record<string, ConsentState>;
  /** Why a remove is asked for when it is not the filter (kept on the member's ledger row). */
  reason?: { code: 'no_consent' | 'not_in_source'; message: string };
}

/** The changes as the destination's members: identifiers prepared, consent with adds. */
export function asMembers(changes: readonly Change[]): AudienceMember[] {
  return changes.map(({ member, consent }) => ({
    key: member.key,
    identifiers: member.identifiers,
    prepared: true,
    ...(consent === undefined ? {} : { consent }),
  }));
}

/** Records `changes` as asked for, durably, before the call that asks. */
export async function recordAsked(
  context: AudienceContext,
  changes: readonly Change[],
): Promise<void> {
  await context.store.recordPendingMembers(
    changes.map(({ kind, member }) => ({
      ...member,
      state: kind === 'add' ? 'pending_add' : 'pending_remove',
      attempts: member.attempts + 1,
      // Asked now: due again only as an unanswered change, until an answer sets a retry time.
      nextAttemptAt: null,
      updatedAt: nowOf(context),
    })),
  );
}

/**
 * Asks the destination for `changes` (removes first, then adds), and settles each by its answer
 * (audience-jobs.ts `apply` sends them here unless the destination changes members by jobs).
 */
export async function askDirect(
  context: AudienceContext,
  changes: Change[],
  page: OneWayPage,
): Promise<void> {
  if (changes.length === 0) return;
  const { definition, destination } = context;
  const audience = definition.right.object;
  await recordAsked(context, changes);
  const answers = new Map<string, MemberResult>();
  for (const kind of ['remove', 'add'] as const) {
    const members = asMembers(changes.filter((change) => change.kind === kind));
    if (members.length === 0) continue;
    // A call that fails as a whole ends the run: its changes stay pending, asked for next run.
    const results = await destination.changeMembers({
      audience,
      add: kind === 'add' ? members : [],
      remove: kind === 'remove' ? members : [],
    });
    for (const result of results) answers.set(`${kind}:${result.key}`, result);
  }
  settle(context, changes, answers, page);
}

/** Settles each change by its answer (`kind:key`), into `page`: ledger rows, log lines, counters. */
export function settle(
  context: AudienceContext,
  changes: readonly Change[],
  answers: ReadonlyMap<string, MemberResult>,
  page: OneWayPage,
): void {
  const { definition } = context;
  const now = nowOf(context);
  const settled: LedgerMember[] = [];
  for (const { kind, member, reason } of changes) {
    const attempts = member.attempts + 1;
    const result = answers.get(`${kind}:${member.key}`) ?? {
      key: member.key,
      status: 'failed' as const,
      error: {
        code: 'unknown' as const,
        message: 'the destination gave no answer',
        retryable: true,
      },
    };
    if (result.status !== 'failed') {
      settled.push({
        ...member,
        state: kind === 'add' ? 'member' : 'removed',
        attempts: 0,
        errorCode: reason?.code ?? null,
        message: reason?.message ?? null,
        nextAttemptAt: null,
        updatedAt: now,
      });
      if (result.status === 'skipped') continue;
      if (kind === 'add') page.counters.added++;
      else page.counters.removed++;
      page.events.push(
        logLine(
          context,
          member.key,
          kind === 'add' ? 'added' : 'removed',
          reason === undefined
            ? {}
            : { message: `audience ${definition.right.object}: it ${reason.message}` },
        ),
      );
      continue;
    }
    const { error } = result;
    const givenUp = !error.retryable || attempts >= context.maxAttempts;
    // An add refused for good waits for the record to change; a remove refused for good (the
    // person is not in the audience) leaves nobody to remove.
    const state = givenUp
      ? kind === 'add'
        ? 'rejected'
        : 'removed'
      : kind === 'add'
        ? 'pending_add'
        : 'pending_remove';
    const retryAt = new Date(Date.parse(now) + retryDelayMs(attempts)).toISOString();
    settled.push({
      ...member,
      state,
      attempts: givenUp ? 0 : attempts,
      errorCode: error.code,
      message: error.message,
      nextAttemptAt: givenUp ? null : retryAt,
      updatedAt: now,
    });
    page.counters.failed++;
    page.events.push(
      logLine(context, member.key, 'failed', {
        errorCode: error.code,
        message: `${kind === 'add' ? 'adding to' : 'removing from'} audience ${definition.right.object}: ${error.message}${givenUp ? '' : ` (asked again from ${retryAt})`}`,
      }),
    );
  }
  page.settleMembers = [...(page.settleMembers ?? []), ...settled];
}

export function ledgerRow(
  context: AudienceContext,
  key: string,
  identifiers: Identifiers,
  previous: LedgerMember | undefined,
): LedgerMember {
  return {
    syncId: context.definition.id,
    audience: context.definition.right.object,
    key,
    identifiers,
    state: previous?.state ?? 'removed',
    attempts: previous?.attempts ?? 0,
    errorCode: null,
    message: null,
    nextAttemptAt: null,
    updatedAt: nowOf(context),
  };
}
