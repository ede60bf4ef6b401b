/**
 * The differences between a definition in the files and the one on the server, field by field,
 * and mapping by mapping (mappings are matched by their pair of fields, not by position, so that
 * inserting one does not show every later one as changed).
 */
import { formatPath, type PathSegments } from './yaml-source';
import { canonicalSpec, type MappingSpec, type SyncSpec } from './spec';

export interface Difference {
  /** `+` added, `-` removed, `~` changed. */
  op: '+' | '-' | '~';
  /** Where, e.g. `defaultPolicy`, `schedule.intervalSeconds`, `mappings[2].policy`. */
  path: string;
  /** What the path designates, for people: `jobtitle ↔ Title` for a mapping. */
  label?: string;
  /** The server's value (absent for `+`). */
  from?: unknown;
  /** The files' value (absent for `-`). */
  to?: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep equality of JSON data; the order of object keys does not matter, that of arrays does. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) if (!sameValue(a[key], b[key])) return false;
    return true;
  }
  return false;
}

/**
 * Leaf differences of two values under `path`: objects are walked key by key; arrays and scalars
 * are compared whole (an array of conditions or transform steps reads better whole).
 */
function leafDifferences(
  from: unknown,
  to: unknown,
  path: PathSegments,
  out: Difference[],
  label?: string,
): void {
  if (sameValue(from, to)) return;
  const where = formatPath(path);
  const base = label === undefined ? {} : { label };
  if (isObject(from) && isObject(to)) {
    const keys = [...Object.keys(to), ...Object.keys(from).filter((key) => !(key in to))];
    for (const key of keys) leafDifferences(from[key], to[key], [...path, key], out, label);
    return;
  }
  if (from === undefined || from === null) out.push({ op: '+', path: where, to, ...base });
  else if (to === undefined || to === null) out.push({ op: '-', path: where, from, ...base });
  else out.push({ op: '~', path: where, from, to, ...base });
}

export function mappingLabel(mapping: MappingSpec): string {
  return `${mapping.left} ↔ ${mapping.right}`;
}

function mappingKey(mapping: MappingSpec): string {
  return `${mapping.left}\u0000${mapping.right}`;
}

function mappingDifferences(
  server: readonly MappingSpec[],
  files: readonly MappingSpec[],
  out: Difference[],
): void {
  // Each file mapping is paired with the first unpaired server mapping of the same fields.
  const unpaired = new Map<string, number[]>();
  server.forEach((mapping, index) => {
    const list = unpaired.get(mappingKey(mapping)) ?? [];
    list.push(index);
    unpaired.set(mappingKey(mapping), list);
  });
  const pairedServerOrder: number[] = [];
  files.forEach((mapping, index) => {
    const serverIndex = unpaired.get(mappingKey(mapping))?.shift();
    const label = mappingLabel(mapping);
    if (serverIndex === undefined) {
      out.push({ op: '+', path: `mappings[${String(index)}]`, label, to: mapping });
      return;
    }
    pairedServerOrder.push(serverIndex);
    const { left: _l, right: _r, ...before } = server[serverIndex];
    const { left: _l2, right: _r2, ...after } = mapping;
    leafDifferences(before, after, ['mappings', index], out, label);
  });
  for (const indexes of unpaired.values())
    for (const index of indexes) {
      const mapping = server[index];
      out.push({
        op: '-',
        path: `mappings[${String(index)}]`,
        label: mappingLabel(mapping),
        from: mapping,
      });
    }
  const inOrder = pairedServerOrder.every(
    (value, i) => i === 0 || value > (pairedServerOrder[i - 1] ?? -1),
  );
  if (!inOrder)
    out.push({ op: '~', path: 'mappings', label: 'order', from: 'server order', to: 'file order' });
}

/**
 * What applying `files` to a server holding `server` changes, in file order: top-level fields,
 * then mappings. Empty when they mean the same. Alert URLs are compared as the server shows them.
 */
export function differences(server: SyncSpec, files: SyncSpec): Difference[] {
  const before = canonicalSpec(server, { maskUrls: true });
  const after = canonicalSpec(files, { maskUrls: true });
  const out: Difference[] = [];
  for (const key of Object.keys(after) as Array<keyof typeof after>) {
    if (key === 'mappings' || key === 'name') continue;
    leafDifferences(before[key], after[key], [key], out);
  }
  mappingDifferences(before.mappings, after.mappings, out);
  return out;
}
