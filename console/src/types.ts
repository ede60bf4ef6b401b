/**
 * The REST API's shapes the console reads: the types `npm run api-types` writes from the OpenAPI
 * document (api-types.ts), named as the console speaks of them. Nothing here imports the server.
 */
import type {
  ApiUsageDto,
  CheckResultDto,
  ConflictDto,
  ConnectionDto,
  ConnectorKindDto,
  FieldDescriptorDto,
  ObjectSummaryDto,
  AuditEntryDto,
  AudienceSummaryDto,
  OAuthStartedDto,
  FailedRecordDto,
  MeDto,
  RecordEventDto,
  RecordLinksDto,
  RecordMatchDto,
  RetryResultDto,
  RunCountersDto,
  RunDto,
  SyncListDto,
  SyncPreviewDto,
} from './api-types';

export { ERROR_CODES, RECORD_ACTIONS } from './api-types';

export type Me = MeDto;
export type Permission = MeDto['permissions'][number];

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

// A sync, its sides, mappings and filters: the sync definition's one schema, as the API gives it.
export type Sync = SyncListDto['items'][number];
export type SyncSide = Sync['left'];
export type HealthStatus = Sync['health']['status'];
export type FieldMapping = Sync['mappings'][number];
export type FilterGroup = NonNullable<SyncSide['filter']>;
export type TransformStep = NonNullable<
  NonNullable<FieldMapping['transforms']>['leftToRight']
>[number];

export type Run = RunDto;
export type RunStatus = RunDto['status'];
export type RunCounters = RunCountersDto;
export type RecordLinks = RecordLinksDto;
export type Connection = ConnectionDto;
/** A connector of the catalogue: its settings, secrets, credential sets, OAuth. */
export type ConnectorKind = ConnectorKindDto;
export type SettingDescriptor = ConnectorKindDto['settings'][number];
export type OAuthStarted = OAuthStartedDto;
/** A field of a connection's object, as discover describes it. */
export type FieldInfo = FieldDescriptorDto;
export type ObjectInfo = ObjectSummaryDto;
export type AuditEntry = AuditEntryDto;
export type AudienceInfo = AudienceSummaryDto;
export type Direction = NonNullable<Sync['direction']>;
export type MappingDirection = FieldMapping['direction'];
export type Policy = NonNullable<FieldMapping['policy']>;
export type Normalizer = NonNullable<Sync['match']>['normalizer'];
export type ApiUsage = ApiUsageDto;

export function isActive(status: RunStatus): boolean {
  return status === 'queued' || status === 'running';
}

/** A field's value as the API gives it. */
export type FieldValue = string | number | boolean | string[] | null;

export type Conflict = ConflictDto;
export type ConflictStatus = ConflictDto['status'];
export type CheckResult = CheckResultDto;
export type SyncPreview = SyncPreviewDto;
/** One line of a sync log. */
export type RecordEvent = RecordEventDto;
export type FailedRecord = FailedRecordDto;
export type RetryResult = RetryResultDto;
/** A linked record found by its email (GET /records?email=). */
export type RecordMatch = RecordMatchDto;
