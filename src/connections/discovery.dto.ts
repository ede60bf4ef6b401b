import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { Optional } from '../common/optional';
import type { FieldType } from '../../connectors/sdk/contract';
import { BooleanQuery } from '../common/query';

const FIELD_TYPES: readonly FieldType[] = [
  'string',
  'text',
  'number',
  'integer',
  'boolean',
  'date',
  'datetime',
  'enum',
  'multi_enum',
  'reference',
  'email',
  'phone',
  'url',
  'id',
  'json',
];

export class DiscoveryQueryDto {
  @ApiPropertyOptional({ description: "Ask the vendor again instead of the few minutes' cache" })
  @Optional()
  @BooleanQuery()
  @IsBoolean()
  refresh?: boolean;
}

export class PicklistOptionDto {
  @ApiProperty() value!: string;
  @ApiProperty() label!: string;
}

export class FieldDescriptorDto {
  @ApiProperty() name!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ enum: FIELD_TYPES, example: 'email' })
  type!: string;
  @ApiProperty() required!: boolean;
  @ApiProperty() readOnly!: boolean;
  @ApiProperty() unique!: boolean;
  @ApiProperty({ description: "Usable as the key of the vendor's native upsert" })
  externalId!: boolean;
  @ApiPropertyOptional({ type: [PicklistOptionDto] }) options?: PicklistOptionDto[];
  @ApiPropertyOptional() referenceTo?: string;
}

export class ObjectSummaryDto {
  @ApiProperty({ example: 'contacts' }) name!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ description: 'Number of fields' }) fieldCount!: number;
  @ApiProperty({ description: 'Whether the vendor reports deletes of this object' })
  deletes!: boolean;
  @ApiProperty({ type: [String], example: ['upsert', 'update'] }) writeModes!: string[];
}

export class ObjectListDto {
  @ApiProperty({ type: [ObjectSummaryDto] }) items!: ObjectSummaryDto[];
  @ApiProperty({ format: 'date-time', description: 'When the vendor was asked' })
  discoveredAt!: string;
}

export class FieldListDto {
  @ApiProperty() object!: string;
  @ApiProperty({ type: [FieldDescriptorDto] }) items!: FieldDescriptorDto[];
  @ApiProperty({ format: 'date-time', description: 'When the vendor was asked' })
  discoveredAt!: string;
}

export class AudienceSummaryDto {
  @ApiProperty({
    example: '10001',
    description: 'As an audience sync names it: right.object, or left.audience',
  })
  id!: string;
  @ApiProperty({ example: 'Customers' }) name!: string;
  @ApiProperty({
    description:
      'Whether a sync can change its members (a MANUAL list, a tag; not a dynamic list or a saved segment)',
  })
  writable!: boolean;
  @ApiPropertyOptional({ description: 'Why it is not writable' }) reason?: string;
  @ApiProperty({
    description:
      "Whether an audience sync can read its members as its source's set (left.audience)",
  })
  readable!: boolean;
}

export class AudienceListDto {
  @ApiProperty({ type: [AudienceSummaryDto] }) items!: AudienceSummaryDto[];
  @ApiProperty({ format: 'date-time', description: 'When the vendor was asked' })
  discoveredAt!: string;
}
