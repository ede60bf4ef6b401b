import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
import { apiError, type ApiErrorDetail } from './api-error';

function flatten(errors: ValidationError[], parent = ''): ApiErrorDetail[] {
  return errors.flatMap((error) => {
    const path =
      parent === ''
        ? error.property
        : /^\d+$/.test(error.property)
          ? `${parent}[${error.property}]`
          : `${parent}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((problem) => ({ path, problem }));
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

/** Validates every body, query and param DTO; unknown properties are refused, not dropped. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) =>
      new BadRequestException(
        apiError('validation_failed', 'The request is invalid', flatten(errors)),
      ),
  });
}
