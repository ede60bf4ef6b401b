/**
 * Customer Match ("Customer Match: manage user lists", OfflineUserDataJobService, UserListService):
 * CRM-based user lists created by `userLists:mutate`, and their members changed only through
 * offline user data jobs: `offlineUserDataJobs:create` (type CUSTOMER_MATCH_USER_LIST, the list and
 * consent in `customerMatchUserListMetadata`), `:addOperations` (create / remove / removeAll, at
 * most 100,000 user identifiers across a call's operations, while the job is PENDING), `:run` (a long-running operation; the job moves
 * to RUNNING and, after the store's processing time, to SUCCESS with its match rate range). The
 * list changes only when the job succeeds.
 */
import { type AdsError, type Answer, adsError, error, ok, partialFailure } from './errors';
import type { GoogleAdsStore, JobOperation, StoredCustomer, StoredJob } from './store';

/** User identifiers across the operations of one `:addOperations` call. */
export const MAX_JOB_IDENTIFIERS = 100_000;
const SHA256 = /^[0-9a-f]{64}$/;

type Input = Record<string, unknown>;

function record(value: unknown): Input | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Input)
    : undefined;
}

/** `customers/{id}/userLists:mutate`: create operations of CRM-based lists (others refused). */
export function mutateUserLists(
  store: GoogleAdsStore,
  version: string,
  customer: StoredCustomer,
  body: Input,
): Answer {
  const operations = Array.isArray(body.operations) ? (body.operations as Input[]) : [];
  if (operations.length === 0)
    return adsError(400, version, [
      error('requestError', 'OPERATION_REQUIRED', 'At least one operation is required.'),
    ]);
  const errors: AdsError[] = [];
  const created: { resourceName: string }[] = [];
  for (const [index, operation] of operations.entries()) {
    const create = record(operation.create);
    const at = [{ fieldName: 'operations', index }, { fieldName: 'create' }];
    const name = typeof create?.name === 'string' ? create.name.trim() : '';
    const crm = record(create?.crmBasedUserList);
    if (create === undefined || crm === undefined)
      errors.push(
        error(
          'userListError',
          'CONCRETE_TYPE_REQUIRED',
          'Creating a user list needs its type: crm_based_user_list for Customer Match.',
          at,
        ),
      );
    else if (name === '')
      errors.push(error('userListError', 'INVALID_NAME', 'The user list name is invalid.', at));
    else if (
      [...store.userLists.values()].some(
        (list) => list.customerId === customer.id && list.name === name,
      )
    )
      errors.push(
        error('userListError', 'NAME_ALREADY_USED', 'The user list name is already used.', at),
      );
    else {
      const list = store.createUserList(customer.id, name, {
        uploadKeyType: typeof crm.uploadKeyType === 'string' ? crm.uploadKeyType : 'CONTACT_INFO',
      });
      created.push({ resourceName: `customers/${customer.id}/userLists/${list.id}` });
    }
  }
  // Without partial failure, one invalid operation fails them all (nothing is created).
  if (errors.length > 0) return adsError(400, version, errors);
  return ok({ results: created });
}

/** `customers/{id}/offlineUserDataJobs:create`. */
export function createJob(
  store: GoogleAdsStore,
  version: string,
  customer: StoredCustomer,
  body: Input,
): Answer {
  const job = record(body.job) ?? {};
  const metadata = record(job.customerMatchUserListMetadata);
  const listName = typeof metadata?.userList === 'string' ? metadata.userList : '';
  const list = store.userLists.get(
    /^customers\/(\d+)\/userLists\/(\d+)$/.exec(listName)?.at(2) ?? '',
  );
  const at = [
    { fieldName: 'job' },
    { fieldName: 'customer_match_user_list_metadata' },
    { fieldName: 'user_list' },
  ];
  if (job.type !== 'CUSTOMER_MATCH_USER_LIST')
    return adsError(400, version, [
      error(
        'offlineUserDataJobError',
        'UNKNOWN',
        'The emulator serves CUSTOMER_MATCH_USER_LIST jobs only.',
        [{ fieldName: 'job' }, { fieldName: 'type' }],
      ),
    ]);
  if (list === undefined || list.customerId !== customer.id)
    return adsError(400, version, [
      error(
        'offlineUserDataJobError',
        'INVALID_USER_LIST_ID',
        'The user list ID provided for the job is invalid.',
        at,
      ),
    ]);
  if (list.type !== 'CRM_BASED')
    return adsError(400, version, [
      error(
        'offlineUserDataJobError',
        'INVALID_USER_LIST_TYPE',
        'The type of the user list is not applicable for the job: Customer Match needs a CRM-based list.',
        at,
      ),
    ]);
  if (!customer.acceptedCustomerDataTerms)
    return adsError(400, version, [
      error(
        'offlineUserDataJobError',
        'CUSTOMER_NOT_ACCEPTED_CUSTOMER_DATA_TERMS',
        'Customer has not accepted customer data terms in the UI, which is required to upload Customer Match data.',
        at,
      ),
    ]);
  if (body.validateOnly === true) return ok({});
  const id = store.id();
  const consent = record(metadata?.consent) as Record<string, string> | undefined;
  store.jobs.set(id, {
    id,
    customerId: customer.id,
    type: 'CUSTOMER_MATCH_USER_LIST',
    userList: listName,
    ...(consent === undefined ? {} : { consent }),
    status: 'PENDING',
    operations: [],
  });
  return ok({ resourceName: `customers/${customer.id}/offlineUserDataJobs/${id}` });
}

