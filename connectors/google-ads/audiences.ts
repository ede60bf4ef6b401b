/**
 * Customer Match lists ("Customer Match: get started", "Manage Customer Match lists"): the
 * customer's CRM-based user lists of contact info are the audiences Syncline may change; members
 * change only through an offline user data job, created for the list (with the connection's
 * consent for the whole upload), filled by `:addOperations` (100,000 user identifiers a call, partial
 * failure on), started by `:run`, and processed by Google over minutes to hours. A change waits for
 * its job on the run's clock, polling the job's status by GAQL, and reports its match rate range.
 *
 * Not yet: the job is awaited inside the call, holding the run's lease; handing it to the engine's
 * job checkpoint (the jobs capability) so that a run releases its lease while Google processes is
 * the next step (issue 19).
 */
import type {
  AudienceDescriptor,
  AudienceMember,
  Clock,
  MemberResult,
  MembershipChange,
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
  offlineUserDataJob?: { status?: string; operationMetadata?: { matchRateRange?: string } };
}

/** Waits on the run's clock for the job to end; its last status and match rate range. */
async function awaitJob(parts: AudienceParts, resourceName: string): Promise<JobRow> {
  const id = resourceName.split('/').at(-1) ?? '';
  const deadline = parts.clock.now().getTime() + parts.maxWaitMs;
  for (;;) {
    const row = (
      await parts.client.search<JobRow>(
        `SELECT offline_user_data_job.status, offline_user_data_job.operation_metadata.match_rate_range FROM offline_user_data_job WHERE offline_user_data_job.id = ${id}`,
      )
    ).at(0);
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

/** One job for one change: its operations added, run, awaited; one result per member. */
export async function changeListMembers(
  parts: AudienceParts,
  request: MembershipChange,
): Promise<MemberResult[]> {
  const { client } = parts;
  const all = [
    ...request.add.map((member) => ({ member, removing: false })),
    ...request.remove.map((member) => ({ member, removing: true })),
  ];
  // A click id alone matches nobody in Customer Match.
  const members: { member: AudienceMember; removing: boolean }[] = all.filter(
    ({ member }) => userIdentifiers(member.identifiers).length > 0,
  );
  const unmatched: MemberResult[] = all
    .filter(({ member }) => userIdentifiers(member.identifiers).length === 0)
    .map(({ member }) => ({
      key: member.key,
      status: 'failed',
      error: {
        code: 'invalid_value',
        message: 'Customer Match matches on an email or a phone number; this member has neither',
        retryable: false,
      },
    }));
  if (members.length === 0) return unmatched;
  const userList = request.audience.includes('/')
    ? request.audience
    : `customers/${client.customerId}/userLists/${request.audience}`;
  const created = await createJob(parts, userList);
  if ('refused' in created)
    return all.map(({ member }) => ({
      key: member.key,
      status: 'failed',
      error: { code: 'permission_denied', message: created.refused, retryable: false },
    }));
  const failed = new Map<number, string>();
  for (const { start, chunk } of identifierChunks(members)) {
    const answer = await client.post<{ partialFailureError?: unknown }>(
      `${created.resourceName}:addOperations`,
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
  await runJob(parts, created.resourceName);
  const row = await awaitJob(parts, created.resourceName);
  const status = row.offlineUserDataJob?.status ?? 'UNKNOWN';
  parts.onJob?.({
    resourceName: created.resourceName,
    status,
    matchRateRange: row.offlineUserDataJob?.operationMetadata?.matchRateRange ?? 'UNSPECIFIED',
    operations: members.length - failed.size,
  });
  const results = members.map(({ member, removing }, index): MemberResult => {
    const refusal = failed.get(index);
    if (refusal !== undefined)
      return {
        key: member.key,
        status: 'failed',
        error: { code: 'invalid_value', message: refusal, retryable: false },
      };
    if (status !== 'SUCCESS')
      return {
        key: member.key,
        status: 'failed',
        error: {
          code: 'server_error',
          message: `Customer Match job ${created.resourceName} ended ${status}`,
          retryable: true,
        },
      };
    return { key: member.key, status: removing ? 'removed' : 'added' };
  });
  const byKey = new Map([...results, ...unmatched].map((result) => [result.key, result]));
  return all.map(
    ({ member }) =>
      byKey.get(member.key) ?? {
        key: member.key,
        status: 'failed',
        error: { code: 'unknown', message: 'no answer for this member', retryable: true },
      },
  );
}
