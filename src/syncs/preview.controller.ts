import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '../common/uuid-param';
import { Requires } from '../auth/auth.decorators';
import { ApiErrorResponses } from '../common/api-error.decorators';
import { PreviewRequestDto, SyncPreviewDto } from './preview.dto';
import { SyncPreviewService } from './preview.service';

@ApiTags('syncs')
@ApiBearerAuth()
@Controller('syncs')
export class SyncPreviewController {
  constructor(private readonly previews: SyncPreviewService) {}

  // config:write, not read: a preview spends the vendors' API budget and returns record values.
  @Post(':id/preview')
  @HttpCode(200)
  @Requires('config:write')
  @ApiOperation({
    summary:
      'Dry run on live data (a sample, or given records): planned creates, updates with field diffs, conflicts; writes nothing, commits nothing',
  })
  @ApiOkResponse({ type: SyncPreviewDto })
  @ApiErrorResponses(400, 401, 403, 404, 502)
  preview(@UuidParam() id: string, @Body() body: PreviewRequestDto): Promise<SyncPreviewDto> {
    return this.previews.preview(id, body);
  }
}
