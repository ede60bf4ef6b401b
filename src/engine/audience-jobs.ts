/**
 * An audience sync whose destination changes members through vendor jobs (`membershipJobs`, as
 * Google's Customer Match): a run puts every change it asks for into one job, starts it at its end
 * and ends, so no lease is held while the vendor works (minutes to hours); the next run collects
 * the job before anything else, settles the changes it held by its outcome, and logs it. While the
 * job runs, a run only says so. The open job is the right side's cursor of the sync (an audience
 * sync reads nothing there), committed with the page that opens, starts or closes it: a job whose
 * starter died before starting it is left to expire, and its changes, never answered, are asked
 * again in the next job.
 */
import type {
  MemberResult,
  MembershipJobTicket,
  MembershipJobs,
} from '../../connectors/sdk/contract';
import {
  type AudienceContext,
  type Change,
  type OpenJob,
  askDirect,
  asMembers,
  recordAsked,
  settle,
} from './audience-changes';
import { emptyCursor } from './cursor';
import { type OneWayPage, commitOneWay, emptyPage, nowOf } from './one-way';
import type { RecordEvent, SyncCursor } from './ports';

/** Before any retry time: members asked for and not answered have none. */
const UNANSWERED = '1970-01-01T00:00:00.000Z';

/** The job the right side's cursor holds, if any. */
export function openJobOf(cursor: SyncCursor | null): OpenJob | undefined {
  const checkpoint = cursor?.checkpoint;
  if (checkpoint === null || checkpoint === undefined) return undefined;
  const { jobId, jobAudience, started, changes, ...state } = checkpoint;
  if (typeof jobId !== 'string') return undefined;
  return {
    ticket: { id: jobId, audience: String(jobAudience), state },
    started: started === true,
    changes: typeof changes === 'number' ? changes : 0,
  };
}

function cursorOf(job: OpenJob | undefined): SyncCursor {
  if (job === undefined) return emptyCursor();
  const { ticket } = job;
  return {
    ...emptyCursor(),
    checkpoint: {
      ...ticket.state,
      jobId: ticket.id,
      jobAudience: ticket.audience,
      started: job.started,
      changes: job.changes,
    },
  };
}

function jobLine(
  context: AudienceContext,
  ticket: MembershipJobTicket,
  message: string,
): RecordEvent {
  return {
    runId: context.runId,
    syncId: context.definition.id,
    side: 'right',
    leftId: null,
    rightId: ticket.id,
    action: 'job',
    fields: [],
    errorCode: null,
    message,
    at: nowOf(context),
  };
}

/** Commits `page` with the job as the destination's cursor (none: closed). */
async function commitJob(
  context: AudienceContext,
  page: OneWayPage,
  job: OpenJob | undefined,
): Promise<void> {
  page.destinationCursor = cursorOf(job);
  await commitOneWay(context, page);
}

/** Settles every change the job held (asked, never answered) by how the job ended. */
async function settleHeld(
  context: AudienceContext,
  ticket: MembershipJobTicket,
  answer: (change: Change) => MemberResult,
): Promise<void> {
  for (;;) {
    const held = await context.store.dueLedgerMembers(
      context.definition.id,
      ticket.audience,
      UNANSWERED,
      context.pageSize,
    );
    if (held.length === 0) return;
    const changes = held.map((member): Change => ({
      kind: member.state === 'pending_add' ? 'add' : 'remove',
      member,
    }));
    const page = emptyPage();
    settle(
      context,
      changes,
      new Map(changes.map((change) => [`${change.kind}:${change.member.key}`, answer(change)])),
      page,
    );
    await commitOneWay(context, page);
  }
}

/**
 * Collects the job a previous run left. `wait` when it still runs: the run ends there, as asking
 * for more changes while it runs could apply them out of order.
 */
