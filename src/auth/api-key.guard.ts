import {
  ForbiddenException,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { apiError } from '../common/api-error';
import { ApiKeysService } from './api-keys.service';
import {
  ANY_KEY,
  PUBLIC_ROUTE,
  REQUIRED_PERMISSION,
  type AuthenticatedRequest,
} from './auth.decorators';
import { can, type Permission } from './roles';

/** Every route needs a valid API key (`Authorization: Bearer …`) unless marked @Public(). */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, targets) === true)
      return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match?.[1] === undefined) {
      throw new UnauthorizedException(
        apiError(
          'unauthorized',
          'An API key is required: send it as "Authorization: Bearer <key>".',
        ),
      );
    }
    const caller = await this.keys.authenticate(match[1]);
    if (caller === undefined) {
      throw new UnauthorizedException(
        apiError('unauthorized', 'The API key is unknown or revoked.'),
      );
    }
    request.caller = caller;
    if (this.reflector.getAllAndOverride<boolean | undefined>(ANY_KEY, targets) === true)
      return true;
    const permission =
      this.reflector.getAllAndOverride<Permission | undefined>(REQUIRED_PERMISSION, targets) ??
      'read';
    if (!can(caller.role, permission)) {
      throw new ForbiddenException(
        apiError(
          'forbidden',
          `The ${caller.role} role may not do this (it needs the ${permission} permission).`,
        ),
      );
    }
    return true;
  }
}
