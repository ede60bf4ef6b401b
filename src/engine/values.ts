/**
 * Canonical comparison of field values: the three-way merge asks "did this change?" and "do both
 * sides already agree?" with these, so equal values must compare equal whatever their spelling.
 */
import type { FieldValue, Fields } from '../../connectors/sdk/contract';

/** Empty as a RevOps user sees it: null, an empty string, an empty multi-select. */
export function isBlank(value: FieldValue | undefined): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return value.length === 0;
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

function numbersEqual(a: number, b: number): boolean {
  // NaN equals NaN and 0 equals -0: both are one value to a vendor.
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/** Multi-selects are sets: order and duplicates do not make a change. */
function arraysEqual(a: readonly string[], b: readonly string[]): boolean {
  const left = [...new Set(a)].sort();
  const right = [...new Set(b)].sort();
  if (left.length !== right.length) return false;
  return left.every((value, index) => value === right[index]);
}

/** Deep, canonical equality: all blanks are equal, arrays compare as sets, numbers by value. */
export function valuesEqual(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  const aBlank = isBlank(a);
  const bBlank = isBlank(b);
  if (aBlank || bBlank) return aBlank && bBlank;
  if (typeof a === 'number' && typeof b === 'number') return numbersEqual(a, b);
  if (Array.isArray(a) && Array.isArray(b)) {
    return arraysEqual(a as readonly string[], b as readonly string[]);
  }
  return a === b;
}

/** A field of a record, with a missing field read as null. */
export function fieldOf(fields: Fields, name: string): FieldValue {
  return Object.prototype.hasOwnProperty.call(fields, name) ? (fields[name] ?? null) : null;
}

export function hasField(fields: Fields, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(fields, name);
}

/**
 * Coerces what a JSONata expression (or any untyped source) produced into a FieldValue.
 * Returns undefined when it cannot be one (an object, a function).
 */
export function toFieldValue(value: unknown): FieldValue | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (const item of value as unknown[]) {
      if (item === null || item === undefined) continue;
      if (typeof item === 'string') items.push(item);
      else if (typeof item === 'number' || typeof item === 'boolean') items.push(String(item));
      else return undefined;
    }
    return [...new Set(items)].sort();
  }
  return undefined;
}

/** A readable form of a value for messages and template output. */
export function valueToText(value: FieldValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(';');
  return String(value);
}
