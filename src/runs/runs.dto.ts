import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsISO8601,
  IsInt,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { Optional } from '../common/optional';
import { ERROR_CODES } from '../../connectors/sdk/errors';
import { RECORD_ACTIONS, RECORD_COUNTERS, type RecordCounter, RUN_STATUSES } from '../engine/ports';
import { FIELD_VALUE_SCHEMA } from '../common/openapi';
import { PageQueryDto } from '../common/pagination';

/**
 * A calendar date or date-time. IsISO8601 alone also passes ISO week and ordinal dates
 * (2026-W48, 2026-328), which Postgres cannot read: they reached the query and answered 500.
 */
const DATE_TIME =
  /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;
const DATE_TIME_MESSAGE = '$property must be a date or date-time, e.g. 2026-11-24T07:00:00Z';

/** A real calendar date (strict: 2020-02-30 is refused rather than sent to Postgres). */
function IsDateTime(): PropertyDecorator {
  return applyDecorators(
    IsISO8601({ strict: true }, { message: DATE_TIME_MESSAGE }),
    Matches(DATE_TIME, { message: DATE_TIME_MESSAGE }),
  );
}

/** API calls a run made, per side. */
export class ApiCallsDto {
  @ApiProperty({ type: 'integer', example: 3 }) left!: number;
  @ApiProperty({ type: 'integer', example: 2 }) right!: number;
}

