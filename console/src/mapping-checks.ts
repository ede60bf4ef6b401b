/**
 * What the field mapper knows about fields before anything is saved: whether a value of one field
 * fits another (text into a number, a picklist value the target lacks, a read-only target), which
 * pairs to suggest (same name or label, types that fit), and which required fields are unmapped.
 * The server checks the saved definition again against the live schema; these are early warnings.
 */
import { picklistMisses, typeFamily, typesFit } from '../../connectors/sdk/field-fit';
import type { FieldInfo, FieldMapping, MappingDirection, TransformStep } from './types';

/** A type family in words, for "text into a number". */
const FAMILY_WORDS: Record<string, string> = {
  text: 'text',
  number: 'a number',
  boolean: 'a true/false value',
  date: 'a date',
  datetime: 'a date and time',
  list: 'a list of picklist values',
  json: 'structured data',
};

function inWords(field: FieldInfo): string {
  return FAMILY_WORDS[typeFamily(field.type)] ?? field.type;
}

/**
 * Why values of `source` may not fit `target` (written in the direction from source to target,
 * after `steps`), or undefined when they fit: the server's rule (connectors/sdk/field-fit.ts), in
 * words. A read-only target, a picklist value the target lacks (from the source's picklist or a
 * value map), a type that does not fit without a transform.
 */
export function fitProblem(
  source: FieldInfo,
  target: FieldInfo,
  steps: readonly TransformStep[] = [],
): string | undefined {
  if (target.readOnly)
    return `${target.label} (${target.name}) is read-only: nothing can be written to it`;
  const { misses, map } = picklistMisses(source, target, steps);
  if (misses.length > 0)
    return map === undefined
      ? `picklist values ${target.label} lacks: ${quoteList(misses)} (add a value map)`
      : `the value map gives ${quoteList(misses)}, which ${target.label} has no option for`;
  if (steps.length === 0 && !typesFit(source.type, target.type))
    return `${inWords(source)} (${source.type}) into ${inWords(target)} (${target.type}): values that are not ${inWords(target)} will be refused (add a transform)`;
  return undefined;
}

function quoteList(values: readonly string[]): string {
  const shown = values.slice(0, 5).map((value) => `"${value}"`);
  return values.length > 5
    ? `${shown.join(', ')} and ${String(values.length - 5)} more`
    : shown.join(', ');
}

/** `first_name`, `FirstName` and `First name` read the same. */
function key(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The directions a pair can be written in, by each side's read-only flag. */
function writableDirection(
  left: FieldInfo,
  right: FieldInfo,
  wanted: MappingDirection,
): MappingDirection | undefined {
  const toRight = !right.readOnly && (wanted === 'both' || wanted === 'left_to_right');
  const toLeft = !left.readOnly && (wanted === 'both' || wanted === 'right_to_left');
  if (toRight && toLeft) return 'both';
  if (toRight) return 'left_to_right';
  if (toLeft) return 'right_to_left';
  return undefined;
}

/**
 * Pairs to suggest: a left and a right field of the same name or label (ignoring case and
 * punctuation), neither mapped yet, whose values fit in a direction the sync writes.
 */
export function suggestions(
  left: readonly FieldInfo[],
  right: readonly FieldInfo[],
  mapped: readonly FieldMapping[],
  syncDirection: MappingDirection,
): FieldMapping[] {
  const usedLeft = new Set(mapped.map((mapping) => mapping.left));
  const usedRight = new Set(mapped.map((mapping) => mapping.right));
  const out: FieldMapping[] = [];
  for (const l of left) {
    if (usedLeft.has(l.name)) continue;
    const r = right.find(
      (candidate) =>
        !usedRight.has(candidate.name) &&
        (key(candidate.name) === key(l.name) || key(candidate.label) === key(l.label)),
    );
    if (r === undefined) continue;
    const direction = writableDirection(l, r, syncDirection);
    if (direction === undefined) continue;
    const fits =
      (direction === 'right_to_left' || fitProblem(l, r) === undefined) &&
      (direction === 'left_to_right' || fitProblem(r, l) === undefined);
    if (!fits) continue;
    usedRight.add(r.name);
    out.push({ left: l.name, right: r.name, direction });
  }
  return out;
}

/** Required, writable fields of a side that no mapping writes (a create there would be refused). */
export function unmappedRequired(
  fields: readonly FieldInfo[],
  mapped: readonly FieldMapping[],
  side: 'left' | 'right',
): FieldInfo[] {
  const into = side === 'right' ? 'left_to_right' : 'right_to_left';
  const written = new Set(
    mapped
      .filter((mapping) => mapping.direction === 'both' || mapping.direction === into)
      .map((mapping) => mapping[side]),
  );
  return fields.filter((field) => field.required && !field.readOnly && !written.has(field.name));
}
