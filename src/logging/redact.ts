/** Keys whose values never reach a log line: tokens, secrets, passwords, keys, credentials. */
const SECRET_KEY =
  /token|secret|password|passwd|api[-_]?key|^key$|private[-_]?key|authorization|cookie|credential/i;

export const REDACTED = '[redacted]';

/** A copy of `value` with the value of every secret-looking key replaced, at any depth. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  // Only plain data is copied; requests, responses and errors go to pino's serializers untouched.
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? REDACTED : redactSecrets(inner, depth + 1);
  }
  return out;
}
