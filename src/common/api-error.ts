/** The one error shape of the API: `{ "error": { "code", "message", "details": [{ "path", "problem" }] } }`. */
export interface ApiErrorDetail {
  path: string;
  problem: string;
}

export interface ApiErrorBody {
  error: { code: string; message: string; details: ApiErrorDetail[] };
}

export function apiError(
  code: string,
  message: string,
  details: ApiErrorDetail[] = [],
): ApiErrorBody {
  return { error: { code, message, details } };
}
