/**
 * Customer Match lists ("Customer Match: get started", "Manage Customer Match lists"): the
 * customer's CRM-based user lists of contact info are the audiences Syncline may change; members
 * change only through an offline user data job, created for the list (with the connection's
 * consent for the whole upload), filled by `:addOperations` (100,000 user identifiers a call,
 * partial failure on), started by `:run`, and processed by Google over minutes to hours.
 *
 * The engine uses `listJobs` (the SDK's membership jobs): a run's changes go into one job, the run
 * starts it and ends, a later run polls its status by GAQL and collects it. `changeMembers` does
 * the same for one change and waits for the job on the run's clock (for callers that need the
 * answer at once). */
import type {
  AudienceDescriptor,
  AudienceMember,
  Clock,
  MemberResult,
  MembershipChange,
  MembershipJobState,
  MembershipJobs,
} from '../sdk/contract';
import { ConnectorError } from '../sdk/errors';
import { type GoogleAdsClient, adsErrorsOf } from './client';
import { userIdentifiers } from './identifiers';

/** User identifiers an `:addOperations` call holds, across its operations. */
export const MAX_IDENTIFIERS = 100_000;

/** The members in calls of at most MAX_IDENTIFIERS identifiers, with the index of each call's first. */
function* identifierChunks<T extends { member: AudienceMember }>(
  members: readonly T[],
): Generator<{ start: number; chunk: T[] }> {
  let start = 0;
  let chunk: T[] = [];
  let count = 0;
  for (const [index, entry] of members.entries()) {
    const size = userIdentifiers(entry.member.identifiers).length;
    if (count + size > MAX_IDENTIFIERS && chunk.length > 0) {
      yield { start, chunk };
      [start, chunk, count] = [index, [], 0];
    }
    chunk.push(entry);
    count += size;
  }
  if (chunk.length > 0) yield { start, chunk };
}

export interface AudienceParts {
  client: GoogleAdsClient;
  clock: Clock;
  consent: { adUserData: string; adPersonalization: string };
  pollMs: number;
  maxWaitMs: number;
  /** Told each finished job: its resource name, status and match rate range. */
  onJob?: (job: JobOutcome) => void;
}

export interface JobOutcome {
  resourceName: string;
  status: string;
  matchRateRange: string;
  operations: number;
}

interface ListRow {
  userList?: {
    id?: string;
    name?: string;
    type?: string;
    readOnly?: boolean;
    crmBasedUserList?: { uploadKeyType?: string };
  };
}

export async function userLists(client: GoogleAdsClient): Promise<AudienceDescriptor[]> {
  const rows = await client.search<ListRow>(
    'SELECT user_list.id, user_list.name, user_list.type, user_list.read_only, user_list.crm_based_user_list.upload_key_type FROM user_list',
  );
  return rows.flatMap(({ userList: list }) => {
    if (list?.id === undefined) return [];
    const keyType = list.crmBasedUserList?.uploadKeyType;
    const reason =
      list.type !== 'CRM_BASED'
        ? `a ${String(list.type)} list is built by Google from rules, not uploaded`
        : list.readOnly === true
          ? 'the list is read-only for this account'
          : keyType !== 'CONTACT_INFO'
            ? `the list matches on ${String(keyType)}, not contact info`
            : undefined;
    return [
      {
        id: list.id,
        name: list.name ?? list.id,
        writable: reason === undefined,
        ...(reason === undefined ? {} : { reason }),
      },
    ];
  });
}

interface JobRow {
  offlineUserDataJob?: {
    status?: string;
    failureReason?: string;
    operationMetadata?: { matchRateRange?: string };
  };
}

/** The job's status, failure reason and match rate range, as Google's search reports them. */
async function jobStatus(parts: AudienceParts, resourceName: string): Promise<JobRow | undefined> {
  const id = resourceName.split('/').at(-1) ?? '';
  return (
    await parts.client.search<JobRow>(
      `SELECT offline_user_data_job.status, offline_user_data_job.failure_reason, offline_user_data_job.operation_metadata.match_rate_range FROM offline_user_data_job WHERE offline_user_data_job.id = ${id}`,
    )
  ).at(0);
}

