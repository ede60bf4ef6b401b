/**
 * What the Google Ads emulator holds: customers (accounts) and the managers they may be reached
 * through, conversion actions and the click conversions they received, Customer Match user lists
 * and the offline user data jobs that change them, the OAuth clients and tokens, developer tokens
 * with their access level and the operations each spent in the last 24 hours.
 */
import type { Clock } from '../../sdk/contract';

export type AccessLevel = 'TEST' | 'EXPLORER' | 'BASIC' | 'STANDARD';

/** Daily operations by access level ("Access levels and permissible use"); STANDARD: no cap. */
export const DAILY_OPERATIONS: Record<AccessLevel, number> = {
  TEST: 15_000,
  EXPLORER: 2_880,
  BASIC: 15_000,
  STANDARD: Number.POSITIVE_INFINITY,
};

export interface StoredCustomer {
  id: string;
  name: string;
  /** Conversion settings: the customer data terms accepted (needed for user identifiers). */
  acceptedCustomerDataTerms: boolean;
  /** Conversion settings: enhanced conversions for leads turned on. */
  enhancedConversionsForLeads: boolean;
  /** Manager accounts that may act for it (`login-customer-id`). */
  managers: Set<string>;
  /** The signed-in user reaches it only through a manager: `login-customer-id` is required. */
  throughManagerOnly: boolean;
}

export interface StoredConversionAction {
  id: string;
  customerId: string;
  name: string;
  /** UPLOAD_CLICKS takes imported click conversions; WEBPAGE and others do not. */
  type: string;
  status: 'ENABLED' | 'REMOVED' | 'HIDDEN';
  createdAt: number;
}

export interface UserIdentifier {
  hashedEmail?: string;
  hashedPhoneNumber?: string;
}

export interface StoredConversion {
  customerId: string;
  conversionAction: string;
  gclid?: string;
  gbraid?: string;
  wbraid?: string;
  conversionDateTime: string;
  conversionValue?: number;
  currencyCode?: string;
  orderId?: string;
  userIdentifiers: UserIdentifier[];
  consent?: Record<string, string>;
  receivedAt: number;
}

export interface StoredUserList {
  id: string;
  customerId: string;
  name: string;
  /** CRM_BASED lists take Customer Match uploads; RULE_BASED and LOGICAL lists do not. */
  type: string;
  /** CONTACT_INFO, CRM_ID or MOBILE_ADVERTISING_ID, for CRM_BASED lists. */
  uploadKeyType?: string;
  membershipLifeSpan: number;
  /** Members as uploaded: each identifier (`email:<hash>`, `phone:<hash>`) of a member. */
  members: Set<string>;
}

export type JobStatus = 'PENDING' | 'RUNNING' | 'SUCCESS' | 'FAILED';

export interface JobOperation {
  kind: 'create' | 'remove' | 'removeAll';
  identifiers: string[];
}

export interface StoredJob {
  id: string;
  customerId: string;
  type: string;
  userList: string;
  consent?: Record<string, string>;
  status: JobStatus;
  operations: JobOperation[];
  /** When `:run` was called; the job ends `processingMs` later. */
  startedAt?: number;
  failureReason?: string;
  matchRateRange?: string;
}

export class GoogleAdsStore {
  readonly customers = new Map<string, StoredCustomer>();
  readonly conversionActions = new Map<string, StoredConversionAction>();
  readonly conversions: StoredConversion[] = [];
  /** The conversions' dedup keys: action, click id and time; action and order id. */
  readonly clickKeys = new Set<string>();
  readonly orderKeys = new Set<string>();
  readonly userLists = new Map<string, StoredUserList>();
  readonly jobs = new Map<string, StoredJob>();
  /** Known clicks: gclid → when the click happened (ms); an unknown gclid is taken as it comes. */
  readonly clicks = new Map<string, number>();
  /** Developer tokens and their access level. */
  readonly developerTokens = new Map<string, AccessLevel>();
  /** When each developer token spent each operation in the last 24 hours. */
  readonly spent = new Map<string, number[]>();
  /** OAuth clients (id → secret), refresh tokens (→ client id), access tokens (→ expiry ms). */
  readonly clients = new Map<string, string>();
  readonly refreshTokens = new Map<string, string>();
  readonly accessTokens = new Map<string, number>();
  /** How long an offline user data job runs once started. */
  processingMs = 60_000;
  private nextId = 7_000_000_000;

  constructor(readonly clock: Clock) {}

  now(): number {
    return this.clock.now().getTime();
  }

