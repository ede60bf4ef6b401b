import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
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
  type ChangeMappingBody,
  type CreateSyncBody,
  type ReplaceMappingsBody,
  type UpdateSyncBody,
  changeMappingSchema,
  createSyncSchema,
  replaceMappingsSchema,
  updateSyncSchema,
} from '../sync-definition/schema';
import { ApiSchemaBody, type Checked, CheckedBody, SchemaBody } from './schema-body';
import {
  MappingsDto,
  SentAlertListDto,
  SYNC_RESPONSE,
  type SyncDto,
  SyncListDto,
  ValidationResultDto,
  VersionDto,
} from './syncs.dto';
import { SyncsService } from './syncs.service';

const Id = (): ParameterDecorator => UuidParam();

@ApiTags('syncs')
@ApiBearerAuth()
@Controller('syncs')
export class SyncsController {
  constructor(private readonly syncs: SyncsService) {}

  @Post()
  @Requires('config:write')
  @ApiOperation({ summary: 'Create a sync; the definition is validated before it is saved' })
  @ApiCreatedResponse({ schema: SYNC_RESPONSE })
  @ApiErrorResponses(400, 401, 403, 409)
  @ApiSchemaBody(createSyncSchema)
  create(
    @CheckedBody(createSyncSchema) input: Checked<CreateSyncBody>,
    @CurrentCaller() caller: Caller,
  ): Promise<SyncDto> {
    return this.syncs.create(input.body, caller, input.problems);
  }

  @Get()
  @ApiOperation({ summary: 'List syncs, oldest first' })
  @ApiOkResponse({ type: SyncListDto })
  @ApiErrorResponses(400, 401, 403)
  list(@Query() query: PageQueryDto): Promise<SyncListDto> {
    return this.syncs.list(query.limit ?? 50, query.cursor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a sync with its mappings and version' })
  @ApiOkResponse({ schema: SYNC_RESPONSE })
  @ApiErrorResponses(400, 401, 403, 404)
  get(@Id() id: string): Promise<SyncDto> {
    return this.syncs.get(id);
  }

  @Patch(':id')
  @Requires('config:write')
  @ApiOperation({ summary: 'Change a sync (give the version you read; a stale one gets 409)' })
  @ApiOkResponse({ schema: SYNC_RESPONSE })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  @ApiSchemaBody(updateSyncSchema)
  update(
    @Id() id: string,
    @CheckedBody(updateSyncSchema) input: Checked<UpdateSyncBody>,
    @CurrentCaller() caller: Caller,
  ): Promise<SyncDto> {
    return this.syncs.update(id, input.body, caller, input.problems);
  }

  @Delete(':id')
  @HttpCode(204)
  @Requires('config:write')
  @ApiOperation({ summary: 'Delete a sync with its links, cursors, runs and sync log' })
  @ApiNoContentResponse()
  @ApiErrorResponses(400, 401, 403, 404)
  async remove(@Id() id: string, @CurrentCaller() caller: Caller): Promise<void> {
    await this.syncs.remove(id, caller);
  }

  @Post(':id/enable')
  @HttpCode(200)
  @Requires('config:write')
  @ApiOperation({ summary: 'Enable a sync (scheduled runs resume)' })
  @ApiOkResponse({ schema: SYNC_RESPONSE })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  enable(
    @Id() id: string,
    @Body() body: VersionDto,
    @CurrentCaller() caller: Caller,
  ): Promise<SyncDto> {
    return this.syncs.setEnabled(id, true, body.version, caller);
  }

  @Post(':id/disable')
  @HttpCode(200)
  @Requires('config:write')
  @ApiOperation({ summary: 'Disable a sync (no scheduled runs)' })
  @ApiOkResponse({ schema: SYNC_RESPONSE })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  disable(
    @Id() id: string,
    @Body() body: VersionDto,
    @CurrentCaller() caller: Caller,
  ): Promise<SyncDto> {
    return this.syncs.setEnabled(id, false, body.version, caller);
  }

  @Get(':id/alerts')
  @ApiOperation({ summary: 'The alerts the sync sent or tried to send, newest first' })
  @ApiOkResponse({ type: SentAlertListDto })
  @ApiErrorResponses(400, 401, 403, 404)
  async alerts(@Id() id: string): Promise<SentAlertListDto> {
    return this.syncs.alerts(id);
  }

  @Get(':id/mappings')
  @ApiOperation({ summary: "The sync's field mappings, in order" })
  @ApiOkResponse({ type: MappingsDto })
  @ApiErrorResponses(400, 401, 403, 404)
  async mappings(@Id() id: string): Promise<MappingsDto> {
    const sync = await this.syncs.get(id);
    return { version: sync.version, items: sync.mappings };
  }

  @Put(':id/mappings')
  @Requires('config:write')
  @ApiOperation({ summary: 'Replace all field mappings' })
  @ApiOkResponse({ schema: SYNC_RESPONSE })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  @ApiSchemaBody(replaceMappingsSchema)
  replaceMappings(
    @Id() id: string,
    @SchemaBody(replaceMappingsSchema) body: ReplaceMappingsBody,
    @CurrentCaller() caller: Caller,
  ): Promise<SyncDto> {
    return this.syncs.replaceMappings(id, body.version, body.mappings, caller);
  }

  @Put(':id/mappings/:index')
  @Requires('config:write')
  @ApiOperation({ summary: 'Change one field mapping, by its position' })
  @ApiOkResponse({ schema: SYNC_RESPONSE })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  @ApiSchemaBody(changeMappingSchema)
  changeMapping(
    @Id() id: string,
    @Param('index', new ParseIntPipe()) index: number,
    @SchemaBody(changeMappingSchema) body: ChangeMappingBody,
    @CurrentCaller() caller: Caller,
  ): Promise<SyncDto> {
    return this.syncs.changeMapping(id, index, body.version, body.mapping, caller);
  }

  @Post(':id/validate')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Check the sync against the vendors' objects: fields exist and are writable, types fit, picklist values are allowed, required fields are covered",
  })
  @ApiOkResponse({ type: ValidationResultDto })
  @ApiErrorResponses(400, 401, 403, 404)
  async validate(@Id() id: string): Promise<ValidationResultDto> {
    const problems = await this.syncs.validate(id);
    return { valid: problems.length === 0, problems };
  }
}
