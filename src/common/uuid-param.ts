import { BadRequestException, Param, ParseUUIDPipe } from '@nestjs/common';
import { apiError } from './api-error';

/**
 * A path parameter that must be a UUID; a 400 names it (`id must be a UUID`), where Nest's own
 * ParseUUIDPipe says only "uuid is expected".
 */
export function UuidParam(name = 'id'): ParameterDecorator {
  return Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () =>
        new BadRequestException(
          apiError('validation_failed', 'The request is invalid', [
            { path: name, problem: `${name} must be a UUID` },
          ]),
        ),
    }),
  );
}
