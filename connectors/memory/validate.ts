/**
 * The memory vendor's field validation, when the test described the fields: what a real vendor
 * rejects per record (unknown field, value of the wrong type, picklist value not in the list,
 * required field missing).
 */
import type { FieldDescriptor, Fields, WriteError } from '../sdk/contract';
import { valueProblem } from '../sdk/field-values';

function invalid(field: string, message: string): WriteError {
  return { code: 'invalid_value', message, retryable: false, fields: [field] };
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
    const problem = valueProblem(descriptor, value);
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
