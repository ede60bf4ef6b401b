import {
  Controller,
  HttpCode,
  Inject,
  Param,
  Post,
  Req,
  UseGuards,
  type RawBodyRequest,
} from '@nestjs/common';
import {
  ApiBody,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../auth/auth.decorators';
import { ApiErrorBodySchema, ApiErrorResponses } from '../common/api-error.decorators';
import { requestUri } from './request-url';
import { WebhookAcceptedDto } from './webhooks.dto';
import { WEBHOOKS_OPTIONS, WebhooksService, type WebhooksOptions } from './webhooks.service';
import { WebhookThrottlerGuard } from './webhook-throttler.guard';

function headersOf(request: Request): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers))
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return headers;
}

/** Inbound vendor webhooks: public routes, authenticated by the vendor's signature instead of a key. */
@ApiTags('webhooks')
@Controller('webhooks')
@Public()
@UseGuards(WebhookThrottlerGuard)
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhooksService,
    @Inject(WEBHOOKS_OPTIONS) private readonly options: WebhooksOptions,
  ) {}

  @Post(':connectionId')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "A vendor's webhook for one connection (no API key: the vendor's signature, checked by the connection's connector); the syncs reading the changed objects from it get one debounced incremental run",
    description:
      "Set `<SYNCLINE_PUBLIC_URL>/api/v1/webhooks/<connection id>` as the webhook URL in the vendor's app. The body and signature headers are the vendor's own, verified by the connection's connector (the README lists what each needs, e.g. a client secret). Connectors without the webhooks capability take none.",
  })
  @ApiParam({
    name: 'connectionId',
    description: 'The id of the connection the webhook is for',
    schema: { type: 'string', format: 'uuid' },
  })
  @ApiBody({
    description: "The vendor's payload, exactly as it sent and signed it",
    schema: { oneOf: [{ type: 'array', items: {} }, { type: 'object' }] },
  })
  @ApiOkResponse({ type: WebhookAcceptedDto })
  @ApiExtraModels(ApiErrorBodySchema)
  @ApiResponse({
    status: 401,
    description:
      'Missing or wrong signature, or no connection with this id that takes webhooks (`invalid_signature`); a timestamp too far off (`stale_signature`)',
    schema: { $ref: getSchemaPath(ApiErrorBodySchema) },
  })
  @ApiResponse({
    status: 410,
    description:
      'The path names a connector kind, as the single route per vendor once did (`route_moved`): webhooks arrive per connection now',
    schema: { $ref: getSchemaPath(ApiErrorBodySchema) },
  })
  @ApiErrorResponses(400, 413, 429)
  receive(
    @Param('connectionId') connectionId: string,
    @Req() request: RawBodyRequest<Request>,
  ): Promise<WebhookAcceptedDto> {
    return this.webhooks.receive({
      connectionId,
      method: request.method,
      url: requestUri(request, this.options.publicUrl),
      headers: headersOf(request),
      // No body, or one of a type the JSON parser left alone: what the signature covers is then
      // unknown to us, and verifying over no bytes refuses it unless it really was empty.
      body: request.rawBody ?? Buffer.alloc(0),
      from: request.ip,
    });
  }
}
