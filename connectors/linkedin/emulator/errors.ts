/**
 * LinkedIn's error answers ("API Error Handling"): `{status, serviceErrorCode, code, message}`;
 * 401 for a missing or bad token, 426 for a version LinkedIn does not serve, 429 for a spent
 * daily limit ("Rate Limits": "Resource level throttle … DAY limit … is reached").
 */
export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function linkedInError(
  status: number,
  code: string,
  message: string,
  serviceErrorCode = 100,
): Answer {
  return { status, body: { status, serviceErrorCode, code, message } };
}

export function ok(body: unknown, status = 200, headers: Record<string, string> = {}): Answer {
  return { status, body, headers };
}

/** One element's answer in a BATCH_CREATE: 201, or its own error. */
export type ElementAnswer = { status: 201; id?: string } | { status: 400 | 422; error: unknown };

export function elementError(status: 400 | 422, message: string): ElementAnswer {
  return { status, error: { status, code: 'INVALID_ARGUMENT', message } };
}

/**
 * A Rest.li create: one element (201, or its error), or with BATCH_CREATE `elements` (1 to `max`)
 * answered one by one.
 */
export function createOneOrBatch(
  body: unknown,
  batch: boolean,
  limit: { max: number; what: string },
  take: (element: unknown, at: string) => ElementAnswer,
): Answer {
  if (!batch) {
    const answer = take(body, 'element');
    return answer.status === 201
      ? ok(undefined, 201)
      : { status: answer.status, body: answer.error };
  }
  const elements = (body as { elements?: unknown } | undefined)?.elements;
  if (!Array.isArray(elements) || elements.length === 0)
    return linkedInError(400, 'INVALID_ARGUMENT', 'A BATCH_CREATE needs elements');
  if (elements.length > limit.max)
    return linkedInError(
      400,
      'INVALID_ARGUMENT',
      `A batch holds at most ${String(limit.max)} ${limit.what}`,
    );
  return ok({
    elements: (elements as unknown[]).map((element, index) =>
      take(element, `elements[${String(index)}]`),
    ),
  });
}
