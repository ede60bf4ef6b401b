import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { Optional } from '../common/optional';
import { PageInfoDto } from '../common/pagination';
import { EXAMPLE_CONNECTION_NAME, EXAMPLE_KIND, EXAMPLE_VENDOR } from './examples';

/** A connection's API budget, settable on create and update. */
class ConnectionBudgetDto {
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    example: 200000,
    description:
      "API calls per 24 h this connection may spend; null: the connector's own daily limit",
  })
  @IsOptional()
  @ValidateIf((_object, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  dailyCallBudget?: number | null;

  @ApiPropertyOptional({
    default: 0.75,
    description:
      'Share of the budget past which scheduled and webhook runs wait and failed-record retries pause (manual runs still go)',
  })
  @Optional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.01)
  @Max(1)
  budgetThreshold?: number;
}

export class CreateConnectionDto extends ConnectionBudgetDto {
  @ApiProperty({
    example: EXAMPLE_CONNECTION_NAME,
    description: 'Unique name (1 to 100 characters)',
  })
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @ApiProperty({ example: EXAMPLE_KIND, description: 'A connector kind from GET /connectors' })
  @IsString()
  kind!: string;

  @ApiPropertyOptional({
    example: { baseUrl: 'https://api.hubapi.com' },
    description: 'Non-secret settings',
  })
  @Optional()
  @IsObject()
  settings?: Record<string, unknown>;

  @ApiPropertyOptional({
    example: { accessToken: 'pat-na1-…' },
    description: 'Credentials: write-only, encrypted at rest, never returned (admin only)',
  })
  @Optional()
  @IsObject()
  secrets?: Record<string, string>;

  @ApiPropertyOptional({
    default: false,
    description: 'A sandbox connection to a local emulator (needs SYNCLINE_ALLOW_SANDBOX)',
  })
  @Optional()
  @IsBoolean()
  sandbox?: boolean;
}

export class UpdateConnectionDto extends ConnectionBudgetDto {
  @ApiPropertyOptional({ example: EXAMPLE_CONNECTION_NAME })
  @Optional()
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: 'name must not be blank' })
  name?: string;

  @ApiPropertyOptional({
    description: 'Settings to change; a null value returns a setting to its default',
  })
  @Optional()
  @IsObject()
  settings?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Secrets to set; a null value removes one (admin only)' })
  @Optional()
  @IsObject()
  secrets?: Record<string, string | null>;

  @ApiPropertyOptional()
  @Optional()
  @IsBoolean()
  sandbox?: boolean;
}

export class RecordLinksDto {
  @ApiProperty({ example: 'https://crm.example.com/records/{object}/{id}' })
  template!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { contacts: 'contact', companies: 'company' },
  })
  objects?: Record<string, string>;
}

export class ConnectionDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: EXAMPLE_CONNECTION_NAME })
  name!: string;

  @ApiProperty({ example: EXAMPLE_KIND })
  kind!: string;

  @ApiProperty({
    example: EXAMPLE_VENDOR,
    description: "The vendor's name, as the console shows it",
  })
  vendor!: string;

  @ApiProperty({
    type: RecordLinksDto,
    nullable: true,
    description:
      "Links to records in the vendor's UI: `template` with `{object}` and `{id}` replaced (`objects` maps an API object name to the UI's); null when the settings do not tell where the vendor's UI is (an account id not given, or a vendor whose UI address the API's does not give).",
  })
  recordLinks!: RecordLinksDto | null;

  @ApiProperty({ example: { baseUrl: 'https://api.hubapi.com' } })
  settings!: Record<string, unknown>;

  @ApiProperty({
    example: ['accessToken'],
    description: 'Names of the secrets that are set (never their values)',
  })
  secretsSet!: string[];

  @ApiProperty()
  sandbox!: boolean;

  @ApiProperty({ type: Number, nullable: true, description: 'null: the connector default' })
  dailyCallBudget!: number | null;

  @ApiProperty({ example: 0.75 })
  budgetThreshold!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class ConnectionListDto extends PageInfoDto {
  @ApiProperty({ type: [ConnectionDto] })
  items!: ConnectionDto[];
}

export class CheckResultDto {
  @ApiProperty()
  ok!: boolean;

  @ApiPropertyOptional({ example: 'portal 12345' })
  account?: string;

  @ApiPropertyOptional({ example: 'auth_invalid' })
  code?: string;

  @ApiPropertyOptional({ example: 'The access token was rejected' })
  reason?: string;
}
