/**
 * The REST API's types, generated from its OpenAPI document by `npm run api-types`
 * (src/api-types.ts). Do not edit: change the DTOs and run it again.
 */

export interface ApiSchemas {
  ApiErrorDetailSchema?: ApiErrorDetailSchema;
  ApiErrorSchema?: ApiErrorSchema;
  ApiErrorBodySchema?: ApiErrorBodySchema;
  CreateApiKeyDto?: CreateApiKeyDto;
  CreatedApiKeyDto?: CreatedApiKeyDto;
  ApiKeyDto?: ApiKeyDto;
  ApiKeyListDto?: ApiKeyListDto;
  MeDto?: MeDto;
  SettingDescriptorDto?: SettingDescriptorDto;
  ConnectorOAuthDto?: ConnectorOAuthDto;
  ConnectorKindDto?: ConnectorKindDto;
  ConnectorCatalogueDto?: ConnectorCatalogueDto;
  StartOAuthDto?: StartOAuthDto;
  OAuthStartedDto?: OAuthStartedDto;
  CompleteOAuthDto?: CompleteOAuthDto;
  RecordLinksDto?: RecordLinksDto;
  ConnectionDto?: ConnectionDto;
  CreateConnectionDto?: CreateConnectionDto;
  ConnectionListDto?: ConnectionListDto;
  UpdateConnectionDto?: UpdateConnectionDto;
  CheckResultDto?: CheckResultDto;
  ObjectSummaryDto?: ObjectSummaryDto;
  ObjectListDto?: ObjectListDto;
  PicklistOptionDto?: PicklistOptionDto;
  FieldDescriptorDto?: FieldDescriptorDto;
  FieldListDto?: FieldListDto;
  AudienceSummaryDto?: AudienceSummaryDto;
  AudienceListDto?: AudienceListDto;
  VendorBudgetDto?: VendorBudgetDto;
  ApiUsageDto?: ApiUsageDto;
  AuditEntryDto?: AuditEntryDto;
  AuditListDto?: AuditListDto;
  SyncListDto?: SyncListDto;
  VersionDto?: VersionDto;
  SentAlertDto?: SentAlertDto;
  SentAlertListDto?: SentAlertListDto;
  MappingsDto?: MappingsDto;
  ProblemDto?: ProblemDto;
  ValidationResultDto?: ValidationResultDto;
  PreviewProblemDto?: PreviewProblemDto;
  PlannedCreateDto?: PlannedCreateDto;
  FieldDiffDto?: FieldDiffDto;
  PlannedUpdateDto?: PlannedUpdateDto;
  PlannedConflictDto?: PlannedConflictDto;
  PlannedSkipDto?: PlannedSkipDto;
  PlannedEventDto?: PlannedEventDto;
  PlannedMemberDto?: PlannedMemberDto;
  MatchEstimateDto?: MatchEstimateDto;
  PreviewMatchingDto?: PreviewMatchingDto;
  PreviewApiCallsDto?: PreviewApiCallsDto;
  SyncPreviewDto?: SyncPreviewDto;
  PreviewRecordIdsDto?: PreviewRecordIdsDto;
  PreviewRequestDto?: PreviewRequestDto;
  ApiCallsDto?: ApiCallsDto;
  RunCountersDto?: RunCountersDto;
  RunDto?: RunDto;
  RunListDto?: RunListDto;
  RecordEventDto?: RecordEventDto;
  RecordEventListDto?: RecordEventListDto;
  TriggerRunDto?: TriggerRunDto;
  RecordMatchDto?: RecordMatchDto;
  RecordLookupDto?: RecordLookupDto;
  FailedRecordDto?: FailedRecordDto;
  FailedRecordListDto?: FailedRecordListDto;
  RetryFailedRecordsDto?: RetryFailedRecordsDto;
  RetryResultDto?: RetryResultDto;
  DiscardResultDto?: DiscardResultDto;
  ConflictResolutionDto?: ConflictResolutionDto;
  ResolutionFailureDto?: ResolutionFailureDto;
  ConflictDto?: ConflictDto;
  ConflictListDto?: ConflictListDto;
  BulkResolveConflictsDto?: BulkResolveConflictsDto;
  BulkResolveResultDto?: BulkResolveResultDto;
  ResolveConflictDto?: ResolveConflictDto;
  WebhookAcceptedDto?: WebhookAcceptedDto;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "ApiErrorDetailSchema".
 */
export interface ApiErrorDetailSchema {
  path: string;
  problem: string;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "ApiErrorSchema".
 */
export interface ApiErrorSchema {
  code: string;
  message: string;
  details: ApiErrorDetailSchema[];
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "ApiErrorBodySchema".
 */
export interface ApiErrorBodySchema {
  error: ApiErrorSchema;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "CreateApiKeyDto".
 */
export interface CreateApiKeyDto {
  /**
   * What the key is for (1 to 100 characters)
   */
  name: string;
  role: 'admin' | 'editor' | 'viewer' | 'service';
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "CreatedApiKeyDto".
 */
export interface CreatedApiKeyDto {
  id: string;
  name: string;
  role: 'admin' | 'editor' | 'viewer' | 'service';
  /**
   * The public part of the key, to recognise it
   */
  prefix: string;
  createdAt: string;
  lastUsedAt?: string | null;
  revokedAt?: string | null;
  /**
   * The key itself. Shown this once; only a hash is kept.
   */
  key: string;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "ApiKeyDto".
 */
export interface ApiKeyDto {
  id: string;
  name: string;
  role: 'admin' | 'editor' | 'viewer' | 'service';
  /**
   * The public part of the key, to recognise it
   */
  prefix: string;
  createdAt: string;
  lastUsedAt?: string | null;
  revokedAt?: string | null;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "ApiKeyListDto".
 */
export interface ApiKeyListDto {
  items: ApiKeyDto[];
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "MeDto".
 */
export interface MeDto {
  name: string;
  role: 'admin' | 'editor' | 'viewer' | 'service';
  /**
   * What this key may do (see the roles table)
   */
  permissions: (
    'read' | 'runs:read' | 'runs:trigger' | 'config:write' | 'credentials:write' | 'keys:manage'
  )[];
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "SettingDescriptorDto".
 */
export interface SettingDescriptorDto {
  name: string;
  label: string;
  type: 'string' | 'number' | 'boolean' | 'url';
  required: boolean;
  description?: string;
  default?: string | number | boolean;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "ConnectorOAuthDto".
 */
export interface ConnectorOAuthDto {
  scopes: string[];
  /**
   * The secret holding the vendor app's client id
   */
  clientId: string;
  /**
   * The secret holding the app's client secret
   */
  clientSecret: string;
  /**
   * The secret the OAuth flow fills
   */
  refreshToken: string;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "ConnectorKindDto".
 */
export interface ConnectorKindDto {
  kind: string;
  label: string;
  /**
   * The vendor's name, as the console shows it
   */
  vendor: string;
  settings: SettingDescriptorDto[];
  secrets: string[];
  /**
   * The sets of secrets that can authenticate; a connection needs one whole set
   */
  credentials?: string[][];
  /**
   * Present when the connector connects through the vendor's OAuth page (POST /connections/oauth)
   */
  oauth?: ConnectorOAuthDto;
  /**
   * What the connector can do: source (read records), records (write records), events (append events), audiences (change list members), webhooks (receive changes), jobs (long vendor-side writes). A sync needs a source on the side it reads.
   */
  capabilities: ('source' | 'records' | 'events' | 'audiences' | 'webhooks' | 'jobs')[];
  staticObjects?: string[];
  allowedHosts?: string[];
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "ConnectorCatalogueDto".
 */
export interface ConnectorCatalogueDto {
  items: ConnectorKindDto[];
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "StartOAuthDto".
 */
export interface StartOAuthDto {
  /**
   * API calls per 24 h this connection may spend; null: the connector's own daily limit
   */
  dailyCallBudget?: number | null;
  /**
   * Share of the budget past which scheduled and webhook runs wait and failed-record retries pause (manual runs still go)
   */
  budgetThreshold?: number;
  /**
   * Unique name (1 to 100 characters)
   */
  name: string;
  /**
   * A connector kind from GET /connectors
   */
  kind: string;
  /**
   * Non-secret settings
   */
  settings?: {
    [k: string]: unknown;
  };
  /**
   * Credentials: write-only, encrypted at rest, never returned (admin only)
   */
  secrets?: {
    [k: string]: unknown;
  };
  /**
   * A sandbox connection to a local emulator (needs SYNCLINE_ALLOW_SANDBOX)
   */
  sandbox?: boolean;
  /**
   * Where the vendor's page sends the browser back with a code: the console's /console/oauth/callback on this server, as registered among the redirect URLs of the vendor app
   */
  redirectUri: string;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "OAuthStartedDto".
 */
export interface OAuthStartedDto {
  /**
   * The vendor's authorize page for this attempt: send the person's browser there
   */
  authorizeUrl: string;
  /**
   * Names this attempt; the vendor sends it back with the code. Single use, for the key that started it
   */
  state: string;
  /**
   * After this the attempt is forgotten (10 minutes after its start)
   */
  expiresAt: string;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "CompleteOAuthDto".
 */
export interface CompleteOAuthDto {
  /**
   * The state the vendor sent back
   */
  state: string;
  /**
   * The authorization code the vendor sent back
   */
  code?: string;
  /**
   * The error the vendor sent back instead of a code (the person denied access)
   */
  error?: string;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "RecordLinksDto".
 */
export interface RecordLinksDto {
  template: string;
  objects?: {
    [k: string]: string;
  };
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "ConnectionDto".
 */
export interface ConnectionDto {
  id: string;
  name: string;
  kind: string;
  /**
   * The vendor's name, as the console shows it
   */
  vendor: string;
  /**
   * Links to records in the vendor's UI: `template` with `{object}` and `{id}` replaced (`objects` maps an API object name to the UI's); null when the settings do not tell where the vendor's UI is (an account id not given, or a vendor whose UI address the API's does not give).
   */
  recordLinks: RecordLinksDto | null;
  settings: {
    [k: string]: unknown;
  };
  /**
   * Names of the secrets that are set (never their values)
   */
  secretsSet: string[];
  sandbox: boolean;
  /**
   * null: the connector default
   */
  dailyCallBudget: number | null;
  budgetThreshold: number;
  createdAt: string;
  updatedAt: string;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "CreateConnectionDto".
 */
export interface CreateConnectionDto {
  /**
   * API calls per 24 h this connection may spend; null: the connector's own daily limit
   */
  dailyCallBudget?: number | null;
  /**
   * Share of the budget past which scheduled and webhook runs wait and failed-record retries pause (manual runs still go)
   */
  budgetThreshold?: number;
  /**
   * Unique name (1 to 100 characters)
   */
  name: string;
  /**
   * A connector kind from GET /connectors
   */
  kind: string;
  /**
   * Non-secret settings
   */
  settings?: {
    [k: string]: unknown;
  };
  /**
   * Credentials: write-only, encrypted at rest, never returned (admin only)
   */
  secrets?: {
    [k: string]: unknown;
  };
  /**
   * A sandbox connection to a local emulator (needs SYNCLINE_ALLOW_SANDBOX)
   */
  sandbox?: boolean;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "ConnectionListDto".
 */
export interface ConnectionListDto {
  /**
   * Pass as `cursor` for the next page; null on the last
   */
  nextCursor: string | null;
  items: ConnectionDto[];
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "UpdateConnectionDto".
 */
export interface UpdateConnectionDto {
  /**
   * API calls per 24 h this connection may spend; null: the connector's own daily limit
   */
  dailyCallBudget?: number | null;
  /**
   * Share of the budget past which scheduled and webhook runs wait and failed-record retries pause (manual runs still go)
   */
  budgetThreshold?: number;
  name?: string;
  /**
   * Settings to change; a null value returns a setting to its default
   */
  settings?: {
    [k: string]: unknown;
  };
  /**
   * Secrets to set; a null value removes one (admin only)
   */
  secrets?: {
    [k: string]: unknown;
  };
  sandbox?: boolean;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "CheckResultDto".
 */
export interface CheckResultDto {
  ok: boolean;
  account?: string;
  code?: string;
  reason?: string;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "ObjectSummaryDto".
 */
export interface ObjectSummaryDto {
  name: string;
  label: string;
  /**
   * Number of fields
   */
  fieldCount: number;
  /**
   * Whether the vendor reports deletes of this object
   */
  deletes: boolean;
  writeModes: string[];
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "ObjectListDto".
 */
export interface ObjectListDto {
  items: ObjectSummaryDto[];
  /**
   * When the vendor was asked
   */
  discoveredAt: string;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "PicklistOptionDto".
 */
export interface PicklistOptionDto {
  value: string;
  label: string;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "FieldDescriptorDto".
 */
export interface FieldDescriptorDto {
  name: string;
  label: string;
  type:
    | 'string'
    | 'text'
    | 'number'
    | 'integer'
    | 'boolean'
    | 'date'
    | 'datetime'
    | 'enum'
    | 'multi_enum'
    | 'reference'
    | 'email'
    | 'phone'
    | 'url'
    | 'id'
    | 'json';
  required: boolean;
  readOnly: boolean;
  unique: boolean;
  /**
   * Usable as the key of the vendor's native upsert
   */
  externalId: boolean;
  options?: PicklistOptionDto[];
  referenceTo?: string;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "FieldListDto".
 */
export interface FieldListDto {
  object: string;
  items: FieldDescriptorDto[];
  /**
   * When the vendor was asked
   */
  discoveredAt: string;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "AudienceSummaryDto".
 */
export interface AudienceSummaryDto {
  /**
   * As an audience sync names it: right.object, or left.audience
   */
  id: string;
  name: string;
  /**
   * Whether a sync can change its members (a MANUAL list, a tag; not a dynamic list or a saved segment)
   */
  writable: boolean;
  /**
   * Why it is not writable
   */
  reason?: string;
  /**
   * Whether an audience sync can read its members as its source's set (left.audience)
   */
  readable: boolean;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "AudienceListDto".
 */
export interface AudienceListDto {
  items: AudienceSummaryDto[];
  /**
   * When the vendor was asked
   */
  discoveredAt: string;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "VendorBudgetDto".
 */
export interface VendorBudgetDto {
  /**
   * The connector's name of the budget
   */
  name: string;
  /**
   * Calls the vendor allows in the window
   */
  limit: number;
  /**
   * Calls left, as the vendor counts them
   */
  remaining: number;
  /**
   * The window, ms
   */
  windowMs: number | null;
  /**
   * When the vendor said so (its last answer)
   */
  observedAt: string;
  /**
   * When the vendor resets the budget, where the connector knows (a daily quota)
   */
  resetsAt: string | null;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "ApiUsageDto".
 */
export interface ApiUsageDto {
  connectionId: string;
  /**
   * Start of the window: 24 hours ago, or the vendor's last reset where its daily budget resets at a fixed hour (where the connector declares one)
   */
  since: string;
  /**
   * API calls made through this connection by runs started in the window (all syncs, the side it is on)
   */
  calls: number;
  /**
   * Calls allowed per 24 h (the connection's setting or the connector's default)
   */
  budget: number | null;
  remaining: number | null;
  /**
   * calls / budget, 0 to 1 and above
   */
  used: number | null;
  /**
   * The connection's budget threshold
   */
  threshold: number;
  /**
   * Past the threshold, or a vendor said its budget is spent until it resets: scheduled and webhook runs wait, failed-record retries pause; manual runs still go
   */
  pastThreshold: boolean;
  /**
   * When a vendor said its budget is spent: the reset time until which runs wait
   */
  spentUntil: string | null;
  /**
   * The budgets the vendor reported in its last answers' headers (empty when it sends none, or before a run)
   */
  vendorBudgets: VendorBudgetDto[];
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "AuditEntryDto".
 */
export interface AuditEntryDto {
  id: string;
  at: string;
  /**
   * The API key that made the change
   */
  apiKeyId: string | null;
  /**
   * That key's name; null for Syncline itself or a key deleted since
   */
  apiKeyName: string | null;
  action: string;
  targetType: string;
  targetId: string;
  /**
   * What changed; a sync.updated entry has `fields` (those given), `version` (the new one) and `changes` (the definition's differences as `syncline plan` shows them: op, path, label, from, to)
   */
  details: {
    [k: string]: unknown;
  };
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "AuditListDto".
 */
export interface AuditListDto {
  items: AuditEntryDto[];
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "SyncListDto".
 */
export interface SyncListDto {
  /**
   * Pass as `cursor` for the next page; null on the last
   */
  nextCursor: string | null;
  items: {
    /**
     * The sync's id.
     */
    id: string;
    /**
     * The sync's name, unique.
     */
    name: string;
    /**
     * Disabled syncs have no scheduled runs.
     */
    enabled: boolean;
    /**
     * Bumped by every change.
     */
    version: number;
    /**
     * What the sync keeps in step: records (two-way or one-way record sync, matched and linked); events (each left record that passes the filter becomes one event at the right side's event type, sent once); audience (the left records that pass the filter are the members of the right side's audience).
     */
    kind: 'records' | 'events' | 'audience';
    /**
     * The left side: a connection, one of its objects, how records are written to it.
     */
    left: {
      /**
       * The connection's id (GET /api/v1/connections).
       */
      connectionId: string;
      /**
       * The vendor's object, as GET /api/v1/connections/{id}/objects names it, e.g. contacts or Contact.
       */
      object: string;
      /**
       * How records are written to this side: upsert (create or update), update (only linked or matched records), create. Required on both sides of a records sync; not used by events and audience syncs.
       */
      writeMode?: 'upsert' | 'update' | 'create';
      /**
       * Only the records of this side that pass take part in the sync.
       */
      filter?: {
        /**
         * all: every condition must hold; any: at least one.
         */
        combine: 'all' | 'any';
        conditions: {
          field: string;
          /**
           * in / not_in take a list; gt, gte, lt, lte and contains need a value; exists / not_exists none.
           */
          op:
            | 'eq'
            | 'neq'
            | 'in'
            | 'not_in'
            | 'contains'
            | 'exists'
            | 'not_exists'
            | 'gt'
            | 'gte'
            | 'lt'
            | 'lte';
          /**
           * A string, number, boolean, null or list of strings.
           */
          value?: string | number | boolean | null | string[];
        }[];
      };
      /**
       * Audience syncs, left side only: one of the source connection's lists or tags (an id GET /api/v1/connections/{id}/audiences lists), whose members are the set, read whole each run: who leaves it leaves the right side's audience. The records are of left.object; the filter still applies. Absent: every record of left.object that passes the filter.
       */
      audience?: string;
    };
    /**
     * The right side: a connection, one of its objects, how records are written to it.
     */
    right: {
      /**
       * The connection's id (GET /api/v1/connections).
       */
      connectionId: string;
      /**
       * The vendor's object, as GET /api/v1/connections/{id}/objects names it, e.g. contacts or Contact.
       */
      object: string;
      /**
       * How records are written to this side: upsert (create or update), update (only linked or matched records), create. Required on both sides of a records sync; not used by events and audience syncs.
       */
      writeMode?: 'upsert' | 'update' | 'create';
      /**
       * Only the records of this side that pass take part in the sync.
       */
      filter?: {
        /**
         * all: every condition must hold; any: at least one.
         */
        combine: 'all' | 'any';
        conditions: {
          field: string;
          /**
           * in / not_in take a list; gt, gte, lt, lte and contains need a value; exists / not_exists none.
           */
          op:
            | 'eq'
            | 'neq'
            | 'in'
            | 'not_in'
            | 'contains'
            | 'exists'
            | 'not_exists'
            | 'gt'
            | 'gte'
            | 'lt'
            | 'lte';
          /**
           * A string, number, boolean, null or list of strings.
           */
          value?: string | number | boolean | null | string[];
        }[];
      };
      /**
       * Audience syncs, left side only: one of the source connection's lists or tags (an id GET /api/v1/connections/{id}/audiences lists), whose members are the set, read whole each run: who leaves it leaves the right side's audience. The records are of left.object; the filter still applies. Absent: every record of left.object that passes the filter.
       */
      audience?: string;
    };
    /**
     * Which way records flow: left_to_right, right_to_left, or bidirectional (two-way). Required for a records sync; events and audience syncs flow left to right.
     */
    direction?: 'left_to_right' | 'right_to_left' | 'bidirectional';
    /**
     * How a record without a link finds its counterpart on the other side: equal normalised keys.
     */
    match?: {
      /**
       * Key field on the left object, e.g. email.
       */
      left: string;
      /**
       * Key field on the right object, e.g. Email.
       */
      right: string;
      /**
       * email: trimmed, lower-case; trim: trimmed; case_insensitive: trimmed, lower-case; exact: as is.
       */
      normalizer: 'email' | 'domain' | 'trim' | 'case_insensitive' | 'exact';
    };
    /**
     * Events and audience syncs: who each record is about, by the destination's identifier types, each a source field. Values are normalised and hashed by the destination's rules before they leave Syncline; a record with none of them is skipped.
     */
    identifiers?: {
      /**
       * The source field holding the person's email address.
       */
      email?: string;
      /**
       * The source field holding the person's phone number.
       */
      phone?: string;
      /**
       * The source field holding the person's first name.
       */
      first_name?: string;
      /**
       * The source field holding the person's last name.
       */
      last_name?: string;
      /**
       * The source field holding the person's postal code.
       */
      zip?: string;
      /**
       * The source field holding the person's country (ISO 3166-1 alpha-2).
       */
      country?: string;
      /**
       * The source field holding the person's id at the destination (a click id, a lead id).
       */
      vendor_id?: string;
    };
    /**
     * Events and audience syncs: the destination's consent signals (its connector names them, e.g. ad_user_data, ad_personalization), each read from a source field: true, granted, yes or 1 grant it; false, denied, no or 0 deny it. A person without a signal the destination requires is not sent and is logged as no_consent.
     */
    consent?: {
      [k: string]: unknown;
    };
    /**
     * Events syncs: how a source record becomes an event at the right side's event type (right.object).
     */
    events?: {
      /**
       * The event key, a template over source fields, e.g. "opportunity-{Id}-{StageName}": the same source state gives the same key, so the destination never counts an event twice.
       */
      key: string;
      /**
       * The source field holding when the event happened; the record's modification time when absent.
       */
      occurredAt?: string;
      /**
       * Backfill: events that happened before this time are not sent (absent: every event the source holds that the destination accepts).
       */
      since?: string;
    };
    /**
     * Field mappings, in order. Each field is written at most once per side.
     */
    mappings: {
      /**
       * Field on the left object.
       */
      left: string;
      /**
       * Field on the right object.
       */
      right: string;
      /**
       * Which way this field is written (within the sync's direction): both, left_to_right, right_to_left, or none (read only, e.g. kept in the snapshot).
       */
      direction: 'both' | 'left_to_right' | 'right_to_left' | 'none';
      /**
       * When both sides changed this field; defaults to the sync's defaultPolicy. left_wins / right_wins: that side's value is written to the other; prefer_left_unless_blank / prefer_right_unless_blank: that side wins unless its value is empty; latest_wins: the most recently modified record wins; manual: nothing is written, a conflict is stored for a person to resolve; unsubscribe_wins (a subscription field, with optOut): an opted-out value wins, and no value that is not opted out is ever written over one that is.
       */
      policy?:
        | 'left_wins'
        | 'right_wins'
        | 'prefer_left_unless_blank'
        | 'prefer_right_unless_blank'
        | 'latest_wins'
        | 'manual'
        | 'unsubscribe_wins';
      /**
       * For a subscription field: the values that mean the person opted out, per side (a boolean opt-out: [true]; a subscription status: ["unsubscribed", "cleaned"]). Needed by the policy unsubscribe_wins.
       */
      optOut?: {
        /**
         * Items: A string, number, boolean, null or list of strings.
         */
        left?: (string | number | boolean | null | string[])[];
        /**
         * Items: A string, number, boolean, null or list of strings.
         */
        right?: (string | number | boolean | null | string[])[];
      };
      /**
       * Never write a null over a value.
       */
      skipNulls?: boolean;
      /**
       * Write only where the target field is empty.
       */
      fillEmptyOnly?: boolean;
      /**
       * The values of this field are never kept in the sync log (its lines show the field changed, with its values masked), nor in its exports.
       */
      sensitive?: boolean;
      /**
       * Steps applied in order, per direction. A two-way field with a non-invertible transform one way needs the other way too.
       */
      transforms?: {
        /**
         * Items: One step: kind value_map, constant, template, format or jsonata.
         */
        leftToRight?: (
          | {
              kind: 'value_map';
              map: {
                [k: string]: string;
              };
              /**
               * The value of sources missing from the map (null: empty).
               */
              default?: string | null;
            }
          | {
              kind: 'constant';
              /**
               * A string, number, boolean, null or list of strings.
               */
              value: string | number | boolean | null | string[];
            }
          | {
              kind: 'template';
              template: string;
            }
          | {
              kind: 'format';
              fn:
                | 'lowercase'
                | 'uppercase'
                | 'trim'
                | 'phone_e164'
                | 'country_iso2'
                | 'date'
                | 'datetime';
              /**
               * A date pattern (yyyy MM dd HH mm ss SSS) for date and datetime; a default region (e.g. US) for phone_e164.
               */
              format?: string;
            }
          | {
              kind: 'jsonata';
              expression: string;
            }
        )[];
        /**
         * Items: One step: kind value_map, constant, template, format or jsonata.
         */
        rightToLeft?: (
          | {
              kind: 'value_map';
              map: {
                [k: string]: string;
              };
              /**
               * The value of sources missing from the map (null: empty).
               */
              default?: string | null;
            }
          | {
              kind: 'constant';
              /**
               * A string, number, boolean, null or list of strings.
               */
              value: string | number | boolean | null | string[];
            }
          | {
              kind: 'template';
              template: string;
            }
          | {
              kind: 'format';
              fn:
                | 'lowercase'
                | 'uppercase'
                | 'trim'
                | 'phone_e164'
                | 'country_iso2'
                | 'date'
                | 'datetime';
              /**
               * A date pattern (yyyy MM dd HH mm ss SSS) for date and datetime; a default region (e.g. US) for phone_e164.
               */
              format?: string;
            }
          | {
              kind: 'jsonata';
              expression: string;
            }
        )[];
      };
    }[];
    /**
     * When both sides changed a field since the last sync, the policy of mappings without their own. left_wins / right_wins: that side's value is written to the other; prefer_left_unless_blank / prefer_right_unless_blank: that side wins unless its value is empty; latest_wins: the most recently modified record wins; manual: nothing is written, a conflict is stored for a person to resolve; unsubscribe_wins (a subscription field, with optOut): an opted-out value wins, and no value that is not opted out is ever written over one that is.
     */
    defaultPolicy?:
      | 'left_wins'
      | 'right_wins'
      | 'prefer_left_unless_blank'
      | 'prefer_right_unless_blank'
      | 'latest_wins'
      | 'manual'
      | 'unsubscribe_wins';
    /**
     * Who wins a latest_wins tie (equal modification times).
     */
    tieBreaker?: 'left' | 'right';
    /**
     * What a delete reported by one side does: ignore it, unlink the pair, or propagate it to the other side.
     */
    deletePolicy?: 'ignore' | 'unlink' | 'propagate';
    /**
     * How far before its cursor an incremental read starts again, for late-indexed records (milliseconds), on both sides. Absent: the lag each side's connector declares for its object (the README gives each connector's), 5 minutes for a connector that declares none.
     */
    overlapMs?: number;
    /**
     * Attempts before a failed record is marked dead.
     */
    maxAttempts?: number;
    /**
     * See the schedule of a create or update.
     */
    schedule: {
      cron?: string;
      timezone?: string;
      intervalSeconds?: number;
    } | null;
    /**
     * The next scheduled run (null without a schedule or while disabled).
     */
    nextRunAt: string | null;
    /**
     * The alert settings, the webhook URL with its path hidden (such URLs are secrets): `https://hooks.slack.com/…`.
     */
    alerts: {
      webhookUrl: string;
      failedRecordRate?: number;
      anomalyFactor?: number;
    } | null;
    health: {
      /**
       * degraded: runs end but records keep failing (the last two runs were partial; see reason); failing: the last run failed and is retried with backoff; unhealthy: SYNCLINE_UNHEALTHY_AFTER runs failed in a row (no early retry; the schedule still runs it).
       */
      status: 'healthy' | 'degraded' | 'failing' | 'unhealthy';
      consecutiveFailures: number;
      retryAt: string | null;
      /**
       * Why the sync is degraded, in words (records failing, queued, given up).
       */
      reason: string | null;
    };
    /**
     * When the sync was created.
     */
    createdAt: string;
    /**
     * When the sync last changed.
     */
    updatedAt: string;
  }[];
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "VersionDto".
 */
export interface VersionDto {
  /**
   * When given, a stale version gets 409
   */
  version?: number;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "SentAlertDto".
 */
export interface SentAlertDto {
  /**
   * When it was sent (its last attempt ended).
   */
  at: string;
  /**
   * The run it is about.
   */
  runId: string | null;
  /**
   * What happened to the sync.
   */
  kind: 'run_failed' | 'failed_records' | 'degraded' | 'record_anomaly' | 'recovered';
  /**
   * The alert's one-line message, as the webhook received it.
   */
  text: string;
  /**
   * Whether the webhook answered 2xx (after its retries).
   */
  delivered: boolean;
  /**
   * Where it went (the host only: the URL is a secret) and, when not delivered, why.
   */
  detail: string;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "SentAlertListDto".
 */
export interface SentAlertListDto {
  /**
   * The sync's alerts, newest first (the last 200 at most, kept as long as the sync log).
   */
  items: SentAlertDto[];
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "MappingsDto".
 */
export interface MappingsDto {
  version: number;
  items: {
    /**
     * Field on the left object.
     */
    left: string;
    /**
     * Field on the right object.
     */
    right: string;
    /**
     * Which way this field is written (within the sync's direction): both, left_to_right, right_to_left, or none (read only, e.g. kept in the snapshot).
     */
    direction: 'both' | 'left_to_right' | 'right_to_left' | 'none';
    /**
     * When both sides changed this field; defaults to the sync's defaultPolicy. left_wins / right_wins: that side's value is written to the other; prefer_left_unless_blank / prefer_right_unless_blank: that side wins unless its value is empty; latest_wins: the most recently modified record wins; manual: nothing is written, a conflict is stored for a person to resolve; unsubscribe_wins (a subscription field, with optOut): an opted-out value wins, and no value that is not opted out is ever written over one that is.
     */
    policy?:
      | 'left_wins'
      | 'right_wins'
      | 'prefer_left_unless_blank'
      | 'prefer_right_unless_blank'
      | 'latest_wins'
      | 'manual'
      | 'unsubscribe_wins';
    /**
     * For a subscription field: the values that mean the person opted out, per side (a boolean opt-out: [true]; a subscription status: ["unsubscribed", "cleaned"]). Needed by the policy unsubscribe_wins.
     */
    optOut?: {
      /**
       * Items: A string, number, boolean, null or list of strings.
       */
      left?: (string | number | boolean | null | string[])[];
      /**
       * Items: A string, number, boolean, null or list of strings.
       */
      right?: (string | number | boolean | null | string[])[];
    };
    /**
     * Never write a null over a value.
     */
    skipNulls?: boolean;
    /**
     * Write only where the target field is empty.
     */
    fillEmptyOnly?: boolean;
    /**
     * The values of this field are never kept in the sync log (its lines show the field changed, with its values masked), nor in its exports.
     */
    sensitive?: boolean;
    /**
     * Steps applied in order, per direction. A two-way field with a non-invertible transform one way needs the other way too.
     */
    transforms?: {
      /**
       * Items: One step: kind value_map, constant, template, format or jsonata.
       */
      leftToRight?: (
        | {
            kind: 'value_map';
            map: {
              [k: string]: string;
            };
            /**
             * The value of sources missing from the map (null: empty).
             */
            default?: string | null;
          }
        | {
            kind: 'constant';
            /**
             * A string, number, boolean, null or list of strings.
             */
            value: string | number | boolean | null | string[];
          }
        | {
            kind: 'template';
            template: string;
          }
        | {
            kind: 'format';
            fn:
              | 'lowercase'
              | 'uppercase'
              | 'trim'
              | 'phone_e164'
              | 'country_iso2'
              | 'date'
              | 'datetime';
            /**
             * A date pattern (yyyy MM dd HH mm ss SSS) for date and datetime; a default region (e.g. US) for phone_e164.
             */
            format?: string;
          }
        | {
            kind: 'jsonata';
            expression: string;
          }
      )[];
      /**
       * Items: One step: kind value_map, constant, template, format or jsonata.
       */
      rightToLeft?: (
        | {
            kind: 'value_map';
            map: {
              [k: string]: string;
            };
            /**
             * The value of sources missing from the map (null: empty).
             */
            default?: string | null;
          }
        | {
            kind: 'constant';
            /**
             * A string, number, boolean, null or list of strings.
             */
            value: string | number | boolean | null | string[];
          }
        | {
            kind: 'template';
            template: string;
          }
        | {
            kind: 'format';
            fn:
              | 'lowercase'
              | 'uppercase'
              | 'trim'
              | 'phone_e164'
              | 'country_iso2'
              | 'date'
              | 'datetime';
            /**
             * A date pattern (yyyy MM dd HH mm ss SSS) for date and datetime; a default region (e.g. US) for phone_e164.
             */
            format?: string;
          }
        | {
            kind: 'jsonata';
            expression: string;
          }
      )[];
    };
  }[];
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "ProblemDto".
 */
export interface ProblemDto {
  path: string;
  problem: string;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "ValidationResultDto".
 */
export interface ValidationResultDto {
  valid: boolean;
  problems: ProblemDto[];
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "PreviewProblemDto".
 */
export interface PreviewProblemDto {
  path: string;
  problem: string;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "PlannedCreateDto".
 */
export interface PlannedCreateDto {
  /**
   * The side the record would be created on
   */
  side: 'left' | 'right';
  sourceId: string;
  fields: {
    [k: string]: string | number | boolean | string[] | null;
  };
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "FieldDiffDto".
 */
export interface FieldDiffDto {
  field: string;
  from: (string | number | boolean | string[]) | null;
  to: (string | number | boolean | string[]) | null;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "PlannedUpdateDto".
 */
export interface PlannedUpdateDto {
  /**
   * The side written
   */
  side: 'left' | 'right';
  id: string;
  sourceId: string;
  /**
   * The pair would be linked by matching first
   */
  newLink: boolean;
  changes: FieldDiffDto[];
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "PlannedConflictDto".
 */
export interface PlannedConflictDto {
  leftId: string;
  rightId: string;
  leftField: string;
  rightField: string;
  leftValue: (string | number | boolean | string[]) | null;
  rightValue: (string | number | boolean | string[]) | null;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "PlannedSkipDto".
 */
export interface PlannedSkipDto {
  side: 'left' | 'right';
  id: string;
  action: 'skipped' | 'ambiguous_match' | 'failed' | 'too_old' | 'no_consent';
  message: string;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "PlannedEventDto".
 */
export interface PlannedEventDto {
  /**
   * The source record
   */
  sourceId: string;
  /**
   * The event key the destination dedupes on
   */
  key: string;
  occurredAt: string;
  fields: {
    [k: string]: string | number | boolean | string[] | null;
  };
  /**
   * The identifier types it would carry (sent hashed; values not shown)
   */
  identifiers: string[];
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "PlannedMemberDto".
 */
export interface PlannedMemberDto {
  /**
   * The source record
   */
  key: string;
  /**
   * The identifier types it would carry
   */
  identifiers: string[];
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "MatchEstimateDto".
 */
export interface MatchEstimateDto {
  /**
   * Records of this side considered (read, less those filtered out)
   */
  considered: number;
  /**
   * Already linked to a record of the other side
   */
  linked: number;
  /**
   * Would be linked by matching
   */
  matched: number;
  /**
   * No match: would be created on the other side
   */
  created: number;
  /**
   * More than one candidate, or one linked elsewhere: left alone
   */
  ambiguous: number;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "PreviewMatchingDto".
 */
export interface PreviewMatchingDto {
  left: MatchEstimateDto;
  right: MatchEstimateDto;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "PreviewApiCallsDto".
 */
export interface PreviewApiCallsDto {
  left: number;
  right: number;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "SyncPreviewDto".
 */
export interface SyncPreviewDto {
  /**
   * Problems of the definition; when any, nothing was read
   */
  problems: PreviewProblemDto[];
  /**
   * Records read
   */
  read: number;
  creates: PlannedCreateDto[];
  updates: PlannedUpdateDto[];
  conflicts: PlannedConflictDto[];
  skipped: PlannedSkipDto[];
  unchanged: number;
  /**
   * Events syncs: the events that would be sent
   */
  events: PlannedEventDto[];
  /**
   * Audience syncs: who would be added
   */
  adds: PlannedMemberDto[];
  /**
   * Audience syncs: who would be removed
   */
  removes: PlannedMemberDto[];
  /**
   * Records syncs: per source side, how the records read would match the other side (the match-rate estimate before a first run); zeros for a side not read
   */
  matching: PreviewMatchingDto;
  /**
   * The vendors' API calls the preview made, per side
   */
  apiCalls: PreviewApiCallsDto;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "PreviewRecordIdsDto".
 */
export interface PreviewRecordIdsDto {
  /**
   * @maxItems 200
   */
  left?: string[];
  /**
   * @maxItems 200
   */
  right?: string[];
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "PreviewRequestDto".
 */
export interface PreviewRequestDto {
  /**
   * Records read per source side, from the start of a full read
   */
  sample?: number;
  /**
   * Preview these records (by id on their side) instead of a sample
   */
  recordIds?: PreviewRecordIdsDto;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "ApiCallsDto".
 */
export interface ApiCallsDto {
  left: number;
  right: number;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "RunCountersDto".
 */
export interface RunCountersDto {
  /**
   * API calls made per side
   */
  apiCalls: ApiCallsDto;
  /**
   * Records read so far
   */
  read: number;
  /**
   * Records created so far
   */
  created: number;
  /**
   * Records updated so far
   */
  updated: number;
  /**
   * Records unchanged so far
   */
  unchanged: number;
  /**
   * Records skipped so far
   */
  skipped: number;
  /**
   * Records deleted so far
   */
  deleted: number;
  /**
   * Records conflicts so far
   */
  conflicts: number;
  /**
   * Records failed so far
   */
  failed: number;
  /**
   * Records sent so far
   */
  sent: number;
  /**
   * Records duplicates so far
   */
  duplicates: number;
  /**
   * Records too_old so far
   */
  too_old: number;
  /**
   * Records no_consent so far
   */
  no_consent: number;
  /**
   * Records added so far
   */
  added: number;
  /**
   * Records removed so far
   */
  removed: number;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "RunDto".
 */
export interface RunDto {
  id: string;
  syncId: string;
  trigger: 'manual' | 'schedule' | 'webhook' | 'retry';
  status: 'queued' | 'running' | 'succeeded' | 'partial' | 'failed' | 'cancelled';
  /**
   * So far, while the run is running
   */
  counters: RunCountersDto;
  /**
   * When the run was requested (queued runs wait for a worker)
   */
  startedAt: string;
  finishedAt: string | null;
  /**
   * Why the run failed
   */
  error: string | null;
  /**
   * The code of the error that stopped a failed run: `budget_exhausted` when a vendor says its daily API budget is spent (the run resumes from its checkpoint once the budget resets)
   */
  errorCode:
    | 'rate_limited'
    | 'budget_exhausted'
    | 'auth_expired'
    | 'auth_invalid'
    | 'permission_denied'
    | 'server_error'
    | 'timeout'
    | 'network'
    | 'invalid_value'
    | 'required_field_missing'
    | 'duplicate'
    | 'not_found'
    | 'locked'
    | 'bad_request'
    | 'cancelled'
    | 'confirmation_required'
    | 'unknown'
    | null;
  /**
   * The worker (host:pid:instance) holding or last holding the run
   */
  workerId: string | null;
  /**
   * How often another worker took the run over after its worker stopped answering
   */
  takeovers: number;
  /**
   * Asked for as a full refresh: of an audience (the whole source read, the audience set to it), or of a records sync (every source side read whole, and linked records it does not find taken as deleted under the delete policy)
   */
  fullRefresh: boolean;
  /**
   * Started to retry failed records: it retries the sync's due failed records only, by id, and reads no changes
   */
  retryOnly: boolean;
  /**
   * Asked for with confirmFirstRun: a person confirmed the sync's first run
   */
  firstRunConfirmed: boolean;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "RunListDto".
 */
export interface RunListDto {
  items: RunDto[];
  nextCursor: string | null;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "RecordEventDto".
 */
export interface RecordEventDto {
  id: string;
  runId: string;
  syncId: string;
  /**
   * The side the action happened on
   */
  side: 'left' | 'right';
  leftId: string | null;
  rightId: string | null;
  action:
    | 'created'
    | 'updated'
    | 'deleted'
    | 'linked'
    | 'unlinked'
    | 'skipped'
    | 'conflict'
    | 'ambiguous_match'
    | 'failed'
    | 'sent'
    | 'duplicate'
    | 'too_old'
    | 'no_consent'
    | 'added'
    | 'removed'
    | 'job';
  /**
   * Fields written or in conflict
   */
  fields: string[];
  errorCode:
    | 'rate_limited'
    | 'budget_exhausted'
    | 'auth_expired'
    | 'auth_invalid'
    | 'permission_denied'
    | 'server_error'
    | 'timeout'
    | 'network'
    | 'invalid_value'
    | 'required_field_missing'
    | 'duplicate'
    | 'not_found'
    | 'locked'
    | 'bad_request'
    | 'cancelled'
    | 'confirmation_required'
    | 'unknown'
    | null;
  message: string | null;
  at: string;
  /**
   * The fields it wrote (or tried to), each with its value before and after
   */
  changes:
    | {
        field?: string;
        /**
         * The value before (null for a create)
         */
        from?: (string | number | boolean | string[]) | null;
        /**
         * The value sent
         */
        to?: (string | number | boolean | string[]) | null;
      }[]
    | null;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "RecordEventListDto".
 */
export interface RecordEventListDto {
  items: RecordEventDto[];
  nextCursor: string | null;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "TriggerRunDto".
 */
export interface TriggerRunDto {
  /**
   * Instead of the changes since the last run: audience syncs read the whole source and set the audience to it (the destination's replace where it has one, else a diff against the ledger); records syncs read every source side whole and take a linked record that read does not find as deleted, under the delete policy (what a sync needs after a vendor lost deletes it had not read). Not for events syncs (400)
   */
  fullRefresh?: boolean;
  /**
   * Run a records sync's first run even though its match-rate estimate is low: without it, a first run that would create more than SYNCLINE_FIRST_RUN_MAX_UNMATCHED_PERCENT of a side's sampled records for want of a match ends `cancelled` with errorCode `confirmation_required`, having written nothing
   */
  confirmFirstRun?: boolean;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "RecordMatchDto".
 */
export interface RecordMatchDto {
  syncId: string;
  syncName: string;
  /**
   * The record's id on the left side (null: a record of the right never linked)
   */
  leftId: string | null;
  /**
   * The record's id on the right side (null: a record of the left never linked)
   */
  rightId: string | null;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "RecordLookupDto".
 */
export interface RecordLookupDto {
  items: RecordMatchDto[];
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "FailedRecordDto".
 */
export interface FailedRecordDto {
  syncId: string;
  /**
   * The side the record was read from
   */
  side: 'left' | 'right';
  /**
   * The record's id on that side
   */
  recordId: string;
  /**
   * What failed to be written
   */
  operation: 'change' | 'delete';
  attempts: number;
  /**
   * When a run may try it again
   */
  nextAttemptAt: string;
  errorCode:
    | 'rate_limited'
    | 'budget_exhausted'
    | 'auth_expired'
    | 'auth_invalid'
    | 'permission_denied'
    | 'server_error'
    | 'timeout'
    | 'network'
    | 'invalid_value'
    | 'required_field_missing'
    | 'duplicate'
    | 'not_found'
    | 'locked'
    | 'bad_request'
    | 'cancelled'
    | 'confirmation_required'
    | 'unknown';
  message: string;
  /**
   * No longer retried (maxAttempts reached) until retried by hand
   */
  dead: boolean;
  firstFailedAt: string;
  lastFailedAt: string;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "FailedRecordListDto".
 */
export interface FailedRecordListDto {
  items: FailedRecordDto[];
  nextCursor: string | null;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "RetryFailedRecordsDto".
 */
export interface RetryFailedRecordsDto {
  side?: 'left' | 'right';
  errorCode?:
    | 'rate_limited'
    | 'budget_exhausted'
    | 'auth_expired'
    | 'auth_invalid'
    | 'permission_denied'
    | 'server_error'
    | 'timeout'
    | 'network'
    | 'invalid_value'
    | 'required_field_missing'
    | 'duplicate'
    | 'not_found'
    | 'locked'
    | 'bad_request'
    | 'cancelled'
    | 'confirmation_required'
    | 'unknown';
  /**
   * Only dead (true) or only still retried (false) records
   */
  dead?: boolean;
  /**
   * Also start a run now (trigger `retry`) instead of waiting for the next one
   */
  run?: boolean;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "RetryResultDto".
 */
export interface RetryResultDto {
  /**
   * Failed records made due now (and no longer dead)
   */
  retried: number;
  /**
   * The run started when `run` was true
   */
  run: RunDto | null;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "DiscardResultDto".
 */
export interface DiscardResultDto {
  /**
   * Failed records removed (the records are not retried any more)
   */
  discarded: number;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "ConflictResolutionDto".
 */
export interface ConflictResolutionDto {
  side?: 'left' | 'right';
  /**
   * In the left side's form
   */
  value?: (string | number | boolean | string[]) | null;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "ResolutionFailureDto".
 */
export interface ResolutionFailureDto {
  /**
   * The error's code
   */
  code: string;
  /**
   * The vendor's message
   */
  message: string;
  /**
   * When the write failed
   */
  at: string;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "ConflictDto".
 */
export interface ConflictDto {
  id: string;
  syncId: string;
  leftId: string;
  rightId: string;
  leftField: string;
  rightField: string;
  leftValue: (string | number | boolean | string[]) | null;
  rightValue: (string | number | boolean | string[]) | null;
  /**
   * open: to resolve; resolved: the next run applies it; applied: written
   */
  status: 'open' | 'resolved' | 'applied';
  resolution: ConflictResolutionDto | null;
  createdAt: string;
  resolvedAt: string | null;
  appliedAt: string | null;
  /**
   * Why the conflict is open again: its field changed after it was raised, so the resolution was not applied; null otherwise
   */
  note: string | null;
  /**
   * A resolved conflict whose write the vendor refused at the last run (each run tries again until it is applied or resolved otherwise); null otherwise
   */
  writeFailure: ResolutionFailureDto | null;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "ConflictListDto".
 */
export interface ConflictListDto {
  items: ConflictDto[];
  nextCursor: string | null;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "BulkResolveConflictsDto".
 */
export interface BulkResolveConflictsDto {
  /**
   * The conflicts to resolve, each with the same side
   *
   * @minItems 1
   * @maxItems 200
   */
  ids: [string, ...string[]];
  /**
   * Keep this side's value in each
   */
  side: 'left' | 'right';
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "BulkResolveResultDto".
 */
export interface BulkResolveResultDto {
  /**
   * The conflicts resolved by this call
   */
  resolved: ConflictDto[];
  /**
   * Those left as they were: not open (resolved meanwhile, applied), or not found
   */
  skipped: {
    id?: string;
    status?: string;
  }[];
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "ResolveConflictDto".
 */
export interface ResolveConflictDto {
  /**
   * Keep this side's value (give side or value)
   */
  side?: 'left' | 'right';
  /**
   * Write this value to both sides (give side or value), in the left side's form; the mapping's transform gives the right side's
   */
  value?: (string | number | boolean | string[]) | null;
}
/**
 * This interface was referenced by `ApiSchemas`'s JSON-Schema
 * via the `definition` "WebhookAcceptedDto".
 */
export interface WebhookAcceptedDto {
  /**
   * Events in the batch (all acknowledged)
   */
  accepted: number;
  /**
   * Syncs that read these objects and are now due for one incremental run (trigger `webhook`)
   */
  syncs: number;
}

export const RECORD_ACTIONS = [
  'created',
  'updated',
  'deleted',
  'linked',
  'unlinked',
  'skipped',
  'conflict',
  'ambiguous_match',
  'failed',
  'sent',
  'duplicate',
  'too_old',
  'no_consent',
  'added',
  'removed',
  'job',
] as const;
export const ERROR_CODES = [
  'rate_limited',
  'budget_exhausted',
  'auth_expired',
  'auth_invalid',
  'permission_denied',
  'server_error',
  'timeout',
  'network',
  'invalid_value',
  'required_field_missing',
  'duplicate',
  'not_found',
  'locked',
  'bad_request',
  'cancelled',
  'confirmation_required',
  'unknown',
] as const;
export const RUN_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'partial',
  'failed',
  'cancelled',
] as const;
export const ROLES = ['admin', 'editor', 'viewer', 'service'] as const;
