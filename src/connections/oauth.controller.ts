import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Caller } from '../auth/api-keys.service';
import { CurrentCaller, Requires } from '../auth/auth.decorators';
import { ApiErrorResponses } from '../common/api-error.decorators';
import { ConnectionDto } from './connections.dto';
import { CompleteOAuthDto, OAuthStartedDto, StartOAuthDto } from './oauth.dto';
import { ConnectionOAuthService } from './oauth.service';

@ApiTags('connections')
@ApiBearerAuth()
@Controller('connections/oauth')
export class ConnectionOAuthController {
  constructor(private readonly oauth: ConnectionOAuthService) {}

  @Post()
  @HttpCode(200)
  @Requires('config:write')
  @ApiOperation({
    summary:
      "Start connecting through the vendor's OAuth page: checks the connection as POST /connections does, answers the page to send the browser to",
  })
  @ApiOkResponse({ type: OAuthStartedDto })
  @ApiErrorResponses(400, 401, 403, 409)
  start(@Body() body: StartOAuthDto, @CurrentCaller() caller: Caller): Promise<OAuthStartedDto> {
    return this.oauth.start(body, caller);
  }

  @Post('complete')
  @Requires('config:write')
  @ApiOperation({
    summary:
      'Finish connecting through OAuth with what the vendor sent back (state and code): creates the connection, its refresh token kept as a secret',
  })
  @ApiCreatedResponse({ type: ConnectionDto })
  @ApiErrorResponses(400, 401, 403, 409, 502)
  complete(
    @Body() body: CompleteOAuthDto,
    @CurrentCaller() caller: Caller,
  ): Promise<ConnectionDto> {
    return this.oauth.complete(body, caller);
  }
}
