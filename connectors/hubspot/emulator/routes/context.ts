/** What a route handler gets: the portal, the parsed request and the object type. */
import type { EmulatorFaults } from '../faults';
import type { ObjectType } from '../properties';
import { type RouteAnswer, errorAnswer } from '../responses';
import { DuplicateFailure, type HubSpotStore, ValidationFailure } from '../store';

export interface RouteContext {
  store: HubSpotStore;
  faults: EmulatorFaults;
  type: ObjectType;
  query: URLSearchParams;
  body: unknown;
  /** The id segment of `/crm/v3/objects/{type}/{id}`, when present. */
  id?: string;
  /** Further path parameters (v4 associations: the other object type and id). */
  params?: string[];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** HubSpot's object names in messages (`CONTACT`, `COMPANY`, `DEAL`). */
export function objectLabel(context: RouteContext): string {
  switch (context.type) {
    case 'contacts':
      return 'CONTACT';
    case 'companies':
      return 'COMPANY';
    case 'deals':
      return 'DEAL';
    default: {
      const unreachable: never = context.type;
      return unreachable;
    }
  }
}

/** The error answer for a write the store refused. */
export function writeFailure(error: unknown): RouteAnswer {
  if (error instanceof ValidationFailure) {
    return errorAnswer(
      400,
      'VALIDATION_ERROR',
      `Property values were not valid: ${error.message}`,
      {
        errors: error.problems.map((problem) => ({
          message: problem.message,
          code: problem.code,
          context: { propertyName: [problem.name] },
        })),
      },
    );
  }
  if (error instanceof DuplicateFailure) {
    return errorAnswer(409, 'CONFLICT', error.message);
  }
  throw error;
}

export function propertiesOf(input: unknown): Record<string, unknown> | undefined {
  if (!isRecord(input)) return undefined;
  const { properties } = input;
  return isRecord(properties) ? properties : undefined;
}