  id(): string {
    this.nextId += 1;
    return String(this.nextId);
  }

  createCustomer(
    name: string,
    options: Partial<Omit<StoredCustomer, 'id' | 'name'>> & { id?: string } = {},
  ): StoredCustomer {
    const customer: StoredCustomer = {
      id: options.id ?? this.id(),
      name,
      acceptedCustomerDataTerms: options.acceptedCustomerDataTerms ?? true,
      enhancedConversionsForLeads: options.enhancedConversionsForLeads ?? true,
      managers: options.managers ?? new Set(),
      throughManagerOnly: options.throughManagerOnly ?? false,
    };
    this.customers.set(customer.id, customer);
    return customer;
  }

  createConversionAction(
    customerId: string,
    name: string,
    options: { id?: string; type?: string; createdAt?: number } = {},
  ): StoredConversionAction {
    const action: StoredConversionAction = {
      id: options.id ?? this.id(),
      customerId,
      name,
      type: options.type ?? 'UPLOAD_CLICKS',
      status: 'ENABLED',
      // Created a day ago unless told: imports into an action younger than 6 hours are refused.
      createdAt: options.createdAt ?? this.now() - 24 * 3600 * 1000,
    };
    this.conversionActions.set(action.id, action);
    return action;
  }

  createUserList(
    customerId: string,
    name: string,
    options: { id?: string; type?: string; uploadKeyType?: string } = {},
  ): StoredUserList {
    const type = options.type ?? 'CRM_BASED';
    const list: StoredUserList = {
      id: options.id ?? this.id(),
      customerId,
      name,
      type,
      ...(type === 'CRM_BASED' ? { uploadKeyType: options.uploadKeyType ?? 'CONTACT_INFO' } : {}),
      membershipLifeSpan: 10_000,
      members: new Set(),
    };
    this.userLists.set(list.id, list);
    return list;
  }

  /** Keeps a conversion with its dedup keys. */
  keep(conversion: StoredConversion, keys: { clickKey?: string; orderKey?: string }): void {
    this.conversions.push(conversion);
    if (keys.clickKey !== undefined) this.clickKeys.add(keys.clickKey);
    if (keys.orderKey !== undefined) this.orderKeys.add(keys.orderKey);
  }

  /** Operations `token` spent in the 24 hours before now (the window slides). */
  spentToday(token: string): number {
    const since = this.now() - 24 * 3600 * 1000;
    const spent = (this.spent.get(token) ?? []).filter((at) => at > since);
    this.spent.set(token, spent);
    return spent.length;
  }

  spend(token: string, operations: number): void {
    const spent = this.spent.get(token) ?? [];
    for (let index = 0; index < operations; index++) spent.push(this.now());
    this.spent.set(token, spent);
  }

  /** Ends a running job whose processing time has passed, applying its operations. */
  settle(job: StoredJob): StoredJob {
    if (job.status !== 'RUNNING' || job.startedAt === undefined) return job;
    if (this.now() < job.startedAt + this.processingMs) return job;
    const list = this.userLists.get(job.userList.split('/').at(-1) ?? '');
    if (list === undefined) {
      job.status = 'FAILED';
      job.failureReason = 'UNKNOWN';
      return job;
    }
    let uploaded = 0;
    let matched = 0;
    for (const operation of job.operations) {
      if (operation.kind === 'removeAll') list.members.clear();
      for (const identifier of operation.identifiers) {
        if (operation.kind === 'create') {
          list.members.add(identifier);
          uploaded += 1;
          if (matches(identifier)) matched += 1;
        } else list.members.delete(identifier);
      }
    }
    job.status = 'SUCCESS';
    job.matchRateRange = matchRateRange(uploaded === 0 ? 1 : matched / uploaded);
    return job;
  }
}

/**
 * Whether Google would find a Google account for an identifier. The emulator has no accounts: a
 * fixed sixteenth of hashes (those ending in `0`) match nobody, so match rates are stable.
 */
function matches(identifier: string): boolean {
  return !identifier.endsWith('0');
}

/** The OfflineUserDataJobMatchRateRange of a match rate (0–1). */
function matchRateRange(rate: number): string {
  const percent = Math.round(rate * 100);
  if (percent < 20) return 'MATCH_RANGE_LESS_THAN_20';
  if (percent > 90) return 'MATCH_RANGE_91_TO_100';
  if (percent <= 30) return 'MATCH_RANGE_20_TO_30';
  const low = Math.floor((percent - 1) / 10) * 10 + 1;
  return `MATCH_RANGE_${String(low)}_TO_${String(low + 9)}`;
}
