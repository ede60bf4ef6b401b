import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, Min } from 'class-validator';
import { Optional } from '../common/optional';
import { ApiErrorResponses } from '../common/api-error.decorators';
import { AuditService } from './audit.service';

class AuditQueryDto {
  @ApiPropertyOptional({ example: 'sync' })
  @Optional()
  @IsString()
  targetType?: string;

  @ApiPropertyOptional()
  @Optional()
  @IsString()
  targetId?: string;

  @ApiPropertyOptional({ default: 100, maximum: 500 })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

class AuditEntryDto {
  @ApiProperty()
  id!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ nullable: true, type: String, description: 'The API key that made the change' })
  apiKeyId!: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    description: "That key's name; null for Syncline itself or a key deleted since",
  })
  apiKeyName!: string | null;

  @ApiProperty({ example: 'sync.updated' })
  action!: string;

  @ApiProperty({ example: 'sync' })
  targetType!: string;

  @ApiProperty()
  targetId!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      "What changed; a sync.updated entry has `fields` (those given), `version` (the new one) and `changes` (the definition's differences as `syncline plan` shows them: op, path, label, from, to)",
  })
  details!: Record<string, unknown>;
}

class AuditListDto {
  @ApiProperty({ type: [AuditEntryDto] })
  items!: AuditEntryDto[];
}

@ApiTags('audit log')
@ApiBearerAuth()
@Controller('audit-log')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({
    summary: 'Changes made through the API, newest first, with the key that made each',
  })
  @ApiOkResponse({ type: AuditListDto })
  @ApiErrorResponses(400, 401, 403)
  async list(@Query() query: AuditQueryDto): Promise<AuditListDto> {
    return { items: await this.audit.list({ ...query, limit: query.limit ?? 100 }) };
  }
}
