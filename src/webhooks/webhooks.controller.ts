import {
  Controller,
  HttpCode,
  Inject,
  Post,
  Req,
  UseGuards,
  type RawBodyRequest,
} from '@nestjs/common';
import {
  ApiBody,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../auth/auth.decorators';
import { ApiErrorBodySchema, ApiErrorResponses } from '../common/api-error.decorators';
import {
  HUBSPOT_SIGNATURE_HEADER,
  HUBSPOT_TIMESTAMP_HEADER,
  requestUri,
} from './hubspot-signature';
import { HubSpotWebhookEventDto, WebhookAcceptedDto } from './webhooks.dto';
import { WEBHOOKS_OPTIONS, WebhooksService, type WebhooksOptions } from './webhooks.service';
import { WebhookThrottlerGuard } from './webhook-throttler.guard';

function header(request: Request, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
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

  @Post('hubspot')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "HubSpot webhook events (no API key: HubSpot's v3 signature under a HubSpot connection's clientSecret); the syncs reading their objects get one debounced incremental run",
  })
  @ApiHeader({
    name: 'X-HubSpot-Signature-v3',
    required: true,
    description:
      'base64(HMAC-SHA256(clientSecret, method + URL + body + timestamp)); the URL as set in HubSpot (SYNCLINE_PUBLIC_URL)',
  })
  @ApiHeader({
    name: 'X-HubSpot-Request-Timestamp',
    required: true,
    description: 'Milliseconds since the epoch; at most 5 minutes off',
  })
  @ApiBody({ type: [HubSpotWebhookEventDto] })
  @ApiOkResponse({ type: WebhookAcceptedDto })
  @ApiExtraModels(ApiErrorBodySchema)
  @ApiResponse({
    status: 401,
    description:
      'Missing or wrong signature (`invalid_signature`), or a timestamp more than 5 minutes off (`stale_signature`)',
    schema: { $ref: getSchemaPath(ApiErrorBodySchema) },
  })
  @ApiErrorResponses(400, 413, 429)
  receiveHubSpot(@Req() request: RawBodyRequest<Request>): Promise<WebhookAcceptedDto> {
    const signature = header(request, HUBSPOT_SIGNATURE_HEADER);
    const timestamp = header(request, HUBSPOT_TIMESTAMP_HEADER);
    return this.webhooks.receiveHubSpot({
      method: request.method,
      uri: requestUri(request, this.options.publicUrl),
      // No body, or one of a type the JSON parser left alone: what the signature covers is then
      // unknown to us, and verifying over no bytes refuses it unless it really was empty.
      body: request.rawBody ?? Buffer.alloc(0),
      signature,
      timestamp,
      from: request.ip,
    });
  }
}
