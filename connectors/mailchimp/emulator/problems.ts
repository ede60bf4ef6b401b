/**
 * Mailchimp's answers ("Errors"): a 2xx with the resource, or an `application/problem+json`
 * document `{type, title, status, detail, instance}`, with `errors: [{field, message}]` when the
 * resource submitted failed validation.
 */
import { randomUUID } from 'node:crypto';

export const PROBLEM_TYPE = 'https://mailchimp.com/developer/marketing/docs/errors/';

export interface FieldProblem {
  field: string;
  message: string;
}

export interface Answer {
  status: number;
  /** Absent: no body (204). */
  body?: unknown;
}

export function ok(body: unknown, status = 200): Answer {
  return { status, body };
}

export const NO_CONTENT: Answer = { status: 204 };

/** A refusal a handler throws; the server answers it as a problem document. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors?: FieldProblem[],
  ) {
    super(`${String(status)} ${title}: ${detail}`);
  }

  document(): Record<string, unknown> {
    return {
      type: PROBLEM_TYPE,
      title: this.title,
      status: this.status,
      detail: this.detail,
      instance: randomUUID(),
      ...(this.errors === undefined ? {} : { errors: this.errors }),
    };
  }
}

export const notFound = (): Problem =>
  new Problem(404, 'Resource Not Found', 'The requested resource could not be found.');

/** "Invalid Resource": the body failed validation, with the offending fields where known. */
export const invalidResource = (detail: string, errors?: FieldProblem[]): Problem =>
  new Problem(400, 'Invalid Resource', detail, errors);

export const schemaInvalid = (errors: FieldProblem[]): Problem =>
  invalidResource(
    "The resource submitted could not be validated. For field-specific details, see the 'errors' array.",
    errors,
  );

/** The query or body's value as text (numbers and booleans too), or undefined. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
