import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiResponse, getSchemaPath } from '@nestjs/swagger';

class ApiErrorDetailSchema {
  @ApiProperty({ example: 'role' })
  path!: string;

  @ApiProperty({ example: 'must be one of admin, editor, viewer, service' })
  problem!: string;
}

class ApiErrorSchema {
  @ApiProperty({ example: 'validation_failed' })
  code!: string;

  @ApiProperty({ example: 'The request body is invalid' })
  message!: string;

  @ApiProperty({ type: [ApiErrorDetailSchema] })
  details!: ApiErrorDetailSchema[];
}

export class ApiErrorBodySchema {
  @ApiProperty({ type: ApiErrorSchema })
  error!: ApiErrorSchema;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: `details` names each offending field',
  401: 'No API key, or an unknown or revoked one',
  403: "The key's role may not do this",
  404: 'Not found',
  409: 'Conflict with the current state (stale version, run already running)',
  413: 'Request body too large',
  429: 'Too many requests: see Retry-After',
  502: 'The vendor could not be reached or refused the call',
};

/** Documents the error responses of a route, all in the one error shape. */
export function ApiErrorResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ApiErrorBodySchema),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error',
        schema: { $ref: getSchemaPath(ApiErrorBodySchema) },
      }),
    ),
  );
}
