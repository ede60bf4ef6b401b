/**
 * A body checked against the sync definition's one schema (src/sync-definition/schema.ts): the
 * pipe that validates it, and the OpenAPI description of it, both from that schema.
 */
import { ApiBody } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { BadRequestException, Body, type PipeTransform } from '@nestjs/common';
import type { TSchema } from '@sinclair/typebox';
import { apiError, type ApiErrorDetail } from '../common/api-error';
import { jsonSchemaOf, schemaProblems } from '../sync-config/schema';
import { formatPath } from '../sync-config/yaml-source';

/**
 * A body of the schema's shape, with the values the schema does not allow, for the service to
 * report together with the problems it finds itself (one 400 names every mistake).
 */
export interface Checked<T> {
  body: T;
  problems: ApiErrorDetail[];
}

class SchemaPipe implements PipeTransform {
  constructor(
    private readonly schema: TSchema,
    private readonly passValues: boolean,
  ) {}

  transform(value: unknown): unknown {
    const found = schemaProblems(value, this.schema);
    const problems = found.map(({ path, problem }) => ({
      path: formatPath(path) || 'body',
      problem,
    }));
    if (this.passValues) {
      if (found.every((problem) => problem.valueOnly === true)) return { body: value, problems };
    } else if (problems.length === 0) return value;
    throw new BadRequestException(
      apiError('validation_failed', 'The request is invalid', problems),
    );
  }
}

/** The JSON body, validated against `schema`: a 400 names every offending key or value. */
export function SchemaBody(schema: TSchema): ParameterDecorator {
  return Body(new SchemaPipe(schema, false));
}

/**
 * The JSON body as a `Checked`: a body of the wrong shape is refused here, one whose only faults
 * are values the schema does not allow reaches the service with them.
 */
export function CheckedBody(schema: TSchema): ParameterDecorator {
  return Body(new SchemaPipe(schema, true));
}

/** The OpenAPI description of a body of `schema`. */
export function ApiSchemaBody(schema: TSchema): MethodDecorator {
  return ApiBody({ schema: openApiSchema(schema) });
}

export function openApiSchema(schema: TSchema): SchemaObject {
  return jsonSchemaOf(schema);
}
