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
 * Values to send to a vendor's lookup (which compares exactly): the raw value and its normalised
 * key, so a record stored in either spelling is found; candidates are then compared by key.
 */
export function lookupValues(value: FieldValue | undefined, normalizer: MatchNormalizer): string[] {
  const key = normalizeKey(value, normalizer);
  if (key === null || value === null || value === undefined || Array.isArray(value)) return [];
  const raw = String(value);
  return raw === key ? [key] : [key, raw];
}
