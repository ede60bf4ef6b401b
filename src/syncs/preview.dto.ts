import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsObject,
  IsString,
  Max,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { Optional } from '../common/optional';
import type { FieldValue } from '../../connectors/sdk/contract';
import { FIELD_VALUE_SCHEMA } from '../common/openapi';

const SIDES = ['left', 'right'] as const;

/** Most records previewed by id per side (each is one `get` of the vendor's). */
const MAX_RECORD_IDS = 200;

export class PreviewRecordIdsDto {
  @ApiPropertyOptional({ type: [String], maxItems: MAX_RECORD_IDS })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_RECORD_IDS)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  left?: string[];

  @ApiPropertyOptional({ type: [String], maxItems: MAX_RECORD_IDS })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_RECORD_IDS)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  right?: string[];
}

export class PreviewRequestDto {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 1000,
    default: 100,
    description: 'Records read per source side, from the start of a full read',
  })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(1000)
  sample?: number;

  @ApiPropertyOptional({
    type: PreviewRecordIdsDto,
    description: 'Preview these records (by id on their side) instead of a sample',
  })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => PreviewRecordIdsDto)
  recordIds?: PreviewRecordIdsDto;
}

export class PreviewProblemDto {
  @ApiProperty() path!: string;
  @ApiProperty() problem!: string;
}

export class PlannedCreateDto {
  @ApiProperty({ enum: SIDES, description: 'The side the record would be created on' })
  side!: string;
  @ApiProperty() sourceId!: string;
  @ApiProperty({ type: 'object', additionalProperties: FIELD_VALUE_SCHEMA })
  fields!: Record<string, FieldValue>;
}

export class FieldDiffDto {
  @ApiProperty() field!: string;
  @ApiProperty(FIELD_VALUE_SCHEMA) from!: FieldValue;
  @ApiProperty(FIELD_VALUE_SCHEMA) to!: FieldValue;
}

export class PlannedUpdateDto {
  @ApiProperty({ enum: SIDES, description: 'The side written' }) side!: string;
  @ApiProperty() id!: string;
  @ApiProperty() sourceId!: string;
  @ApiProperty({ description: 'The pair would be linked by matching first' }) newLink!: boolean;
  @ApiProperty({ type: [FieldDiffDto] }) changes!: FieldDiffDto[];
}

export class PlannedConflictDto {
  @ApiProperty() leftId!: string;
  @ApiProperty() rightId!: string;
  @ApiProperty() leftField!: string;
  @ApiProperty() rightField!: string;
  @ApiProperty(FIELD_VALUE_SCHEMA) leftValue!: FieldValue;
  @ApiProperty(FIELD_VALUE_SCHEMA) rightValue!: FieldValue;
}

export class PlannedSkipDto {
  @ApiProperty({ enum: SIDES }) side!: string;
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['skipped', 'ambiguous_match', 'failed', 'too_old', 'no_consent'] })
  action!: string;
  @ApiProperty() message!: string;
}

export class PlannedEventDto {
  @ApiProperty({ description: 'The source record' }) sourceId!: string;
  @ApiProperty({ description: 'The event key the destination dedupes on' }) key!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ type: 'object', additionalProperties: FIELD_VALUE_SCHEMA }) fields!: Record<
    string,
    FieldValue
  >;
  @ApiProperty({
    type: [String],
    description: 'The identifier types it would carry (sent hashed; values not shown)',
  })
  identifiers!: string[];
}

export class PlannedMemberDto {
  @ApiProperty({ description: 'The source record' }) key!: string;
  @ApiProperty({ type: [String], description: 'The identifier types it would carry' })
  identifiers!: string[];
}

export class MatchEstimateDto {
  @ApiProperty({ description: 'Records of this side considered (read, less those filtered out)' })
  considered!: number;
  @ApiProperty({ description: 'Already linked to a record of the other side' }) linked!: number;
  @ApiProperty({ description: 'Would be linked by matching' }) matched!: number;
  @ApiProperty({ description: 'No match: would be created on the other side' }) created!: number;
  @ApiProperty({ description: 'More than one candidate, or one linked elsewhere: left alone' })
  ambiguous!: number;
}

export class PreviewMatchingDto {
  @ApiProperty({ type: MatchEstimateDto }) left!: MatchEstimateDto;
  @ApiProperty({ type: MatchEstimateDto }) right!: MatchEstimateDto;
}

export class PreviewApiCallsDto {
  @ApiProperty() left!: number;
  @ApiProperty() right!: number;
}

export class SyncPreviewDto {
  @ApiProperty({
    type: [PreviewProblemDto],
    description: 'Problems of the definition; when any, nothing was read',
  })
  problems!: PreviewProblemDto[];
  @ApiProperty({ description: 'Records read' }) read!: number;
  @ApiProperty({ type: [PlannedCreateDto] }) creates!: PlannedCreateDto[];
  @ApiProperty({ type: [PlannedUpdateDto] }) updates!: PlannedUpdateDto[];
  @ApiProperty({ type: [PlannedConflictDto] }) conflicts!: PlannedConflictDto[];
  @ApiProperty({ type: [PlannedSkipDto] }) skipped!: PlannedSkipDto[];
  @ApiProperty() unchanged!: number;
  @ApiProperty({
    type: [PlannedEventDto],
    description: 'Events syncs: the events that would be sent',
  })
  events!: PlannedEventDto[];
  @ApiProperty({ type: [PlannedMemberDto], description: 'Audience syncs: who would be added' })
  adds!: PlannedMemberDto[];
  @ApiProperty({ type: [PlannedMemberDto], description: 'Audience syncs: who would be removed' })
  removes!: PlannedMemberDto[];
  @ApiProperty({
    type: PreviewMatchingDto,
    description:
      'Records syncs: per source side, how the records read would match the other side (the match-rate estimate before a first run); zeros for a side not read',
  })
  matching!: PreviewMatchingDto;
  @ApiProperty({
    type: PreviewApiCallsDto,
    description: "The vendors' API calls the preview made, per side",
  })
  apiCalls!: PreviewApiCallsDto;
}
