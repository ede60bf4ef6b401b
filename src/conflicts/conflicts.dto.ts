import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsUUID,
  ValidateBy,
  type ValidationOptions,
} from 'class-validator';
import { Optional } from '../common/optional';
import { PageQueryDto } from '../common/pagination';
import type { FieldValue } from '../../connectors/sdk/contract';
import { FIELD_VALUE_SCHEMA } from '../common/openapi';

const STATUSES = ['open', 'resolved', 'applied'] as const;
const SIDES = ['left', 'right'] as const;

function isFieldValue(value: unknown): value is FieldValue {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value)) ||
    (Array.isArray(value) && value.every((item) => typeof item === 'string'))
  );
}

/** A field value: string, finite number, boolean, null, or a list of strings (multi-enum). */
function IsFieldValue(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isFieldValue',
      validator: {
        validate: (value: unknown) => value === undefined || isFieldValue(value),
        defaultMessage: () =>
          'must be a string, a number, true or false, null, or a list of strings',
      },
    },
    options,
  );
}

export class ConflictResolutionDto {
  @ApiPropertyOptional({ enum: SIDES }) side?: string;
  @ApiPropertyOptional({ ...FIELD_VALUE_SCHEMA, description: "In the left side's form" })
  value?: FieldValue;
}

export class ResolutionFailureDto {
  @ApiProperty({ example: 'invalid_value', description: "The error's code" }) code!: string;
  @ApiProperty({
    example: 'Lifecycle_Stage__c: bad value for restricted picklist field: NotAStage',
    description: "The vendor's message",
  })
  message!: string;
  @ApiProperty({ format: 'date-time', description: 'When the write failed' }) at!: string;
}

export class ConflictDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) syncId!: string;
  @ApiProperty() leftId!: string;
  @ApiProperty() rightId!: string;
  @ApiProperty() leftField!: string;
  @ApiProperty() rightField!: string;
  @ApiProperty(FIELD_VALUE_SCHEMA) leftValue!: FieldValue;
  @ApiProperty(FIELD_VALUE_SCHEMA) rightValue!: FieldValue;
  @ApiProperty({
    enum: STATUSES,
    description: 'open: to resolve; resolved: the next run applies it; applied: written',
  })
  status!: string;
  @ApiProperty({ type: ConflictResolutionDto, nullable: true })
  resolution!: ConflictResolutionDto | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) resolvedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) appliedAt!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'Why the conflict is open again: its field changed after it was raised, so the resolution was not applied; null otherwise',
  })
  note!: string | null;
  @ApiProperty({
    type: ResolutionFailureDto,
    nullable: true,
    description:
      'A resolved conflict whose write the vendor refused at the last run (each run tries again until it is applied or resolved otherwise); null otherwise',
  })
  writeFailure!: ResolutionFailureDto | null;
}

export class ConflictListDto {
  @ApiProperty({ type: [ConflictDto] }) items!: ConflictDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class ConflictQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: STATUSES })
  @Optional()
  @IsIn(STATUSES)
  status?: (typeof STATUSES)[number];
}

export class AllConflictQueryDto extends ConflictQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @Optional()
  @IsUUID()
  syncId?: string;
}

/** Most conflicts resolved by one bulk call. */
export const BULK_RESOLVE_MAX = 200;

export class BulkResolveConflictsDto {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: BULK_RESOLVE_MAX,
    description: 'The conflicts to resolve, each with the same side',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BULK_RESOLVE_MAX)
  @IsUUID('all', { each: true })
  ids!: string[];

  @ApiProperty({ enum: SIDES, description: "Keep this side's value in each" })
  @IsIn(SIDES)
  side!: (typeof SIDES)[number];
}

export class BulkResolveResultDto {
  @ApiProperty({ type: [ConflictDto], description: 'The conflicts resolved by this call' })
  resolved!: ConflictDto[];
  @ApiProperty({
    type: 'array',
    items: {
      type: 'object',
      properties: { id: { type: 'string', format: 'uuid' }, status: { type: 'string' } },
    },
    description: 'Those left as they were: not open (resolved meanwhile, applied), or not found',
  })
  skipped!: Array<{ id: string; status: 'resolved' | 'applied' | 'not_found' }>;
}

export class ResolveConflictDto {
  @ApiPropertyOptional({ enum: SIDES, description: "Keep this side's value (give side or value)" })
  @Optional()
  @IsIn(SIDES)
  side?: (typeof SIDES)[number];

  @ApiPropertyOptional({
    ...FIELD_VALUE_SCHEMA,
    description:
      "Write this value to both sides (give side or value), in the left side's form; the mapping's transform gives the right side's",
  })
  @IsFieldValue()
  value?: FieldValue;
}
