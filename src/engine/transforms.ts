/**
 * Field transforms: value maps, constants, templates, formatting functions and JSONata, compiled
 * once per run into one function per mapping and direction.
 */
import jsonata from 'jsonata';
import type { FieldValue, Fields } from '../../connectors/sdk/contract';
import type { Transform } from './definition';
import { boundedFailure, compileBounded, isBoundError } from './expressions';
import { TransformError, applyFormat } from './format';
import { toFieldValue, valueToText } from './values';

/** Maps a source value (with its whole record, for templates and JSONata) to a target value. */
export type CompiledTransform = (
  value: FieldValue,
  record: Fields,
) => FieldValue | Promise<FieldValue>;

export const identityTransform: CompiledTransform = (value) => value;

/** The inverse of a value map, or undefined when two keys map to the same value. */
export function invertValueMap(map: Record<string, string>): Record<string, string> | undefined {
  const inverse: Record<string, string> = {};
  for (const [key, value] of Object.entries(map)) {
    if (Object.prototype.hasOwnProperty.call(inverse, value)) return undefined;
    inverse[value] = key;
  }
  return inverse;
}

/**
 * Steps for the other direction of a two-way field given in one direction only: value maps are
 * inverted, formatting functions are one-way clean-ups (identity back); constants, templates and
 * JSONata cannot be inverted (undefined).
 */
export function inverseSteps(steps: readonly Transform[]): Transform[] | undefined {
  const inverse: Transform[] = [];
  for (const step of [...steps].reverse()) {
    switch (step.kind) {
      case 'value_map': {
        const map = invertValueMap(step.map);
        if (map === undefined) return undefined;
        inverse.push({ kind: 'value_map', map });
        break;
      }
      case 'format':
        break;
      case 'constant':
      case 'template':
      case 'jsonata':
        return undefined;
      default: {
        const unreachable: never = step;
        return unreachable;
      }
    }
  }
  return inverse;
}

function mapValue(
  map: Record<string, string>,
  fallback: { value: string | null } | undefined,
  value: FieldValue,
): FieldValue {
  const one = (item: string): string | null => {
    if (Object.prototype.hasOwnProperty.call(map, item)) return map[item] ?? null;
    return fallback === undefined ? item : fallback.value;
  };
  if (value === null) return null;
  if (Array.isArray(value)) {
    const mapped = (value as readonly string[])
      .map(one)
      .filter((item): item is string => item !== null);
    return [...new Set(mapped)].sort();
  }
  return one(String(value));
}

const PLACEHOLDER = /\{\{\s*([^}\s]+)\s*\}\}/g;

function fillTemplate(template: string, value: FieldValue, record: Fields): string {
  return template.replace(PLACEHOLDER, (_match, name: string) =>
    name === 'value' ? valueToText(value) : valueToText(record[name]),
  );
}

/** Parses a JSONata expression; throws jsonata's error (with position) when it does not parse. */
export function compileJsonata(expression: string): jsonata.Expression {
  return jsonata(expression);
}

type Step = (value: FieldValue, record: Fields) => FieldValue | Promise<FieldValue>;

/** Bound errors in a row after which a run stops evaluating an expression (each record fails). */
export const BOUND_HITS_BEFORE_SKIP = 3;

/** A JSONata step within bounds; after repeated bound errors in a run, not evaluated any more. */
function jsonataStep(expression: string, name: string): Step {
  const bounded = compileBounded(expression);
  let boundHits = 0;
  return async (value, record) => {
    if (boundHits >= BOUND_HITS_BEFORE_SKIP)
      throw new TransformError(
        `${name}: JSONata not evaluated: it passed its bounds on ${String(BOUND_HITS_BEFORE_SKIP)} records in a row in this run`,
      );
    let result: unknown;
    try {
      result = await bounded.evaluate({ value, record });
      boundHits = 0;
    } catch (error) {
      if (isBoundError(error)) boundHits++;
      throw boundedFailure(name, error);
    }
    const coerced = toFieldValue(result);
    if (coerced === undefined)
      throw new TransformError(`${name}: JSONata result is not a field value`);
    return coerced;
  };
}

function compileStep(step: Transform, name: string): Step {
  switch (step.kind) {
    case 'value_map': {
      const fallback = step.default === undefined ? undefined : { value: step.default };
      return (value) => mapValue(step.map, fallback, value);
    }
    case 'constant':
      return () => step.value;
    case 'template':
      return (value, record) => fillTemplate(step.template, value, record);
    case 'format':
      return (value) => applyFormat(step.fn, value, step.format);
    case 'jsonata':
      return jsonataStep(step.expression, name);
    default: {
      const unreachable: never = step;
      return unreachable;
    }
  }
}

/**
 * One function for a list of steps; synchronous unless a step is asynchronous (JSONata). `path`
 * names the list (`mappings[2].transforms.leftToRight`) in the errors of its steps.
 */
export function compileTransform(
  steps: readonly Transform[] | undefined,
  path = 'transforms',
): CompiledTransform {
  if (steps === undefined || steps.length === 0) return identityTransform;
  const compiled = steps.map((step, index) => compileStep(step, `${path}[${String(index)}]`));
  return (value, record) => {
    let current: FieldValue | Promise<FieldValue> = value;
    for (let index = 0; index < compiled.length; index++) {
      const step = compiled[index];
      if (current instanceof Promise) {
        const rest = compiled.slice(index);
        return current.then(async (resolved) => {
          let next = resolved;
          for (const later of rest) next = await later(next, record);
          return next;
        });
      }
      current = step(current, record);
    }
    return current;
  };
}
