/**
 * Filters per side: which records of a side take part in the sync.
 */
import type { FieldValue, Fields } from '../../connectors/sdk/contract';
import type { FilterCondition, FilterGroup } from './definition';
import { fieldOf, isBlank, valuesEqual } from './values';

export { FILTER_OPERATORS } from '../sync-definition/schema';

function listOf(value: FieldValue | undefined): string[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return [...(value as readonly string[])];
  return [String(value)];
}

/** In a list: a multi-select is in when any of its values is. */
function isIn(actual: FieldValue, list: FieldValue | undefined): boolean {
  const allowed = new Set(listOf(list));
  return listOf(actual).some((item) => allowed.has(item));
}

function contains(actual: FieldValue, needle: FieldValue | undefined): boolean {
  if (needle === null || needle === undefined || Array.isArray(needle)) return false;
  const text = String(needle);
  if (Array.isArray(actual)) return (actual as readonly string[]).includes(text);
  if (actual === null) return false;
  return String(actual).toLowerCase().includes(text.toLowerCase());
}

/** Numbers by value, anything else (ISO dates included) by its text; blanks never compare. */
function compare(actual: FieldValue, expected: FieldValue | undefined): number | undefined {
  if (isBlank(actual) || expected === undefined || isBlank(expected)) return undefined;
  if (Array.isArray(actual) || Array.isArray(expected)) return undefined;
  if (typeof actual === 'number' || typeof expected === 'number') {
    const a = Number(actual);
    const b = Number(expected);
    if (Number.isNaN(a) || Number.isNaN(b)) return undefined;
    return a === b ? 0 : a < b ? -1 : 1;
  }
  const a = String(actual);
  const b = String(expected);
  return a === b ? 0 : a < b ? -1 : 1;
}

export function matchesCondition(fields: Fields, condition: FilterCondition): boolean {
  const actual = fieldOf(fields, condition.field);
  const { value } = condition;
  switch (condition.op) {
    case 'eq':
      return valuesEqual(actual, value ?? null);
    case 'neq':
      return !valuesEqual(actual, value ?? null);
    case 'in':
      return isIn(actual, value);
    case 'not_in':
      return !isIn(actual, value);
    case 'contains':
      return contains(actual, value);
    case 'exists':
      return !isBlank(actual);
    case 'not_exists':
      return isBlank(actual);
    case 'gt': {
      const order = compare(actual, value);
      return order !== undefined && order > 0;
    }
    case 'gte': {
      const order = compare(actual, value);
      return order !== undefined && order >= 0;
    }
    case 'lt': {
      const order = compare(actual, value);
      return order !== undefined && order < 0;
    }
    case 'lte': {
      const order = compare(actual, value);
      return order !== undefined && order <= 0;
    }
    default: {
      const unreachable: never = condition.op;
      return unreachable;
    }
  }
}

/** Whether a record passes its side's filter; no filter (or no conditions) lets everything in. */
export function passesFilter(fields: Fields, filter: FilterGroup | undefined): boolean {
  if (filter === undefined || filter.conditions.length === 0) return true;
  switch (filter.combine) {
    case 'all':
      return filter.conditions.every((condition) => matchesCondition(fields, condition));
    case 'any':
      return filter.conditions.some((condition) => matchesCondition(fields, condition));
    default: {
      const unreachable: never = filter.combine;
      return unreachable;
    }
  }
}
