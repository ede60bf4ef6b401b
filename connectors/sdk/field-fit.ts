/**
 * Whether a field's values fit another's: the rule the server checks a definition by when it is
 * saved (src/engine/validate-discovery.ts) and the console's mapper warns by as it is edited, in
 * one place. Types fit by family (a number into text does, text into a number does not without a
 * transform); a picklist takes only its options, whatever a value map or the source's own
 * picklist would write.
 */
import type { FieldType, PicklistOption } from './records-contract';

/** Type families whose canonical values can be written into each other without a transform. */
export function typeFamily(type: FieldType): string {
  switch (type) {
    case 'string':
    case 'text':
    case 'email':
    case 'phone':
    case 'url':
    case 'id':
    case 'enum':
    case 'reference':
      return 'text';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'multi_enum':
      return 'list';
    case 'json':
      return 'json';
    default: {
      const unreachable: never = type;
      return unreachable;
    }
  }
}

/** Whether values of type `source` can be written into type `target` without a transform. */
export function typesFit(source: FieldType, target: FieldType): boolean {
  const from = typeFamily(source);
  const to = typeFamily(target);
  if (from === to) return true;
  // Anything has a text form; JSON holds anything.
  return (to === 'text' && from !== 'list' && from !== 'json') || to === 'json';
}

/** A transform step as far as a picklist check reads it. */
interface StepLike {
  kind: string;
  map?: Readonly<Record<string, string>>;
  default?: unknown;
}

/**
 * The values a mapping would write into the picklist `sink` that it does not allow: a value
 * map's outputs, or (with no transform) the source picklist's options. `map`: the index of the
 * value map among the steps, when it is what gives them.
 */
export function picklistMisses(
  source: { options?: readonly PicklistOption[] },
  sink: { type: FieldType; options?: readonly PicklistOption[] },
  steps: readonly StepLike[],
): { misses: string[]; map: number | undefined } {
  if ((sink.type !== 'enum' && sink.type !== 'multi_enum') || sink.options === undefined)
    return { misses: [], map: undefined };
  const allowed = new Set(sink.options.map((option) => option.value));
  const map = steps.findIndex((step) => step.kind === 'value_map');
  const step = map === -1 ? undefined : steps[map];
  let produced: string[] = [];
  if (step !== undefined)
    produced = [
      ...Object.values(step.map ?? {}),
      ...(typeof step.default === 'string' ? [step.default] : []),
    ];
  else if (steps.length === 0 && source.options !== undefined)
    produced = source.options.map((option) => option.value);
  return {
    misses: [...new Set(produced.filter((value) => !allowed.has(value)))],
    map: step === undefined ? undefined : map,
  };
}
