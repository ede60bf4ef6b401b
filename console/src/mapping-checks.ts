/**
 * What the field mapper knows about fields before anything is saved: whether a value of one field
 * fits another (text into a number, a picklist value the target lacks, a read-only target), which
 * pairs to suggest (same name or label, types that fit), and which required fields are unmapped.
 * The server checks the saved definition again against the live schema; these are early warnings.
 */
import type { FieldInfo, FieldMapping, MappingDirection, TransformStep } from './types';

type Kind = 'text' | 'number' | 'boolean' | 'date' | 'choice' | 'other';

function kindOf(field: FieldInfo): Kind {
  switch (field.type) {
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
    case 'datetime':
      return 'date';
    case 'enum':
    case 'multi_enum':
      return 'choice';
    case 'string':
    case 'text':
    case 'email':
    case 'phone':
    case 'url':
    case 'id':
      return 'text';
    case 'reference':
    case 'json':
      return 'other';
  }
}

const KIND_WORDS: Record<Kind, string> = {
  text: 'text',
  number: 'a number',
  boolean: 'a true/false value',
  date: 'a date',
  choice: 'a picklist',
  other: 'a reference or structured value',
};

/** The values a value map can give (its outputs and default), when the steps are one value map. */
function mappedValues(steps: readonly TransformStep[]): string[] | undefined {
  const only = steps.length === 1 ? steps.at(0) : undefined;
  if (only?.kind !== 'value_map') return undefined;
  const values = Object.values(only.map);
  if (typeof only.default === 'string') values.push(only.default);
  return values;
}

/**
 * Why values of `source` may not fit `target` (written in the direction from source to target,
 * after `steps`), or undefined when they fit. Transforms other than a value map can turn anything
 * into anything, so only the target's read-only flag and picklist are checked after them.
 */
export function fitProblem(
  source: FieldInfo,
  target: FieldInfo,
  steps: readonly TransformStep[] = [],
): string | undefined {
  if (target.readOnly)
    return `${target.label} (${target.name}) is read-only: nothing can be written to it`;
  const options = target.options?.map((option) => option.value);
  const mapped = mappedValues(steps);
  if (mapped !== undefined && options !== undefined && options.length > 0) {
    const missing = mapped.filter((value) => !options.includes(value));
    return missing.length === 0
      ? undefined
      : `the value map gives ${quoteList(missing)}, which ${target.label} has no option for`;
  }
  if (steps.length > 0) return undefined;
  const from = kindOf(source);
  const to = kindOf(target);
  if (to === 'choice' && options !== undefined && options.length > 0) {
    if (from === 'choice') {
      const missing = (source.options ?? [])
        .map((option) => option.value)
        .filter((value) => !options.includes(value));
      return missing.length === 0
        ? undefined
        : `picklist values ${target.label} lacks: ${quoteList(missing)} (add a value map)`;
    }
    return `${KIND_WORDS[from]} into a picklist: values other than ${quoteList(options)} will be refused (add a value map)`;
  }
  if (from === to || to === 'text' || to === 'choice' || to === 'other' || from === 'other')
    return undefined;
  return `${KIND_WORDS[from]} (${source.type}) into ${KIND_WORDS[to]} (${target.type}): values that are not ${KIND_WORDS[to]} will be refused`;
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
