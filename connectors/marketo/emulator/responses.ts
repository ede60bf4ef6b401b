/**
 * Marketo's answers ("Error Codes"): HTTP 200 with `success` and a `requestId`; a request-level
 * error as `success: false` with `errors: [{code, message}]`, codes as strings; record-level
 * outcomes as each result's `status` and `reasons`.
 */
import { randomBytes } from 'node:crypto';

/** A value sent to the emulator as text, as Marketo echoes it in messages. */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === undefined || value === null ? '' : JSON.stringify(value);
}

export interface MarketoError {
  code: string;
  message: string;
}

export interface Answer {
  status: number;
  body: unknown;
  /** Whether the call counts against the quota and the rate limit (not when refused). */
  counted: boolean;
}

/** `e42b#14272d07d78`: Marketo's request ids. */
export function requestId(): string {
  return `${randomBytes(2).toString('hex')}#${randomBytes(6).toString('hex').slice(0, 11)}`;
}

export function ok(fields: Record<string, unknown> = {}): Answer {
  return { status: 200, counted: true, body: { requestId: requestId(), success: true, ...fields } };
}

export function refused(code: string, message: string): Answer {
  return {
    status: 200,
    counted: false,
    body: { requestId: requestId(), success: false, errors: [{ code, message }] },
  };
}

/** A request-level refusal thrown by a handler (a missing parameter, an unknown field). */
export class Refused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const blank = (name: string): Refused => new Refused('701', `${name} cannot be blank`);

export const notFoundField = (name: string): Refused =>
  new Refused('1006', `Field '${name}' not found`);

export const skipped = (code: string, message: string): Record<string, unknown> => ({
  status: 'skipped',
  reasons: [{ code, message }],
});

// RFC 4648 base32, the alphabet of Marketo's paging tokens.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET.charAt((value >>> (bits - 5)) & 31);
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET.charAt((value << (5 - bits)) & 31);
  return out.padEnd(Math.ceil(out.length / 8) * 8, '=');
}

function unbase32(token: string): string | undefined {
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const char of token.replace(/=+$/, '')) {
    const index = ALPHABET.indexOf(char);
    if (index < 0) return undefined;
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** An opaque paging token for `position` of the stream `kind`. */
export function pagingToken(kind: string, position: number | string): string {
  return base32(`${kind}:${String(position)}`);
}

/** The position a token of `kind` holds, or a refusal (Marketo: 1003 for a token it cannot read). */
export function readPagingToken(kind: string, token: string): string {
  const text = unbase32(token);
  const prefix = `${kind}:`;
  if (text?.startsWith(prefix) !== true)
    throw new Refused('1003', `Invalid value '${token}' for nextPageToken`);
  return text.slice(prefix.length);
}
