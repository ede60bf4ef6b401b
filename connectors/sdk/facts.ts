/**
 * Facts about a vendor account that rarely change (an object's fields, a portal's properties),
 * loaded once and kept: per connector by default, or per connection across runs when the host
 * passes its own cache in the context (refreshed on demand, and after `ttlMs`).
 */
import type { Clock } from './contract';

export interface FactCache {
  /** The fact under `key`, loaded once while fresh; a failed load is not kept. */
  remember<T>(key: string, load: () => Promise<T>): Promise<T>;
  /** Forgets every fact: the next use loads it again. */
  clear(): void;
}

export function createFactCache(
  options: { ttlMs?: number; clock?: Pick<Clock, 'now'> } = {},
): FactCache {
  const ttlMs = options.ttlMs ?? Number.POSITIVE_INFINITY;
  const now = (): number => options.clock?.now().getTime() ?? Date.now();
  const facts = new Map<string, { at: number; value: Promise<unknown> }>();
  return {
    remember<T>(key: string, load: () => Promise<T>): Promise<T> {
      const known = facts.get(key);
      if (known !== undefined && now() - known.at < ttlMs) return known.value as Promise<T>;
      const value = load();
      const entry = { at: now(), value };
      facts.set(key, entry);
      // A failed load is forgotten, so the next use tries again.
      value.catch(() => {
        if (facts.get(key) === entry) facts.delete(key);
      });
      return value;
    },
    clear() {
      facts.clear();
    },
  };
}
