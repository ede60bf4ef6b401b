import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Caller } from './api-keys.service';
import type { Permission } from './roles';

export const PUBLIC_ROUTE = 'syncline:public';
export const REQUIRED_PERMISSION = 'syncline:permission';
export const ANY_KEY = 'syncline:any-key';

/** The route answers without an API key (health checks only). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/** The route answers any valid API key, whatever its role (who am I). */
export const AnyKey = (): MethodDecorator & ClassDecorator => SetMetadata(ANY_KEY, true);

/** The permission a route needs; routes without one need `read`. */
export const Requires = (permission: Permission): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_PERMISSION, permission);

export interface AuthenticatedRequest extends Request {
  caller?: Caller;
}

/** The caller of the current request (set by the API key guard). */
export const CurrentCaller = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  return request.caller;
});
