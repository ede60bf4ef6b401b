/**
 * The memory vendor's field validation, when the test described the fields: what a real vendor
 * rejects per record (unknown field, value of the wrong type, picklist value not in the list,
 * required field missing).
 */
import type { FieldDescriptor, FieldValue, Fields, WriteError } from '../sdk/contract';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function invalid(field: string, message: string): WriteError {
  return { code: 'invalid_value', message, retryable: false, fields: [field] };
}

function checkValue(descriptor: FieldDescriptor, value: FieldValue): string | undefined {
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
      return typeof value === 'string' && DATETIME.test(value)
        ? undefined
        : 'expected an ISO UTC datetime';
    case 'enum':
      if (typeof value !== 'string') return 'expected a picklist value';
      return allowed === undefined || allowed.includes(value)
        ? undefined
        : `'${value}' is not an allowed value`;
    case 'multi_enum': {
      if (!Array.isArray(value)) return 'expected a list of picklist values';
      const bad = (value as readonly string[]).find(
        (item) => allowed !== undefined && !allowed.includes(item),
      );
      return bad === undefined ? undefined : `'${bad}' is not an allowed value`;
    }
    case 'json':
      return undefined;
    default: {
      const unreachable: never = descriptor.type;
      return unreachable;
    }
  }
}

/**
 * The first problem with `fields`, or undefined. `complete` is the record as it will be stored
 * (for required checks); `fields` are the values this operation sets.
 */
export function validateFields(
  descriptors: ReadonlyMap<string, FieldDescriptor> | undefined,
  fields: Fields,
  complete: Fields,
): WriteError | undefined {
  if (descriptors === undefined) return undefined;
  for (const [name, value] of Object.entries(fields)) {
    const descriptor = descriptors.get(name);
    if (descriptor === undefined) return invalid(name, `unknown field '${name}'`);
    if (descriptor.readOnly) return invalid(name, `field '${name}' is read-only`);
    const problem = checkValue(descriptor, value);
    if (problem !== undefined) return invalid(name, `${name}: ${problem}`);
  }
  const missing = [...descriptors.values()]
    .filter((descriptor) => descriptor.required && (complete[descriptor.name] ?? null) === null)
    .map((descriptor) => descriptor.name);
  if (missing.length > 0) {
    return {
      code: 'required_field_missing',
      message: `required field(s) missing: ${missing.join(', ')}`,
      retryable: false,
      fields: missing,
    };
  }
  return undefined;
}
