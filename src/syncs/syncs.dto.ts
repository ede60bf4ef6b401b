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
import { SENT_ALERTS_PER_SYNC } from '../persistence/sent-alerts';

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

export class SentAlertDto {
  @ApiProperty({ format: 'date-time', description: 'When it was sent (its last attempt ended).' })
  at!: string;

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: 'string',
    description: 'The run it is about.',
  })
  runId!: string | null;

  @ApiProperty({
    enum: ['run_failed', 'failed_records', 'degraded', 'record_anomaly', 'recovered'],
    description: 'What happened to the sync.',
  })
  kind!: string;

  @ApiProperty({ description: "The alert's one-line message, as the webhook received it." })
  text!: string;

  @ApiProperty({ description: 'Whether the webhook answered 2xx (after its retries).' })
  delivered!: boolean;

  @ApiProperty({
    example: 'not delivered to hooks.slack.com: HTTP 404 no_service (1 attempt)',
    description: 'Where it went (the host only: the URL is a secret) and, when not delivered, why.',
  })
  detail!: string;
}

export class SentAlertListDto {
  @ApiProperty({
    type: [SentAlertDto],
    description: `The sync's alerts, newest first (the last ${String(SENT_ALERTS_PER_SYNC)} at most, kept as long as the sync log).`,
  })
  items!: SentAlertDto[];
}
