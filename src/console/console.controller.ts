import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { apiError } from '../common/api-error';
import { ConsoleFiles } from './console-files';
import { CONSOLE_PATH } from './console.routes';

/** The page may load its own scripts and styles and call this origin's API, nothing else. */
const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

function send(res: Response, path: string, cacheControl: string): void {
  res.set({ ...SECURITY_HEADERS, 'Cache-Control': cacheControl });
  res.sendFile(path, (error?: Error) => {
    // The file went away between the lookup and the send (a build running meanwhile).
    if (error !== undefined && !res.headersSent) res.status(404).end();
  });
}

/**
 * The web console: static files, public (the page asks for an API key and sends it with each API
 * call). Deep links (/console/syncs/…) answer the page, which routes in the browser.
 */
@ApiExcludeController()
@Public()
@Controller()
export class ConsoleController {
  constructor(private readonly files: ConsoleFiles) {}

  @Get()
  home(@Res() res: Response): void {
    res.redirect(302, `${CONSOLE_PATH}/`);
  }

  /** `/console` goes to `/console/`; Express routes `/console/` here too (non-strict routing). */
  @Get(CONSOLE_PATH)
  bare(@Req() req: Request, @Res() res: Response): void {
    if (req.path.endsWith('/')) this.serve(req, res);
    else res.redirect(302, `${CONSOLE_PATH}/`);
  }

  @Get(`${CONSOLE_PATH}/{*path}`)
  serve(@Req() req: Request, @Res() res: Response): void {
    const found = this.files.lookup(req.path.slice(CONSOLE_PATH.length + 2));
    switch (found.kind) {
      case 'not_built':
        res
          .status(503)
          .json(
            apiError('console_not_built', 'The console is not built: run `npm run build` first.'),
          );
        return;
      case 'missing':
        res.status(404).json(apiError('not_found', 'No such file in the console'));
        return;
      case 'page':
        send(res, found.path, 'no-cache');
        return;
      case 'file':
        // Vite names assets by their content hash: a new build gets new names.
        send(res, found.path, found.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
        return;
      default: {
        const unexpected: never = found;
        throw new Error(`Unexpected console file ${JSON.stringify(unexpected)}`);
      }
    }
  }
}
