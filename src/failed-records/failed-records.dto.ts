import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsUUID } from 'class-validator';
import { Optional } from '../common/optional';
import { PageQueryDto } from '../common/pagination';
import { ERROR_CODES } from '../../connectors/sdk/errors';
import { BooleanQuery } from '../common/query';
import { RunDto } from '../runs/runs.dto';

const SIDES = ['left', 'right'] as const;

export class FailedRecordDto {
  @ApiProperty({ format: 'uuid' }) syncId!: string;
  @ApiProperty({ enum: SIDES, description: 'The side the record was read from' }) side!: string;
  @ApiProperty({ description: "The record's id on that side" }) recordId!: string;
  @ApiProperty({ enum: ['change', 'delete'], description: 'What failed to be written' })
  operation!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ format: 'date-time', description: 'When a run may try it again' })
  nextAttemptAt!: string;
  @ApiProperty({ enum: ERROR_CODES }) errorCode!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ description: 'No longer retried (maxAttempts reached) until retried by hand' })
  dead!: boolean;
  @ApiProperty({ format: 'date-time' }) firstFailedAt!: string;
  @ApiProperty({ format: 'date-time' }) lastFailedAt!: string;
}

export class FailedRecordListDto {
  @ApiProperty({ type: [FailedRecordDto] }) items!: FailedRecordDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

/** Filters of a set of failed records (one sync's, or all). */
export class FailedRecordFilterDto {
  @ApiPropertyOptional({ enum: SIDES })
  @Optional()
  @IsIn(SIDES)
  side?: 'left' | 'right';

  @ApiPropertyOptional({ enum: ERROR_CODES })
  @Optional()
  @IsIn(ERROR_CODES)
  errorCode?: string;

  @ApiPropertyOptional({ description: 'Only dead (true) or only still retried (false) records' })
  @Optional()
  @BooleanQuery()
  @IsBoolean()
  dead?: boolean;
}

export class FailedRecordQueryDto extends IntersectionType(FailedRecordFilterDto, PageQueryDto) {}

export class AllFailedRecordQueryDto extends FailedRecordQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @Optional()
  @IsUUID()
  syncId?: string;
}

export class RetryFailedRecordsDto extends FailedRecordFilterDto {
  @ApiPropertyOptional({
    default: false,
    description: 'Also start a run now (trigger `retry`) instead of waiting for the next one',
  })
  @Optional()
  @IsBoolean()
  run?: boolean;
}

export class RetryResultDto {
  @ApiProperty({ description: 'Failed records made due now (and no longer dead)' })
  retried!: number;
  @ApiProperty({ type: RunDto, nullable: true, description: 'The run started when `run` was true' })
  run!: RunDto | null;
}

export class DiscardResultDto {
  @ApiProperty({ description: 'Failed records removed (the records are not retried any more)' })
  discarded!: number;
}