/** Waits on the run's clock for the job to end; its last status and match rate range. */
async function awaitJob(parts: AudienceParts, resourceName: string): Promise<JobRow> {
  const deadline = parts.clock.now().getTime() + parts.maxWaitMs;
  for (;;) {
    const row = await jobStatus(parts, resourceName);
    const status = row?.offlineUserDataJob?.status;
    if (status === 'SUCCESS' || status === 'FAILED') return row ?? {};
    if (parts.clock.now().getTime() >= deadline)
      throw new ConnectorError(
        'timeout',
        `Customer Match job ${resourceName} still ${String(status)} after ${String(parts.maxWaitMs)} ms; the change is sent again next run`,
      );
    await parts.clock.sleep(parts.pollMs);
  }
}

/** Google's refusals of a job for a list that is not a CRM-based list of this customer. */
const LIST_REFUSALS =
  /offlineUserDataJobError\.(INVALID_USER_LIST_TYPE|INVALID_USER_LIST_ID|INCOMPATIBLE_UPLOAD_KEY_TYPE)/;

/** A job for the list; or, where Google refuses the list itself, why. */
async function createJob(
  parts: AudienceParts,
  userList: string,
): Promise<{ resourceName: string } | { refused: string }> {
  try {
    return await parts.client.post<{ resourceName: string }>(
      `customers/${parts.client.customerId}/offlineUserDataJobs:create`,
      {
        job: {
          type: 'CUSTOMER_MATCH_USER_LIST',
          customerMatchUserListMetadata: { userList, consent: parts.consent },
        },
      },
      // A job created twice leaves an empty one that never runs: harmless, so retried.
      { idempotent: true },
    );
  } catch (error) {
    const refusal = error instanceof ConnectorError ? LIST_REFUSALS.exec(error.message) : null;
    if (refusal === null) throw error;
    return {
      refused: `Google Ads refuses Customer Match uploads to ${userList} (${refusal.at(1) ?? ''}): only CRM-based lists of contact info can be changed`,
    };
  }
}

/** Starts the job; one already started (a retried call whose answer was lost) is fine. */
async function runJob(parts: AudienceParts, resourceName: string): Promise<void> {
  try {
    await parts.client.post(`${resourceName}:run`, {}, { idempotent: true });
  } catch (error) {
    if (!(error instanceof ConnectorError) || !error.message.includes('JOB_ALREADY_STARTED'))
      throw error;
  }
}

const UNMATCHED = 'Customer Match matches on an email or a phone number; this member has neither';

function listOf(client: GoogleAdsClient, audience: string): string {
  return audience.includes('/') ? audience : `customers/${client.customerId}/userLists/${audience}`;
}

/**
 * Adds a change to a PENDING job (`:addOperations`, 100,000 identifiers a call): one result per
 * member, adds then removes; `added` / `removed` mean the job took it.
 */
async function addToJob(
  parts: AudienceParts,
  resourceName: string,
  request: MembershipChange,
): Promise<MemberResult[]> {
  const all = [
    ...request.add.map((member) => ({ member, removing: false })),
    ...request.remove.map((member) => ({ member, removing: true })),
  ];
  // A click id alone matches nobody in Customer Match.
  const members = all.filter(({ member }) => userIdentifiers(member.identifiers).length > 0);
  const failed = new Map<number, string>();
  for (const { start, chunk } of identifierChunks(members)) {
    const answer = await parts.client.post<{ partialFailureError?: unknown }>(
      `${resourceName}:addOperations`,
      {
        enablePartialFailure: true,
        operations: chunk.map(({ member, removing }) => ({
          [removing ? 'remove' : 'create']: {
            userIdentifiers: userIdentifiers(member.identifiers),
          },
        })),
      },
      // Adding the same person twice to a job changes nothing.
      { idempotent: true },
    );
    for (const error of adsErrorsOf(answer.partialFailureError))
      if (error.index !== undefined)
        failed.set(start + error.index, `Google Ads ${error.code}: ${error.message}`);
  }
  const results = new Map<AudienceMember, MemberResult>();
  members.forEach(({ member, removing }, index) => {
    const refusal = failed.get(index);
    results.set(
      member,
      refusal === undefined
        ? { key: member.key, status: removing ? 'removed' : 'added' }
        : {
            key: member.key,
            status: 'failed',
            error: { code: 'invalid_value', message: refusal, retryable: false },
          },
    );
  });
  return all.map(
    ({ member }) =>
      results.get(member) ?? {
        key: member.key,
        status: 'failed',
        error: { code: 'invalid_value', message: UNMATCHED, retryable: false },
      },
  );
}

