import { RequestMethod } from '@nestjs/common';
import type { RouteInfo } from '@nestjs/common/interfaces';

/** Where the console is served: outside the API's global prefix (see app.ts). */
export const CONSOLE_PATH = 'console';

/** The console's routes, for the global prefix's exclude list: `/`, `/console` and below. */
export const CONSOLE_ROUTES: RouteInfo[] = [
  { path: '/', method: RequestMethod.GET },
  { path: CONSOLE_PATH, method: RequestMethod.GET },
  { path: `${CONSOLE_PATH}/{*path}`, method: RequestMethod.GET },
];