export async function collectJob(
  context: AudienceContext,
  jobs: MembershipJobs,
): Promise<'wait' | 'go'> {
  const job = openJobOf(await context.store.getCursor(context.definition.id, 'right'));
  if (job === undefined) return 'go';
  const { ticket } = job;
  const page = emptyPage();
  if (!job.started) {
    page.events.push(
      jobLine(
        context,
        ticket,
        `job ${ticket.id} was never started (the run that opened it ended first): its changes are asked for again`,
      ),
    );
    await commitJob(context, page, undefined);
    return 'go';
  }
  const state = await jobs.poll(ticket);
  if (state.status === 'running') {
    page.events.push(
      jobLine(
        context,
        ticket,
        `job ${ticket.id} (${String(job.changes)} changes) is still running: this run waits for it`,
      ),
    );
    await commitOneWay(context, page);
    return 'wait';
  }
  await settleHeld(context, ticket, ({ kind, member }) =>
    state.status === 'done'
      ? { key: member.key, status: kind === 'add' ? 'added' : 'removed' }
      : {
          key: member.key,
          status: 'failed',
          error: { code: 'server_error', message: state.reason, retryable: true },
        },
  );
  page.events.push(
    jobLine(
      context,
      ticket,
      state.status === 'done'
        ? (state.summary ?? `job ${ticket.id} succeeded (${String(job.changes)} changes)`)
        : `${state.reason}: its ${String(job.changes)} changes are asked for again`,
    ),
  );
  await commitJob(context, page, undefined);
  return 'go';
}

/** Asks for `changes` in the run's job (opened with the first), settling now only those refused. */
export async function askInJob(
  context: AudienceContext,
  jobs: MembershipJobs,
  changes: readonly Change[],
  page: OneWayPage,
): Promise<void> {
  if (context.job === undefined) {
    const ticket = await jobs.open(context.definition.right.object);
    context.job = { ticket, started: false, changes: 0 };
    // Journaled before anything goes into it: a run that takes over finds it.
    await commitJob(context, emptyPage(), context.job);
  }
  const job = context.job;
  const asked = (job.asked ??= new Set());
  // A change re-read in the same run (the read's overlap) is in the job already.
  const fresh = changes.filter((change) => !asked.has(`${change.kind}:${change.member.key}`));
  if (fresh.length === 0) return;
  for (const change of fresh) asked.add(`${change.kind}:${change.member.key}`);
  await recordAsked(context, fresh);
  const refused = new Map<string, MemberResult>();
  for (const kind of ['remove', 'add'] as const) {
    const members = asMembers(fresh.filter((change) => change.kind === kind));
    if (members.length === 0) continue;
    // A call that fails as a whole ends the run: its changes stay unanswered, asked for again.
    const results = await jobs.add(job.ticket, {
      audience: context.definition.right.object,
      add: kind === 'add' ? members : [],
      remove: kind === 'remove' ? members : [],
    });
    for (const result of results)
      if (result.status === 'failed') refused.set(`${kind}:${result.key}`, result);
  }
  job.changes += fresh.length - refused.size;
  settle(
    context,
    fresh.filter((change) => refused.has(`${change.kind}:${change.member.key}`)),
    refused,
    page,
  );
}

/** Starts the run's job, if it took any change, and journals it; the run then ends. */
export async function startJob(context: AudienceContext, jobs: MembershipJobs): Promise<void> {
  const job = context.job;
  if (job === undefined) return;
  const page = emptyPage();
  if (job.changes === 0) {
    await commitJob(context, page, undefined);
    return;
  }
  await jobs.start(job.ticket);
  job.started = true;
  page.events.push(
    jobLine(
      context,
      job.ticket,
      `job ${job.ticket.id} started with ${String(job.changes)} changes; the next run collects its outcome`,
    ),
  );
  await commitJob(context, page, job);
}

/** Asks for `changes`: into the run's job where the destination changes members by jobs, else at once. */
export async function apply(
  context: AudienceContext,
  changes: Change[],
  page: OneWayPage,
): Promise<void> {
  if (changes.length === 0) return;
  const jobs = context.destination.membershipJobs;
  if (jobs === undefined) await askDirect(context, changes, page);
  else await askInJob(context, jobs, changes, page);
}