/** One job for one change, awaited: created, filled, run, polled until Google ends it. */
export async function changeListMembers(
  parts: AudienceParts,
  request: MembershipChange,
): Promise<MemberResult[]> {
  const refuse = (message: string, code: 'invalid_value' | 'permission_denied') =>
    [...request.add, ...request.remove].map((member): MemberResult => ({
      key: member.key,
      status: 'failed',
      error: { code, message, retryable: false },
    }));
  if (
    ![...request.add, ...request.remove].some(
      (member) => userIdentifiers(member.identifiers).length > 0,
    )
  )
    return refuse(UNMATCHED, 'invalid_value');
  const created = await createJob(parts, listOf(parts.client, request.audience));
  if ('refused' in created) return refuse(created.refused, 'permission_denied');
  const results = await addToJob(parts, created.resourceName, request);
  const taken = results.filter((result) => result.status !== 'failed').length;
  await runJob(parts, created.resourceName);
  const row = await awaitJob(parts, created.resourceName);
  const status = row.offlineUserDataJob?.status ?? 'UNKNOWN';
  parts.onJob?.({
    resourceName: created.resourceName,
    status,
    matchRateRange: row.offlineUserDataJob?.operationMetadata?.matchRateRange ?? 'UNSPECIFIED',
    operations: taken,
  });
  if (status === 'SUCCESS') return results;
  return results.map((result) =>
    result.status === 'failed'
      ? result
      : {
          key: result.key,
          status: 'failed',
          error: {
            code: 'server_error',
            message: `Customer Match job ${created.resourceName} ended ${status}`,
            retryable: true,
          },
        },
  );
}

/** A run's changes in one job, collected by a later run (the SDK's MembershipJobs). */
export function listJobs(partsOf: () => AudienceParts, pollIntervalMs: number): MembershipJobs {
  return {
    pollIntervalMs,
    open: async (audience) => {
      const parts = partsOf();
      const created = await createJob(parts, listOf(parts.client, audience));
      if ('refused' in created) throw new ConnectorError('bad_request', created.refused);
      return { id: created.resourceName, audience, state: {} };
    },
    add: (ticket, change) => addToJob(partsOf(), ticket.id, change),
    start: (ticket) => runJob(partsOf(), ticket.id),
    poll: async (ticket): Promise<MembershipJobState> => {
      const row = await jobStatus(partsOf(), ticket.id);
      const job = row?.offlineUserDataJob;
      const status = job?.status ?? 'gone';
      if (status === 'SUCCESS')
        return {
          status: 'done',
          summary: `Customer Match job ${ticket.id} succeeded, match rate ${job?.operationMetadata?.matchRateRange ?? 'UNSPECIFIED'}`,
        };
      if (status === 'FAILED')
        return {
          status: 'failed',
          reason: `Customer Match job ${ticket.id} failed (${job?.failureReason ?? 'UNKNOWN'})`,
        };
      if (status === 'RUNNING') return { status: 'running' };
      return {
        status: 'failed',
        reason: `Customer Match job ${ticket.id} is ${status}: it was never started`,
      };
    },
  };
}
