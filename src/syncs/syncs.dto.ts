/**
 * Sync definitions on the wire. The DTOs check the shape (types, nesting); the engine's
 * validateSyncDefinition checks the meaning (policies, operators, JSONata, fields mapped twice),
 * so there is one list of allowed values, in the engine.
 */
import { Optional } from '../common/optional';
import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsDefined,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  ValidateIf,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageInfoDto } from '../common/pagination';
import { CONFLICT_POLICIES } from '../engine/merge';
import { FILTER_OPERATORS } from '../engine/filters';
import { MATCH_NORMALIZERS } from '../engine/normalizers';

const POLICIES = [...CONFLICT_POLICIES];

export class FilterConditionDto {
  @ApiProperty({ example: 'lifecyclestage' })
  @IsString()
  field!: string;

  @ApiProperty({ enum: [...FILTER_OPERATORS] })
  @IsString()
  op!: string;

  @ApiPropertyOptional({
    description: 'A string, number, boolean, null or array of strings',
    example: 'customer',
  })
  @Optional()
  value?: string | number | boolean | null | string[];
}

export class FilterGroupDto {
  @ApiProperty({ enum: ['all', 'any'] })
  @IsString()
  combine!: string;

  @ApiProperty({ type: [FilterConditionDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => FilterConditionDto)
  conditions!: FilterConditionDto[];
}

export class SyncSideDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  connectionId!: string;

  @ApiProperty({ example: 'contacts' })
  @IsString()
  object!: string;

  @ApiProperty({ enum: ['upsert', 'update', 'create'], example: 'upsert' })
  @IsString()
  writeMode!: string;

  @ApiPropertyOptional({ type: FilterGroupDto })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => FilterGroupDto)
  filter?: FilterGroupDto;
}

export class MatchRuleDto {
  @ApiProperty({ example: 'email' })
  @IsString()
  left!: string;

  @ApiProperty({ example: 'Email' })
  @IsString()
  right!: string;

  @ApiProperty({ enum: [...MATCH_NORMALIZERS] })
  @IsString()
  normalizer!: string;
}

export class TransformsDto {
  @ApiPropertyOptional({
    description: 'Steps applied from left to right: value_map, constant, template, format, jsonata',
    example: [{ kind: 'format', fn: 'lowercase' }],
    type: 'array',
    items: { type: 'object' },
  })
  @Optional()
  @IsArray()
  @IsObject({ each: true })
  leftToRight?: Array<Record<string, unknown>>;

  @ApiPropertyOptional({ type: 'array', items: { type: 'object' } })
  @Optional()
  @IsArray()
  @IsObject({ each: true })
  rightToLeft?: Array<Record<string, unknown>>;
}

export class FieldMappingDto {
  @ApiProperty({ example: 'firstname' })
  @IsString()
  left!: string;

  @ApiProperty({ example: 'FirstName' })
  @IsString()
  right!: string;

  @ApiProperty({ enum: ['both', 'left_to_right', 'right_to_left', 'none'] })
  @IsString()
  direction!: string;

  @ApiPropertyOptional({ type: TransformsDto })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => TransformsDto)
  transforms?: TransformsDto;

  @ApiPropertyOptional({ description: 'Never write a null over a value' })
  @Optional()
  @IsBoolean()
  skipNulls?: boolean;

  @ApiPropertyOptional({ description: 'Write only where the target is empty' })
  @Optional()
  @IsBoolean()
  fillEmptyOnly?: boolean;

  @ApiPropertyOptional({ enum: POLICIES, description: "Defaults to the sync's defaultPolicy" })
  @Optional()
  @IsString()
  policy?: string;
}

