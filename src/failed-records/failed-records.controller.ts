import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseEnumPipe,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { UuidParam } from '../common/uuid-param';
import type { Caller } from '../auth/api-keys.service';
import { CurrentCaller, Requires } from '../auth/auth.decorators';
import { ApiErrorResponses } from '../common/api-error.decorators';
import type { Side } from '../engine';
import {
  AllFailedRecordQueryDto,
  DiscardResultDto,
  FailedRecordDto,
  FailedRecordFilterDto,
  FailedRecordListDto,
  FailedRecordQueryDto,
  RetryFailedRecordsDto,
  RetryResultDto,
} from './failed-records.dto';
import { FailedRecordsService } from './failed-records.service';

const SyncId = (name = 'id'): ParameterDecorator => UuidParam(name);
const SideParam = (): ParameterDecorator => Param('side', new ParseEnumPipe(['left', 'right']));

/** One failed record: `/failed-records/{syncId}/{side}/{recordId}` (the record as read from `side`). */
@ApiTags('failed records')
@ApiBearerAuth()
@Controller('failed-records')
export class FailedRecordsController {
  constructor(private readonly failed: FailedRecordsService) {}

  @Get()
  @ApiOperation({ summary: 'Failed records across syncs, oldest failure first, with filters' })
  @ApiOkResponse({ type: FailedRecordListDto })
  @ApiErrorResponses(400, 401, 403)
  list(@Query() query: AllFailedRecordQueryDto): Promise<FailedRecordListDto> {
    return this.failed.list(query);
  }

  @Post(':syncId/:side/:recordId/retry')
  @HttpCode(200)
  @Requires('config:write')
  @ApiOperation({
    summary: 'Retry one failed record: due now and no longer dead, so the next run retries it',
  })
  @ApiParam({ name: 'side', enum: ['left', 'right'], description: 'The side it was read from' })
  @ApiOkResponse({ type: FailedRecordDto })
  @ApiErrorResponses(400, 401, 403, 404)
  retry(
    @SyncId('syncId') syncId: string,
    @SideParam() side: Side,
    @Param('recordId') recordId: string,
    @CurrentCaller() caller: Caller,
  ): Promise<FailedRecordDto> {
    return this.failed.retryOne(syncId, side, recordId, caller);
  }

  @Delete(':syncId/:side/:recordId')
  @HttpCode(204)
  @Requires('config:write')
  @ApiOperation({ summary: 'Discard one failed record: it is not retried any more' })
  @ApiParam({ name: 'side', enum: ['left', 'right'], description: 'The side it was read from' })
  @ApiNoContentResponse()
  @ApiErrorResponses(400, 401, 403, 404)
  async discard(
    @SyncId('syncId') syncId: string,
    @SideParam() side: Side,
    @Param('recordId') recordId: string,
    @CurrentCaller() caller: Caller,
  ): Promise<void> {
    await this.failed.discardOne(syncId, side, recordId, caller);
  }
}

@ApiTags('failed records')
@ApiBearerAuth()
@Controller('syncs')
export class SyncFailedRecordsController {
  constructor(private readonly failed: FailedRecordsService) {}

  @Get(':id/failed-records')
  @ApiOperation({ summary: "The sync's failed records, oldest failure first, with filters" })
  @ApiOkResponse({ type: FailedRecordListDto })
  @ApiErrorResponses(400, 401, 403, 404)
  list(@SyncId() id: string, @Query() query: FailedRecordQueryDto): Promise<FailedRecordListDto> {
    return this.failed.listOfSync(id, query);
  }

  @Post(':id/failed-records/retry')
  @HttpCode(200)
  @Requires('config:write')
  @ApiOperation({
    summary:
      'Retry the failed records that match the filters (all without filters): due now and no longer dead; `run: true` also starts a run (409 when one is running; the records stay due)',
  })
  @ApiOkResponse({ type: RetryResultDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  retry(
    @SyncId() id: string,
    @Body() body: RetryFailedRecordsDto,
    @CurrentCaller() caller: Caller,
  ): Promise<RetryResultDto> {
    const { run, ...filter } = body;
    return this.failed.retryMany(id, filter, run ?? false, caller);
  }

  @Delete(':id/failed-records')
  @Requires('config:write')
  @ApiOperation({
    summary: 'Discard the failed records that match the filters (all without filters)',
  })
  @ApiOkResponse({ type: DiscardResultDto })
  @ApiErrorResponses(400, 401, 403, 404)
  discard(
    @SyncId() id: string,
    @Query() filter: FailedRecordFilterDto,
    @CurrentCaller() caller: Caller,
  ): Promise<DiscardResultDto> {
    return this.failed.discardMany(id, filter, caller);
  }
}
