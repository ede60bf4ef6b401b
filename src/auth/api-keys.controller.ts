import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { UuidParam } from '../common/uuid-param';
import { ApiErrorResponses } from '../common/api-error.decorators';
import { ApiKeysService, type Caller } from './api-keys.service';
import { ApiKeyDto, ApiKeyListDto, CreateApiKeyDto, CreatedApiKeyDto } from './api-keys.dto';
import { CurrentCaller, Requires } from './auth.decorators';

@ApiTags('api keys')
@ApiBearerAuth()
@Requires('keys:manage')
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @ApiOperation({ summary: 'Create an API key (the key is in this response only)' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiErrorResponses(400, 401, 403)
  create(
    @Body() body: CreateApiKeyDto,
    @CurrentCaller() caller: Caller,
  ): Promise<CreatedApiKeyDto> {
    return this.keys.create(body, caller.keyId);
  }

  @Get()
  @ApiOperation({ summary: 'List API keys (prefix, name, role, last use; never the key)' })
  @ApiOkResponse({ type: ApiKeyListDto })
  @ApiErrorResponses(401, 403)
  async list(): Promise<ApiKeyListDto> {
    return { items: await this.keys.list() };
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke an API key; it stops working at once' })
  @ApiOkResponse({ type: ApiKeyDto })
  @ApiErrorResponses(400, 401, 403, 404)
  revoke(@UuidParam() id: string, @CurrentCaller() caller: Caller): Promise<ApiKeyDto> {
    return this.keys.revoke(id, caller);
  }
}
