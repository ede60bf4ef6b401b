import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { ParseEnumPipe } from '@nestjs/common';
import { UuidParam } from '../common/uuid-param';
import { Requires } from '../auth/auth.decorators';
import { ApiErrorResponses } from '../common/api-error.decorators';
import {
  EventExportQueryDto,
  EventQueryDto,
  RecordEventListDto,
  RecordLookupDto,
  RecordLookupQueryDto,
  RunDto,
  RunListDto,
  RunQueryDto,
  TriggerRunDto,
} from './runs.dto';
import { RunsService } from './runs.service';

const Id = (): ParameterDecorator => UuidParam();

@ApiTags('runs')
@ApiBearerAuth()
@Controller('runs')
export class RunsController {
  constructor(private readonly runs: RunsService) {}

  @Get()
  @Requires('runs:read')
  @ApiOperation({ summary: 'Runs, newest first, filtered by sync, status and start time' })
  @ApiOkResponse({ type: RunListDto })
  @ApiErrorResponses(400, 401, 403)
  list(@Query() query: RunQueryDto): Promise<RunListDto> {
    return this.runs.list(query);
  }

  @Get(':id')
  @Requires('runs:read')
  @ApiOperation({ summary: 'A run: status, counters (progress while running), API calls per side' })
  @ApiOkResponse({ type: RunDto })
  @ApiErrorResponses(400, 401, 403, 404)
  get(@Id() id: string): Promise<RunDto> {
    return this.runs.get(id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Requires('runs:trigger')
  @ApiOperation({ summary: 'Cancel a running run; what it committed stays' })
  @ApiOkResponse({ type: RunDto })
  @ApiErrorResponses(400, 401, 403, 404)
  cancel(@Id() id: string): Promise<RunDto> {
    return this.runs.cancel(id);
  }

  @Get(':id/events')
  @Requires('runs:read')
  @ApiOperation({ summary: "The run's sync log, oldest first, with filters" })
  @ApiOkResponse({ type: RecordEventListDto })
  @ApiErrorResponses(400, 401, 403, 404)
  events(@Id() id: string, @Query() query: EventQueryDto): Promise<RecordEventListDto> {
    return this.runs.runEvents(id, query);
  }
}

@ApiTags('runs')
@ApiBearerAuth()
@Controller('syncs')
export class SyncRunsController {
  constructor(private readonly runs: RunsService) {}

  @Post(':id/runs')
  @HttpCode(202)
  @Requires('runs:trigger')
  @ApiOperation({ summary: 'Trigger a run; 409 with the running run’s id when one is running' })
  @ApiAcceptedResponse({ type: RunDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  trigger(@Id() id: string, @Body() body: TriggerRunDto): Promise<RunDto> {
    return this.runs.trigger(id, body);
  }

  @Get(':id/events')
  @Requires('runs:read')
  @ApiOperation({
    summary:
      "The sync's log across runs, oldest first (`order=newest`: latest first), with filters",
  })
  @ApiOkResponse({ type: RecordEventListDto })
  @ApiErrorResponses(400, 401, 403, 404)
  events(@Id() id: string, @Query() query: EventQueryDto): Promise<RecordEventListDto> {
    return this.runs.syncEvents(id, query);
  }

  @Get(':id/events/export')
  @Requires('runs:read')
  @ApiOperation({
    summary:
      "The sync's log with the same filters, every page at once, as CSV or JSON (a download)",
  })
  @ApiProduces('text/csv', 'application/json')
  @ApiOkResponse({
    description: 'The lines, as a file to save (Content-Disposition: attachment)',
    schema: { type: 'string', description: 'CSV text, or a JSON array of log lines' },
  })
  @ApiErrorResponses(400, 401, 403, 404)
  async exportEvents(
    @Id() id: string,
    @Query() query: EventExportQueryDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const exported = await this.runs.exportSyncEvents(id, query);
    const extension = query.format === 'json' ? 'json' : 'csv';
    response.setHeader('content-type', exported.contentType);
    response.setHeader('content-disposition', `attachment; filename="sync-${id}-log.${extension}"`);
    response.setHeader('x-syncline-truncated', String(exported.truncated));
    return exported.body;
  }

  @Get(':id/records/:side/:recordId')
  @Requires('runs:read')
  @ApiOperation({ summary: 'The whole history of one record across runs: why did it (not) sync?' })
  @ApiParam({ name: 'side', enum: ['left', 'right'] })
  @ApiOkResponse({ type: RecordEventListDto })
  @ApiErrorResponses(400, 401, 403, 404)
  record(
    @Id() id: string,
    @Param('side', new ParseEnumPipe(['left', 'right'])) side: 'left' | 'right',
    @Param('recordId') recordId: string,
    @Query() query: EventQueryDto,
  ): Promise<RecordEventListDto> {
    return this.runs.recordHistory(id, side, recordId, query);
  }
}

@ApiTags('runs')
@ApiBearerAuth()
@Controller('records')
export class RecordsController {
  constructor(private readonly runs: RunsService) {}

  @Get()
  @Requires('runs:read')
  @ApiOperation({
    summary:
      "Find a record's ids in every sync by its email (the match field's last synced value), to read its history",
  })
  @ApiOkResponse({ type: RecordLookupDto })
  @ApiErrorResponses(400, 401, 403)
  async lookup(@Query() query: RecordLookupQueryDto): Promise<RecordLookupDto> {
    return { items: await this.runs.findByEmail(query.email) };
  }
}
