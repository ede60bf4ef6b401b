import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '../common/uuid-param';
import { Requires } from '../auth/auth.decorators';
import { ApiErrorResponses } from '../common/api-error.decorators';
import { type PreviewDefinitionBody, previewDefinitionSchema } from '../sync-definition/schema';
import { PreviewRequestDto, SyncPreviewDto } from './preview.dto';
import { ApiSchemaBody, type Checked, CheckedBody } from './schema-body';
import { SyncPreviewService } from './preview.service';

@ApiTags('syncs')
@ApiBearerAuth()
@Controller('syncs')
export class SyncPreviewController {
  constructor(private readonly previews: SyncPreviewService) {}

  // Before ':id/preview' (either would do: one segment against two), and as guarded.
  @Post('preview')
  @HttpCode(200)
  @Requires('config:write')
  @ApiOperation({
    summary:
      'Dry run of a definition not saved yet (a new sync, or an edit of a saved one): checked as a save would be, then previewed on live data; writes nothing, saves nothing',
  })
  @ApiOkResponse({ type: SyncPreviewDto })
  @ApiErrorResponses(400, 401, 403, 404, 502)
  @ApiSchemaBody(previewDefinitionSchema)
  previewDefinition(
    @CheckedBody(previewDefinitionSchema) input: Checked<PreviewDefinitionBody>,
  ): Promise<SyncPreviewDto> {
    return this.previews.previewDefinition(input);
  }

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
