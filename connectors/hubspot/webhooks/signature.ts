/**
 * HubSpot's v3 request signature (developers.hubspot.com, "Validating requests"):
 * `X-HubSpot-Signature-v3` = base64(HMAC-SHA256(client secret, method + URI + body + timestamp)),
 * with the timestamp from `X-HubSpot-Request-Timestamp` (milliseconds since the epoch). Pure
 * functions, so that they are tested without Nest.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const HUBSPOT_SIGNATURE_HEADER = 'x-hubspot-signature-v3';
export const HUBSPOT_TIMESTAMP_HEADER = 'x-hubspot-request-timestamp';

/** HubSpot: reject a request whose timestamp is older than 5 minutes (replays). */
export const HUBSPOT_SIGNATURE_MAX_AGE_MS = 5 * 60 * 1000;

/** The characters HubSpot signs decoded, by their percent-encoding (its documented table). */
const DECODED: Readonly<Record<string, string>> = {
  '3A': ':',
  '2F': '/',
  '3F': '?',
  '40': '@',
  '21': '!',
  '24': '$',
  '27': "'",
  '28': '(',
  '29': ')',
  '2A': '*',
  '2C': ',',
  '3B': ';',
};
const ENCODED = /%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi;

/**
 * The URI as HubSpot signs it: the characters of its table decoded, in one pass (so `%253A`
 * stays `%253A`), whatever the case of the hex digits; every other escape is kept as sent.
 */
export function decodeHubSpotUri(uri: string): string {
  return uri.replace(ENCODED, (match, hex: string) => DECODED[hex.toUpperCase()] ?? match);
}

export interface HubSpotSignedRequest {
  method: string;
  /** The full URL HubSpot called (scheme, host, path, query), already decoded. */
  uri: string;
  /** The exact bytes of the body. */
  body: Uint8Array | string;
  /** `X-HubSpot-Request-Timestamp`, as sent. */
  timestamp: string;
}

/** The v3 signature of a request under one client secret. */
export function hubspotV3Signature(clientSecret: string, request: HubSpotSignedRequest): string {
  return createHmac('sha256', clientSecret)
    .update(request.method, 'utf8')
    .update(request.uri, 'utf8')
    .update(request.body)
    .update(request.timestamp, 'utf8')
    .digest('base64');
}

/** Constant-time comparison of the expected signature with the one given. */
export function signaturesEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  // The length of a base64 SHA-256 is public; only equal lengths are compared in constant time.
  return a.length === b.length && timingSafeEqual(a, b);
}

export type TimestampProblem = 'missing' | 'malformed' | 'stale' | 'future';

/**
 * Why the timestamp is unacceptable, if it is: older than five minutes (HubSpot's rule), or as far
 * in the future (a clock that far off, or a forged stamp meant to outlive the window).
 */
export function timestampProblem(
  timestamp: string | undefined,
  nowMs: number,
  maxAgeMs: number = HUBSPOT_SIGNATURE_MAX_AGE_MS,
): TimestampProblem | undefined {
  if (timestamp === undefined || timestamp === '') return 'missing';
  if (!/^\d{1,16}$/.test(timestamp)) return 'malformed';
  const at = Number(timestamp);
  if (nowMs - at > maxAgeMs) return 'stale';
  if (at - nowMs > maxAgeMs) return 'future';
  return undefined;
}

/** Whether `signature` is the v3 signature of the request under `clientSecret`. */
export function verifyHubSpotV3(
  clientSecret: string,
  request: HubSpotSignedRequest,
  signature: string,
): boolean {
  return signaturesEqual(
    hubspotV3Signature(clientSecret, { ...request, uri: decodeHubSpotUri(request.uri) }),
    signature,
  );
}