/** Everything of a sync but its name and version. */
export class SyncBodyDto {
  @ApiProperty({ type: SyncSideDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => SyncSideDto)
  left!: SyncSideDto;

  @ApiProperty({ type: SyncSideDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => SyncSideDto)
  right!: SyncSideDto;

  @ApiProperty({ enum: ['left_to_right', 'right_to_left', 'bidirectional'] })
  @IsString()
  direction!: string;

  @ApiProperty({ type: MatchRuleDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => MatchRuleDto)
  match!: MatchRuleDto;

  @ApiProperty({ type: [FieldMappingDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => FieldMappingDto)
  mappings!: FieldMappingDto[];

  @ApiPropertyOptional({
    enum: POLICIES,
    default: 'manual',
    description: 'When both sides changed a field',
  })
  @Optional()
  @IsString()
  defaultPolicy?: string;

  @ApiPropertyOptional({
    enum: ['left', 'right'],
    default: 'left',
    description: 'Who wins a latest_wins tie',
  })
  @Optional()
  @IsString()
  tieBreaker?: string;

  @ApiPropertyOptional({ enum: ['ignore', 'unlink', 'propagate'], default: 'ignore' })
  @Optional()
  @IsString()
  deletePolicy?: string;

  @ApiPropertyOptional({ default: 300000, description: 'Re-read window before the cursor (ms)' })
  @Optional()
  @IsNumber()
  @Min(0)
  overlapMs?: number;

  @ApiPropertyOptional({ default: 10, description: 'Attempts before a failed record is dead' })
  @Optional()
  @IsInt()
  @Min(1)
  maxAttempts?: number;
}

/** When a sync runs and whom it tells: set on create and update, outside the engine's definition. */
export class SyncRunSettingsDto {
  @ApiPropertyOptional({
    nullable: true,
    description:
      'When scheduled runs happen: `{ "cron": "*/15 * * * *", "timezone": "Europe/Paris" }` (5 fields, or 6 with seconds first; timezone defaults to UTC) or `{ "intervalSeconds": 300 }`; null: manual and webhook runs only',
    example: { cron: '*/15 * * * *', timezone: 'Europe/Paris' },
  })
  @IsOptional()
  @ValidateIf((_object, value) => value !== null)
  @IsObject()
  schedule?: Record<string, unknown> | null;

  @ApiPropertyOptional({
    nullable: true,
    description:
      'Alerts: a webhook (Slack-compatible payload) called when a run fails, when the share of failed records of a run passes failedRecordRate (0 to 1), and on recovery; null: none',
    example: {
      webhookUrl: 'https://hooks.slack.com/services/T000/B000/XXXX',
      failedRecordRate: 0.05,
    },
  })
  @IsOptional()
  @ValidateIf((_object, value) => value !== null)
  @IsObject()
  alerts?: Record<string, unknown> | null;
}

export class CreateSyncDto extends IntersectionType(SyncBodyDto, SyncRunSettingsDto) {
  @ApiProperty({ example: 'CRM contacts ↔ billing customers' })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @ApiPropertyOptional({ default: true })
  @Optional()
  @IsBoolean()
  enabled?: boolean;
}

export class UpdateSyncDto extends SyncRunSettingsDto {
  @ApiProperty({
    description: 'The version this change is based on; a stale one gets 409',
    example: 3,
  })
  @IsInt()
  @Min(1)
  version!: number;

  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ type: SyncSideDto })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => SyncSideDto)
  left?: SyncSideDto;

  @ApiPropertyOptional({ type: SyncSideDto })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => SyncSideDto)
  right?: SyncSideDto;

  @ApiPropertyOptional({ enum: ['left_to_right', 'right_to_left', 'bidirectional'] })
  @Optional()
  @IsString()
  direction?: string;

  @ApiPropertyOptional({ type: MatchRuleDto })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => MatchRuleDto)
  match?: MatchRuleDto;

  @ApiPropertyOptional({ type: [FieldMappingDto] })
  @Optional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => FieldMappingDto)
  mappings?: FieldMappingDto[];

  @ApiPropertyOptional({ enum: POLICIES })
  @Optional()
  @IsString()
  defaultPolicy?: string;

  @ApiPropertyOptional({ enum: ['left', 'right'] })
  @Optional()
  @IsString()
  tieBreaker?: string;

  @ApiPropertyOptional({ enum: ['ignore', 'unlink', 'propagate'] })
  @Optional()
  @IsString()
  deletePolicy?: string;

  @ApiPropertyOptional()
  @Optional()
  @IsNumber()
  @Min(0)
  overlapMs?: number;

  @ApiPropertyOptional()
  @Optional()
  @IsInt()
  @Min(1)
  maxAttempts?: number;
}

export class ReplaceMappingsDto {
  @ApiProperty({ example: 3 })
  @IsInt()
  @Min(1)
  version!: number;

  @ApiProperty({ type: [FieldMappingDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => FieldMappingDto)
  mappings!: FieldMappingDto[];
}

export class ChangeMappingDto {
  @ApiProperty({ example: 3 })
  @IsInt()
  @Min(1)
  version!: number;

  @ApiProperty({ type: FieldMappingDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => FieldMappingDto)
  mapping!: FieldMappingDto;
}

export class VersionDto {
  @ApiPropertyOptional({ description: 'When given, a stale version gets 409', example: 3 })
  @Optional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class SyncHealthDto {
  @ApiProperty({
    enum: ['healthy', 'failing', 'unhealthy'],
    description:
      'failing: the last run failed and is retried with backoff; unhealthy: SYNCLINE_UNHEALTHY_AFTER runs failed in a row (no early retry; the schedule still runs it)',
  })
  status!: 'healthy' | 'failing' | 'unhealthy';

  @ApiProperty()
  consecutiveFailures!: number;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  retryAt!: string | null;
}

export class SyncAlertsDto {
  @ApiProperty({
    example: 'https://hooks.slack.com/…',
    description: 'The webhook URL with its path hidden (such URLs are secrets)',
  })
  webhookUrl!: string;

  @ApiPropertyOptional({ example: 0.05 })
  failedRecordRate?: number;
}

export class SyncDto extends SyncBodyDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ description: 'Bumped by every change' })
  version!: number;

  @ApiProperty({
    nullable: true,
    type: Object,
    example: { intervalSeconds: 300 },
    description: 'See the schedule of a create or update',
  })
  schedule!: Record<string, unknown> | null;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'The next scheduled run (null without a schedule or while disabled)',
  })
  nextRunAt!: string | null;

  @ApiProperty({ type: SyncAlertsDto, nullable: true })
  alerts!: SyncAlertsDto | null;

  @ApiProperty({ type: SyncHealthDto })
  health!: SyncHealthDto;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class SyncListDto extends PageInfoDto {
  @ApiProperty({ type: [SyncDto] })
  items!: SyncDto[];
}

export class MappingsDto {
  @ApiProperty()
  version!: number;

  @ApiProperty({ type: [FieldMappingDto] })
  items!: FieldMappingDto[];
}

export class ProblemDto {
  @ApiProperty({ example: 'mappings[2].right' })
  path!: string;

  @ApiProperty({ example: 'right field "Emial" does not exist on Contact' })
  problem!: string;
}

export class ValidationResultDto {
  @ApiProperty()
  valid!: boolean;

  @ApiProperty({ type: [ProblemDto] })
  problems!: ProblemDto[];
}
