/**
 * The one way Syncline's REST API is called, by the console (in the browser) and by the CLI (in
 * Node): JSON in and out, the API key as a bearer token, and an error status thrown as the
 * API's `{ code, message, details }`. Each caller adds its own around it (the console's sign-out
 * on 401, the CLI's base URL and timeout). No imports: both builds take this file as it is.
 */

export interface ApiErrorDetail {
  path: string;
  problem: string;
}

/** The API answered with an error status (or, for the console, did not answer: status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The problem named for `path` in the error's details, if any. */
  detail(path: string): string | undefined {
    return this.details.find((d) => d.path === path)?.problem;
  }
}

export interface ApiCall {
  method: string;
  url: string;
  /** The API key; none for a call that needs none (health). */
  key?: string | undefined;
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** The browser's cache mode (the console never reads a cached answer). */
  cache?: 'no-store';
  /** What a call that got no answer at all throws (refused, DNS, timeout). */
  unreachable: (error: unknown) => Error;
}

/** The error body's parts, when the body is the API's error shape. */
function errorOf(parsed: unknown): { code: string; message: string; details: ApiErrorDetail[] } {
  const error = (parsed as { error?: unknown } | undefined)?.error;
  if (typeof error !== 'object' || error === null) return { code: '', message: '', details: [] };
  const { code, message, details } = error as Record<string, unknown>;
  return {
    code: typeof code === 'string' ? code : '',
    message: typeof message === 'string' ? message : '',
    details: Array.isArray(details) ? (details as ApiErrorDetail[]) : [],
  };
}

/** Calls the API; the parsed JSON answer, or an ApiError. A caller's abort is thrown as it is. */
export async function callApi<T>(call: ApiCall): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (call.key !== undefined && call.key !== '') headers['authorization'] = `Bearer ${call.key}`;
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(call.url, {
      method: call.method,
      headers,
      body: call.body === undefined ? null : JSON.stringify(call.body),
      signal: call.signal ?? null,
      ...(call.cache === undefined ? {} : { cache: call.cache }),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw call.unreachable(error);
  }
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!response.ok) {
    const error = errorOf(parsed);
    throw new ApiError(
      response.status,
      error.code || `http_${String(response.status)}`,
      error.message ||
        `Syncline answered ${String(response.status)}${text === '' ? '' : `: ${text.slice(0, 200)}`}.`,
      error.details,
    );
  }
  return parsed as T;
}
