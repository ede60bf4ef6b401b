/**
 * Match-key normalisers: two records match when their normalised keys are equal.
 */
import type { FieldValue } from '../../connectors/sdk/contract';
import type { MatchNormalizer } from './definition';

export { MATCH_NORMALIZERS } from '../sync-definition/schema';

/** The key a value matches by, or null when the value cannot identify a record (blank). */
export function normalizeKey(
  value: FieldValue | undefined,
  normalizer: MatchNormalizer,
): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return null;
  const text = String(value);
  let key: string;
  switch (normalizer) {
    case 'email':
      key = text.trim().toLowerCase();
      break;
    case 'domain':
      key = domainOf(text);
      break;
    case 'trim':
      key = text.trim();
      break;
    case 'case_insensitive':
      key = text.toLowerCase();
      break;
    case 'exact':
      key = text;
      break;
    default: {
      const unreachable: never = normalizer;
      return unreachable;
    }
  }
  return key.length === 0 ? null : key;
}

/**
 * A company's web domain: `https://www.Acme.com/about` and `sales@acme.com` are both `acme.com`.
 * The scheme, user, port, path, query, a trailing dot and one leading `www.` are dropped.
 */
export function domainOf(text: string): string {
  let rest = text.trim().toLowerCase();
  const at = rest.lastIndexOf('@');
  if (at >= 0 && !/^[a-z][a-z0-9+.-]*:\/\//.test(rest))
    return rest.slice(at + 1).replace(/\.$/, '');
  rest = rest.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/^\/\//, '');
  rest = rest.split(/[/?#]/, 1)[0] ?? '';
  rest = rest
    .slice(rest.lastIndexOf('@') + 1)
    .replace(/:\d*$/, '')
    .replace(/^www\./, '')
    .replace(/\.$/, '');
  return rest;
}

/** The spellings a web domain is commonly stored in, for a vendor's exact lookup. */
function domainSpellings(domain: string): string[] {
  const hosts = [domain, `www.${domain}`];
  return [
    ...hosts,
    ...hosts.flatMap((host) => [`https://${host}`, `http://${host}`]),
    ...hosts.flatMap((host) => [`https://${host}/`, `http://${host}/`]),
  ];
}

/**
 * Values to send to a vendor's lookup (which compares exactly): the raw value and its normalised
 * key, so a record stored in either spelling is found; candidates are then compared by key.
 */
export function lookupValues(value: FieldValue | undefined, normalizer: MatchNormalizer): string[] {
  const key = normalizeKey(value, normalizer);
  if (key === null || value === null || value === undefined || Array.isArray(value)) return [];
  const raw = String(value);
  // A domain is stored bare or as a site's address: look for each spelling (10 per key).
  if (normalizer === 'domain') return [...new Set([...domainSpellings(key), raw])];
  return raw === key ? [key] : [key, raw];
}
