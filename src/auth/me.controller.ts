import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../common/api-error.decorators';
import type { Caller } from './api-keys.service';
import { AnyKey, CurrentCaller } from './auth.decorators';
import { MeDto } from './me.dto';
import { permissionsOf } from './roles';

@ApiTags('api keys')
@ApiBearerAuth()
@AnyKey()
@Controller('me')
export class MeController {
  @Get()
  @ApiOperation({ summary: "The calling key's name, role and permissions (any valid key)" })
  @ApiOkResponse({ type: MeDto })
  @ApiErrorResponses(401)
  me(@CurrentCaller() caller: Caller): MeDto {
    return { name: caller.name, role: caller.role, permissions: [...permissionsOf(caller.role)] };
  }
}