/** The identifiers of a create or remove operation's user data, or the error Google gives. */
function userDataIdentifiers(data: Input, listKeyType: string | undefined): string[] | string {
  const identifiers = Array.isArray(data.userIdentifiers) ? (data.userIdentifiers as Input[]) : [];
  if (identifiers.length === 0) return 'MISSING_USER_IDENTIFIER';
  if (identifiers.length > 20) return 'TOO_MANY_USER_IDENTIFIERS';
  if (data.consent !== undefined) return 'OPERATION_LEVEL_CONSENT_PROVIDED';
  const out: string[] = [];
  for (const identifier of identifiers) {
    const email = identifier.hashedEmail;
    const phone = identifier.hashedPhoneNumber;
    if (
      listKeyType !== 'CONTACT_INFO' ||
      (email === undefined && phone === undefined && identifier.addressInfo === undefined)
    )
      return 'INCOMPATIBLE_UPLOAD_KEY_TYPE';
    for (const [kind, hash] of [
      ['email', email],
      ['phone', phone],
    ] as const) {
      if (hash === undefined) continue;
      if (typeof hash !== 'string' || !SHA256.test(hash)) return 'INVALID_ENCODING';
      out.push(`${kind}:${hash}`);
    }
  }
  return out;
}

function jobOf(store: GoogleAdsStore, customer: StoredCustomer, resourceName: string) {
  const id = /^customers\/(\d+)\/offlineUserDataJobs\/(\d+)$/.exec(resourceName)?.at(2) ?? '';
  const job = store.jobs.get(id);
  return job?.customerId === customer.id ? job : undefined;
}

/** The job of `resourceName` while it is PENDING; or Google's answer when it is not, or not there. */
function pendingJob(
  store: GoogleAdsStore,
  version: string,
  customer: StoredCustomer,
  resourceName: string,
): StoredJob | Answer {
  const job = jobOf(store, customer, resourceName);
  const at = [{ fieldName: 'resource_name' }];
  if (job === undefined)
    return adsError(400, version, [
      error(
        'requestError',
        'RESOURCE_NOT_FOUND',
        `The resource ${resourceName} was not found.`,
        at,
      ),
    ]);
  if (job.status !== 'PENDING')
    return adsError(400, version, [
      error(
        'offlineUserDataJobError',
        'JOB_ALREADY_STARTED',
        'The job has started: it takes no more operations and cannot be run again.',
        at,
      ),
    ]);
  return job;
}

/** `{job}:addOperations`, while the job is PENDING. */
export function addOperations(
  store: GoogleAdsStore,
  version: string,
  customer: StoredCustomer,
  resourceName: string,
  body: Input,
): Answer {
  const job = pendingJob(store, version, customer, resourceName);
  if ('body' in job) return job;
  const operations = Array.isArray(body.operations) ? (body.operations as Input[]) : [];
  if (operations.length === 0)
    return adsError(400, version, [
      error('requestError', 'OPERATION_REQUIRED', 'At least one operation is required.', [
        { fieldName: 'operations' },
      ]),
    ]);
  const identifiers = operations.reduce((sum, operation) => {
    const data = record(operation.create) ?? record(operation.remove);
    return sum + (Array.isArray(data?.userIdentifiers) ? data.userIdentifiers.length : 0);
  }, 0);
  if (identifiers > MAX_JOB_IDENTIFIERS)
    return adsError(400, version, [
      error(
        'requestError',
        'TOO_MANY_MUTATE_OPERATIONS',
        `At most ${String(MAX_JOB_IDENTIFIERS)} user identifiers across the operations of a request, not ${String(identifiers)}.`,
        [{ fieldName: 'operations' }],
      ),
    ]);
  const list = store.userLists.get(job.userList.split('/').at(-1) ?? '');
  const errors: AdsError[] = [];
  const valid: JobOperation[] = [];
  for (const [index, operation] of operations.entries()) {
    const at = (field: string) => [{ fieldName: 'operations', index }, { fieldName: field }];
    if (operation.removeAll === true) {
      valid.push({ kind: 'removeAll', identifiers: [] });
      continue;
    }
    const kind =
      record(operation.create) !== undefined
        ? 'create'
        : record(operation.remove) !== undefined
          ? 'remove'
          : undefined;
    const data = kind === undefined ? undefined : record(operation[kind]);
    if (kind === undefined || data === undefined) {
      errors.push(
        error(
          'requestError',
          'OPERATION_REQUIRED',
          'Each operation is a create, a remove or a remove_all.',
          at('operation'),
        ),
      );
      continue;
    }
    const identifiers = userDataIdentifiers(data, list?.uploadKeyType);
    if (typeof identifiers === 'string') {
      errors.push(
        error(
          'offlineUserDataJobError',
          identifiers,
          `The ${kind} operation's user data is refused: ${identifiers}.`,
          at(kind),
        ),
      );
      continue;
    }
    valid.push({ kind, identifiers });
  }
  if (errors.length > 0 && body.enablePartialFailure !== true)
    return adsError(400, version, errors);
  if (body.validateOnly !== true) job.operations.push(...valid);
  return ok(errors.length === 0 ? {} : { partialFailureError: partialFailure(version, errors) });
}

/** `{job}:run`: a long-running operation; the job runs for the store's processing time. */
export function runJob(
  store: GoogleAdsStore,
  version: string,
  customer: StoredCustomer,
  resourceName: string,
): Answer {
  const job = pendingJob(store, version, customer, resourceName);
  if ('body' in job) return job;
  job.status = 'RUNNING';
  job.startedAt = store.now();
  return ok({
    name: `customers/${customer.id}/operations/${job.id}`,
    metadata: {
      '@type': `type.googleapis.com/google.ads.googleads.${version}.resources.OfflineUserDataJobMetadata`,
    },
    done: false,
  });
}
