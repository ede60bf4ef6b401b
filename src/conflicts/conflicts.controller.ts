import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '../common/uuid-param';
import type { Caller } from '../auth/api-keys.service';
import { CurrentCaller, Requires } from '../auth/auth.decorators';
import { ApiErrorResponses } from '../common/api-error.decorators';
import {
  AllConflictQueryDto,
  BULK_RESOLVE_MAX,
  BulkResolveConflictsDto,
  BulkResolveResultDto,
  ConflictDto,
  ConflictListDto,
  ConflictQueryDto,
  ResolveConflictDto,
} from './conflicts.dto';
import { ConflictsService } from './conflicts.service';

const Id = (): ParameterDecorator => UuidParam();

@ApiTags('conflicts')
@ApiBearerAuth()
@Controller('conflicts')
export class ConflictsController {
  constructor(private readonly conflicts: ConflictsService) {}

  @Get()
  @ApiOperation({ summary: 'Conflicts across syncs, oldest first, by status' })
  @ApiOkResponse({ type: ConflictListDto })
  @ApiErrorResponses(400, 401, 403)
  list(@Query() query: AllConflictQueryDto): Promise<ConflictListDto> {
    return this.conflicts.list(query);
  }

  @Post('resolve')
  @HttpCode(200)
  @Requires('config:write')
  @ApiOperation({
    summary: `Resolve up to ${String(BULK_RESOLVE_MAX)} open conflicts with one side's value each; the next run writes them (those not open are listed, left as they are)`,
  })
  @ApiOkResponse({ type: BulkResolveResultDto })
  @ApiErrorResponses(400, 401, 403)
  resolveMany(
    @Body() body: BulkResolveConflictsDto,
    @CurrentCaller() caller: Caller,
  ): Promise<BulkResolveResultDto> {
    return this.conflicts.resolveMany(body, caller);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A conflict: both values, its status and resolution' })
  @ApiOkResponse({ type: ConflictDto })
  @ApiErrorResponses(400, 401, 403, 404)
  get(@Id() id: string): Promise<ConflictDto> {
    return this.conflicts.get(id);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @Requires('config:write')
  @ApiOperation({
    summary:
      "Resolve an open conflict with one side's value or a value of your own; the next run writes it (409 unless open)",
  })
  @ApiOkResponse({ type: ConflictDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  resolve(
    @Id() id: string,
    @Body() body: ResolveConflictDto,
    @CurrentCaller() caller: Caller,
  ): Promise<ConflictDto> {
    return this.conflicts.resolve(id, body, caller);
  }
}

@ApiTags('conflicts')
@ApiBearerAuth()
@Controller('syncs')
export class SyncConflictsController {
  constructor(private readonly conflicts: ConflictsService) {}

  @Get(':id/conflicts')
  @ApiOperation({ summary: "The sync's conflicts, oldest first, by status" })
  @ApiOkResponse({ type: ConflictListDto })
  @ApiErrorResponses(400, 401, 403, 404)
  list(@Id() id: string, @Query() query: ConflictQueryDto): Promise<ConflictListDto> {
    return this.conflicts.listOfSync(id, query);
  }
}
