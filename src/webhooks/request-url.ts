/**
 * The URL a vendor called, which its webhook signatures cover: behind a reverse proxy it is not the
 * address the request arrived at.
 */

/** The parts of an incoming request the URI is built from (Express's request fits). */
export interface IncomingRequestParts {
  /** The path and query as received (`req.originalUrl`). */
  originalUrl: string;
  /** `req.protocol`: the connection's scheme. */
  protocol: string;
  headers: Record<string, string | string[] | undefined>;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  // A proxy chain appends: the first entry is what the client (the vendor) used.
  const first = raw?.split(',')[0]?.trim();
  return first === undefined || first === '' ? undefined : first;
}

/**
 * The URL the vendor called: `publicUrl` (SYNCLINE_PUBLIC_URL, no trailing slash) plus the path and
 * query received, or else rebuilt from the request, preferring the reverse proxy's
 * `X-Forwarded-Proto` / `X-Forwarded-Host` to the connection's scheme and `Host`.
 */
export function requestUri(request: IncomingRequestParts, publicUrl: string | undefined): string {
  if (publicUrl !== undefined) return `${publicUrl}${request.originalUrl}`;
  const scheme = firstHeader(request.headers['x-forwarded-proto']) ?? request.protocol;
  const host =
    firstHeader(request.headers['x-forwarded-host']) ?? firstHeader(request.headers.host) ?? '';
  return `${scheme}://${host}${request.originalUrl}`;
}
