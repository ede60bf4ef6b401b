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
