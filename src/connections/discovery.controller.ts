import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '../common/uuid-param';
import { ApiErrorResponses } from '../common/api-error.decorators';
import { AudienceListDto, DiscoveryQueryDto, FieldListDto, ObjectListDto } from './discovery.dto';
import { DiscoveryService } from './discovery.service';
import { ApiUsageDto } from './usage.dto';
import { UsageService } from './usage.service';

const Id = (): ParameterDecorator => UuidParam();

@ApiTags('connections')
@ApiBearerAuth()
@Controller('connections')
export class ConnectionDiscoveryController {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly usageService: UsageService,
  ) {}

  @Get(':id/objects')
  @ApiOperation({
    summary: "The vendor's objects through this connection (cached a few minutes; ?refresh=true)",
  })
  @ApiOkResponse({ type: ObjectListDto })
  @ApiErrorResponses(400, 401, 403, 404, 502)
  objects(@Id() id: string, @Query() query: DiscoveryQueryDto): Promise<ObjectListDto> {
    return this.discovery.objects(id, query.refresh ?? false);
  }

  @Get(':id/objects/:object/fields')
  @ApiOperation({
    summary: "An object's fields: type, required, read-only, unique / external id, picklist values",
  })
  @ApiOkResponse({ type: FieldListDto })
  @ApiErrorResponses(400, 401, 403, 404, 502)
  fields(
    @Id() id: string,
    @Param('object') object: string,
    @Query() query: DiscoveryQueryDto,
  ): Promise<FieldListDto> {
    return this.discovery.fields(id, object, query.refresh ?? false);
  }

  @Get(':id/audiences')
  @ApiOperation({
    summary:
      "The vendor's lists, tags and audiences through this connection: the ids an audience sync names (right.object; left.audience), which can be changed, which can be read",
  })
  @ApiOkResponse({ type: AudienceListDto })
  @ApiErrorResponses(400, 401, 403, 404, 502)
  audiences(@Id() id: string): Promise<AudienceListDto> {
    return this.discovery.audiences(id);
  }

  @Get(':id/usage')
  @ApiOperation({
    summary:
      "API calls through this connection by runs of the last 24 h, against the vendor's daily budget",
  })
  @ApiOkResponse({ type: ApiUsageDto })
  @ApiErrorResponses(400, 401, 403, 404)
  usage(@Id() id: string): Promise<ApiUsageDto> {
    return this.usageService.usage(id);
  }
}
