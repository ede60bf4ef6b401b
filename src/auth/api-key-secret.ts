/**
 * The shape of an API key: `sl_<prefix>_<secret>`. The prefix finds the row; the hash of the whole
 * key proves it. Keys are shown once, at creation.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const API_KEY_PATTERN = /^sl_([a-z0-9]{10})_([A-Za-z0-9_-]{32,})$/;

export interface ParsedKey {
  prefix: string;
  key: string;
}

export function generateApiKey(): ParsedKey {
  const prefix = randomBytes(8).toString('hex').slice(0, 10);
  const secret = randomBytes(32).toString('base64url');
  return { prefix, key: `sl_${prefix}_${secret}` };
}

export function parseApiKey(key: string): ParsedKey | undefined {
  const match = API_KEY_PATTERN.exec(key);
  return match?.[1] === undefined ? undefined : { prefix: match[1], key };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

export const API_KEY_FORMAT =
  'sl_ followed by 10 lower-case letters or digits, _ and at least 32 characters of [A-Za-z0-9_-]';