/** The run's counters: one per RECORD_COUNTERS (declared below, from that list), and API calls. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the counters' types, from the list
export interface RunCountersDto extends Record<RecordCounter, number> {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the class the OpenAPI document reads
export class RunCountersDto {
  @ApiProperty({ type: ApiCallsDto, description: 'API calls made per side' })
  apiCalls!: ApiCallsDto;
}
for (const name of RECORD_COUNTERS)
  ApiProperty({ type: 'integer', description: `Records ${name} so far` })(
    RunCountersDto.prototype,
    name,
  );

export class RunDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) syncId!: string;
  @ApiProperty({ enum: ['manual', 'schedule', 'webhook', 'retry'] }) trigger!: string;
  @ApiProperty({ enum: RUN_STATUSES }) status!: string;
  @ApiProperty({ type: RunCountersDto, description: 'So far, while the run is running' })
  counters!: RunCountersDto;
  @ApiProperty({
    format: 'date-time',
    description: 'When the run was requested (queued runs wait for a worker)',
  })
  startedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finishedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why the run failed' }) error!:
    string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    enum: ERROR_CODES,
    description:
      'The code of the error that stopped a failed run: `budget_exhausted` when a vendor says its daily API budget is spent (the run resumes from its checkpoint once the budget resets)',
  })
  errorCode!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'syncline-2:4711:1a2b3c4d',
    description: 'The worker (host:pid:instance) holding or last holding the run',
  })
  workerId!: string | null;
  @ApiProperty({
    description: 'How often another worker took the run over after its worker stopped answering',
  })
  takeovers!: number;
  @ApiProperty({
    description:
      'Asked for as a full refresh: of an audience (the whole source read, the audience set to it), or of a records sync (every source side read whole, and linked records it does not find taken as deleted under the delete policy)',
  })
  fullRefresh!: boolean;
  @ApiProperty({
    description:
      "Started to retry failed records: it retries the sync's due failed records only, by id, and reads no changes",
  })
  retryOnly!: boolean;
  @ApiProperty({
    description: "Asked for with confirmFirstRun: a person confirmed the sync's first run",
  })
  firstRunConfirmed!: boolean;
}

export class TriggerRunDto {
  @ApiPropertyOptional({
    default: false,
    description:
      "Instead of the changes since the last run: audience syncs read the whole source and set the audience to it (the destination's replace where it has one, else a diff against the ledger); records syncs read every source side whole and take a linked record that read does not find as deleted, under the delete policy (what a sync needs after a vendor lost deletes it had not read). Not for events syncs (400)",
  })
  @Optional()
  @IsBoolean()
  fullRefresh?: boolean;

  @ApiPropertyOptional({
    default: false,
    description:
      "Run a records sync's first run even though its match-rate estimate is low: without it, a first run that would create more than SYNCLINE_FIRST_RUN_MAX_UNMATCHED_PERCENT of a side's sampled records for want of a match ends `cancelled` with errorCode `confirmation_required`, having written nothing",
  })
  @Optional()
  @IsBoolean()
  confirmFirstRun?: boolean;
}

export class RunListDto {
  @ApiProperty({ type: [RunDto] }) items!: RunDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class RunQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @Optional()
  @IsUUID()
  syncId?: string;

  @ApiPropertyOptional({ enum: RUN_STATUSES })
  @Optional()
  @IsIn(RUN_STATUSES)
  status?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Runs started at or after' })
  @Optional()
  @IsDateTime()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Runs started before' })
  @Optional()
  @IsDateTime()
  to?: string;
}

export class RecordEventDto {
  @ApiProperty({ example: '1042' }) id!: string;
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty({ format: 'uuid' }) syncId!: string;
  @ApiProperty({ enum: ['left', 'right'], description: 'The side the action happened on' })
  side!: string;
  @ApiProperty({ nullable: true, type: String }) leftId!: string | null;
  @ApiProperty({ nullable: true, type: String }) rightId!: string | null;
  @ApiProperty({ enum: RECORD_ACTIONS }) action!: string;
  @ApiProperty({ type: [String], description: 'Fields written or in conflict' }) fields!: string[];
  @ApiProperty({ nullable: true, type: String, enum: ERROR_CODES }) errorCode!: string | null;
  @ApiProperty({ nullable: true, type: String }) message!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({
    nullable: true,
    type: 'array',
    items: {
      type: 'object',
      properties: {
        field: { type: 'string' },
        from: { ...FIELD_VALUE_SCHEMA, description: 'The value before (null for a create)' },
        to: { ...FIELD_VALUE_SCHEMA, description: 'The value sent' },
      },
    },
    description: 'The fields it wrote (or tried to), each with its value before and after',
  })
  changes!: Array<{ field: string; from: unknown; to: unknown }> | null;
}

export class RecordEventListDto {
  @ApiProperty({ type: [RecordEventDto] }) items!: RecordEventDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class EventQueryDto {
  @ApiPropertyOptional({ enum: RECORD_ACTIONS })
  @Optional()
  @IsIn(RECORD_ACTIONS)
  action?: string;

  @ApiPropertyOptional({ enum: ERROR_CODES })
  @Optional()
  @IsIn(ERROR_CODES)
  errorCode?: string;

  @ApiPropertyOptional({ description: 'A record id on either side' })
  @Optional()
  @IsString()
  recordId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "One run's lines (of a sync's log)" })
  @Optional()
  @IsUUID()
  runId?: string;

  @ApiPropertyOptional({
    description:
      'Lines about the record with this email (its match key as read, without case), or about the records linked by it',
    example: 'ann@example.com',
  })
  @Optional()
  @IsString()
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({
    description:
      'Lines whose values written (before or after) contain this text, without case: a name, a company (masked values are never matched)',
    example: 'Lovelace',
  })
  @Optional()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  text?: string;

  @ApiPropertyOptional({ description: 'Events that wrote or conflicted on this field' })
  @Optional()
  @IsString()
  field?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @Optional()
  @IsDateTime()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @Optional()
  @IsDateTime()
  to?: string;

  @ApiPropertyOptional({
    enum: ['oldest', 'newest'],
    default: 'oldest',
    description: 'oldest: the log as it was written (the default); newest: the latest lines first',
  })
  @Optional()
  @IsIn(['oldest', 'newest'])
  order?: 'oldest' | 'newest';

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional()
  @Optional()
  @IsString()
  cursor?: string;
}

export class EventExportQueryDto extends EventQueryDto {
  @ApiPropertyOptional({
    enum: ['csv', 'json'],
    default: 'csv',
    description:
      'csv: one line per log line (fields joined by ;, changes as JSON); json: an array of log lines. Up to 100,000 lines; the header X-Syncline-Truncated says when more matched.',
  })
  @Optional()
  @IsIn(['csv', 'json'])
  format?: 'csv' | 'json';
}

export class RecordLookupQueryDto {
  @ApiProperty({
    example: 'ann@example.com',
    description: "A value of the sync's match field (an email, compared without case)",
  })
  @IsString()
  @Length(1, 320)
  email!: string;
}

export class RecordMatchDto {
  @ApiProperty({ format: 'uuid' }) syncId!: string;
  @ApiProperty() syncName!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: "The record's id on the left side (null: a record of the right never linked)",
  })
  leftId!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: "The record's id on the right side (null: a record of the left never linked)",
  })
  rightId!: string | null;
}

export class RecordLookupDto {
  @ApiProperty({ type: [RecordMatchDto] }) items!: RecordMatchDto[];
}
