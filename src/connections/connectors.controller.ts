import { Controller, Get } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { CAPABILITIES, type Capability } from '../../connectors/sdk/contract';
import { ConnectorRegistry } from './connector-registry';
import { EXAMPLE_KIND, EXAMPLE_LABEL, EXAMPLE_VENDOR } from './examples';
import { ApiErrorResponses } from '../common/api-error.decorators';

class SettingDescriptorDto {
  @ApiProperty({ example: 'baseUrl' })
  name!: string;

  @ApiProperty({ example: 'API base URL' })
  label!: string;

  @ApiProperty({ enum: ['string', 'number', 'boolean', 'url'] })
  type!: string;

  @ApiProperty()
  required!: boolean;

  @ApiPropertyOptional()
  description?: string;

  @ApiPropertyOptional({ oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] })
  default?: string | number | boolean;
}

class ConnectorOAuthDto {
  @ApiProperty({ example: ['oauth', 'crm.objects.contacts.read'] })
  scopes!: string[];

  @ApiProperty({
    example: 'clientId',
    description: "The secret holding the vendor app's client id",
  })
  clientId!: string;

  @ApiProperty({
    example: 'clientSecret',
    description: "The secret holding the app's client secret",
  })
  clientSecret!: string;

  @ApiProperty({ example: 'refreshToken', description: 'The secret the OAuth flow fills' })
  refreshToken!: string;
}

class ConnectorKindDto {
  @ApiProperty({ example: EXAMPLE_KIND })
  kind!: string;

  @ApiProperty({ example: EXAMPLE_LABEL })
  label!: string;

  @ApiProperty({
    example: EXAMPLE_VENDOR,
    description: "The vendor's name, as the console shows it",
  })
  vendor!: string;

  @ApiProperty({ type: [SettingDescriptorDto] })
  settings!: SettingDescriptorDto[];

  @ApiProperty({ example: ['accessToken'] })
  secrets!: string[];

  @ApiPropertyOptional({
    example: [['accessToken'], ['refreshToken', 'clientId', 'clientSecret']],
    description: 'The sets of secrets that can authenticate; a connection needs one whole set',
    type: 'array',
    items: { type: 'array', items: { type: 'string' } },
  })
  credentials?: string[][];

  @ApiPropertyOptional({
    type: ConnectorOAuthDto,
    description:
      "Present when the connector connects through the vendor's OAuth page (POST /connections/oauth)",
  })
  oauth?: ConnectorOAuthDto;

  @ApiProperty({
    example: ['source', 'records'],
    description:
      'What the connector can do: source (read records), records (write records), events (append events), audiences (change list members), webhooks (receive changes), jobs (long vendor-side writes). A sync needs a source on the side it reads.',
    enum: CAPABILITIES,
    isArray: true,
  })
  capabilities!: Capability[];

  @ApiPropertyOptional({ example: ['contacts', 'companies', 'deals'] })
  staticObjects?: string[];

  @ApiPropertyOptional({ example: ['api.hubapi.com'] })
  allowedHosts?: string[];
}

class ConnectorCatalogueDto {
  @ApiProperty({ type: [ConnectorKindDto] })
  items!: ConnectorKindDto[];
}

@ApiTags('connectors')
@ApiBearerAuth()
@Controller('connectors')
export class ConnectorsController {
  constructor(private readonly registry: ConnectorRegistry) {}

  @Get()
  @ApiOperation({
    summary: 'The connector catalogue: kinds, settings, names of secrets, static objects',
  })
  @ApiOkResponse({ type: ConnectorCatalogueDto })
  @ApiErrorResponses(401, 403)
  list(): ConnectorCatalogueDto {
    return {
      items: this.registry.all().map((definition) => ({
        kind: definition.kind,
        label: definition.label,
        vendor: definition.vendor,
        settings: definition.settings,
        secrets: [...definition.secrets],
        capabilities: [...definition.capabilities],
        ...(definition.credentials
          ? { credentials: definition.credentials.map((set) => [...set]) }
          : {}),
        ...(definition.oauth
          ? { oauth: { scopes: [...definition.oauth.scopes], ...definition.oauth.secrets } }
          : {}),
        ...(definition.staticObjects ? { staticObjects: [...definition.staticObjects] } : {}),
        ...(definition.allowedHosts ? { allowedHosts: [...definition.allowedHosts] } : {}),
      })),
    };
  }
}
