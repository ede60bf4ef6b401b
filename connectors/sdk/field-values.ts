/**
 * Whether a value fits a vendor's field as discover() describes it: the memory vendor refuses a
 * write with it, and the API checks a conflict's custom value with it before accepting it.
 */
import type { FieldDescriptor, FieldValue } from './contract';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** An ISO 8601 date-time with its offset (the engine's own form is UTC with milliseconds). */
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** The allowed values, for a message: all of them up to 20, else the first 20 and a count. */
function allowedList(allowed: readonly string[]): string {
  const shown = allowed.slice(0, 20).join(', ');
  return allowed.length > 20 ? `${shown} (and ${String(allowed.length - 20)} more)` : shown;
}

/**
 * What is wrong with `value` for a field described by `descriptor`, or undefined when it fits:
 * its type, and for picklists whether it is one of the allowed values (listed in the message).
 */
export function valueProblem(descriptor: FieldDescriptor, value: FieldValue): string | undefined {
  if (value === null) return undefined;
  const allowed = descriptor.options?.map((option) => option.value);
  switch (descriptor.type) {
    case 'string':
    case 'text':
    case 'reference':
    case 'phone':
    case 'url':
    case 'id':
      return typeof value === 'string' ? undefined : 'expected a string';
    case 'email':
      return typeof value === 'string' && value.includes('@')
        ? undefined
        : 'expected an email address';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'expected a number';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value)
        ? undefined
        : 'expected an integer';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'expected a boolean';
    case 'date':
      return typeof value === 'string' && DATE.test(value)
        ? undefined
        : 'expected a date YYYY-MM-DD';
    case 'datetime':
      return typeof value === 'string' && DATETIME.test(value) && !Number.isNaN(Date.parse(value))
        ? undefined
        : 'expected an ISO 8601 date-time, e.g. 2026-11-24T07:00:00Z';
    case 'enum':
      if (typeof value !== 'string') return 'expected a picklist value';
      return allowed === undefined || allowed.includes(value)
        ? undefined
        : `'${value}' is not one of the allowed values: ${allowedList(allowed)}`;
    case 'multi_enum': {
      if (!Array.isArray(value)) return 'expected a list of picklist values';
      const bad = (value as readonly string[]).find(
        (item) => allowed !== undefined && !allowed.includes(item),
      );
      return bad === undefined || allowed === undefined
        ? undefined
        : `'${bad}' is not one of the allowed values: ${allowedList(allowed)}`;
    }
    case 'json':
      return undefined;
    default: {
      const unreachable: never = descriptor.type;
      return unreachable;
    }
  }
}
