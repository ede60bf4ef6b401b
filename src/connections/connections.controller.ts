import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { UuidParam } from '../common/uuid-param';
import type { Caller } from '../auth/api-keys.service';
import { CurrentCaller, Requires } from '../auth/auth.decorators';
import { ApiErrorResponses } from '../common/api-error.decorators';
import { PageQueryDto } from '../common/pagination';
import {
  CheckResultDto,
  ConnectionDto,
  ConnectionListDto,
  CreateConnectionDto,
  UpdateConnectionDto,
} from './connections.dto';
import { ConnectionsService } from './connections.service';

@ApiTags('connections')
@ApiBearerAuth()
@Controller('connections')
export class ConnectionsController {
  constructor(private readonly connections: ConnectionsService) {}

  @Post()
  @Requires('config:write')
  @ApiOperation({ summary: 'Create a connection (credentials are encrypted, never returned)' })
  @ApiCreatedResponse({ type: ConnectionDto })
  @ApiErrorResponses(400, 401, 403, 409)
  create(
    @Body() body: CreateConnectionDto,
    @CurrentCaller() caller: Caller,
  ): Promise<ConnectionDto> {
    return this.connections.create(body, caller);
  }

  @Get()
  @ApiOperation({ summary: 'List connections, oldest first' })
  @ApiOkResponse({ type: ConnectionListDto })
  @ApiErrorResponses(400, 401, 403)
  list(@Query() query: PageQueryDto): Promise<ConnectionListDto> {
    return this.connections.list(query.limit ?? 50, query.cursor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a connection' })
  @ApiOkResponse({ type: ConnectionDto })
  @ApiErrorResponses(400, 401, 403, 404)
  get(@UuidParam() id: string): Promise<ConnectionDto> {
    return this.connections.get(id);
  }

  @Patch(':id')
  @Requires('config:write')
  @ApiOperation({
    summary: 'Change a connection: name, settings (null resets one), secrets (null removes one)',
  })
  @ApiOkResponse({ type: ConnectionDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  update(
    @UuidParam() id: string,
    @Body() body: UpdateConnectionDto,
    @CurrentCaller() caller: Caller,
  ): Promise<ConnectionDto> {
    return this.connections.update(id, body, caller);
  }

  @Delete(':id')
  @HttpCode(204)
  @Requires('config:write')
  @ApiOperation({ summary: 'Delete a connection no sync uses' })
  @ApiNoContentResponse()
  @ApiErrorResponses(400, 401, 403, 404, 409)
  async remove(@UuidParam() id: string, @CurrentCaller() caller: Caller): Promise<void> {
    await this.connections.remove(id, caller);
  }

  @Post(':id/check')
  @HttpCode(200)
  @Requires('config:write')
  @ApiOperation({ summary: 'Can Syncline authenticate and reach the vendor with this connection?' })
  @ApiOkResponse({ type: CheckResultDto })
  @ApiErrorResponses(400, 401, 403, 404)
  check(@UuidParam() id: string): Promise<CheckResultDto> {
    return this.connections.check(id);
  }
}
