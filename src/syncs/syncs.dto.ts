/**
 * Syncs on the wire. Their bodies and the sync they return are described once, in the sync
 * definition's schema (src/sync-definition/schema.ts), which validates them (schema-body.ts) and
 * documents them; the engine's validateSyncDefinition then checks their meaning (JSONata, fields
 * mapped twice, the vendors' objects).
 */
import { Optional } from '../common/optional';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Min } from 'class-validator';
import { PageInfoDto } from '../common/pagination';
import { mappingSchema, type Sync, syncSchema } from '../sync-definition/schema';
import { openApiSchema } from './schema-body';

/** A sync as the API returns it. */
export type SyncDto = Sync;

export const SYNC_RESPONSE = openApiSchema(syncSchema);

export class VersionDto {
  @ApiPropertyOptional({ description: 'When given, a stale version gets 409', example: 3 })
  @Optional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class SyncListDto extends PageInfoDto {
  @ApiProperty({ type: 'array', items: SYNC_RESPONSE })
  items!: SyncDto[];
}

export class MappingsDto {
  @ApiProperty()
  version!: number;

  @ApiProperty({ type: 'array', items: openApiSchema(mappingSchema) })
  items!: SyncDto['mappings'];
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
