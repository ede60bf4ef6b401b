/**
 * Values between HubSpot's all-strings wire format and our canonical forms: numbers, booleans,
 * dates (`YYYY-MM-DD`), datetimes (ISO UTC), multi-selects split on `;` — and back on write.
 */
import type { FieldType, FieldValue, Fields } from '../sdk/contract';
import { ConnectorError } from '../sdk/errors';
import { normalizeValue } from '../sdk/normalize';

/** Our field type for a HubSpot property (`type` and `fieldType`, see the properties API). */
export function fieldTypeOf(property: {
  name: string;
  type: string;
  fieldType: string;
}): FieldType {
  if (property.name === 'hs_object_id') return 'id';
  switch (property.type) {
    case 'number':
      return 'number';
    case 'bool':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'phone_number':
      return 'phone';
    case 'enumeration':
      if (property.fieldType === 'checkbox') return 'multi_enum';
      if (property.fieldType === 'booleancheckbox') return 'boolean';
      return 'enum';
    case 'string':
      if (property.fieldType === 'phonenumber') return 'phone';
      if (property.name === 'email') return 'email';
      if (property.fieldType === 'textarea') return 'text';
      return 'string';
    default:
      return 'string';
  }
}

/** Field types of an object's properties, by name. */
export type Schema = ReadonlyMap<string, FieldType>;

/** A wire value in canonical form; an unreadable value is kept as its string. */
export function fromWire(type: FieldType | undefined, raw: string | null | undefined): FieldValue {
  if (raw === null || raw === undefined) return null;
  if (type === undefined) return raw;
  // Non-string types treat '' as empty; a string property keeps it.
  try {
    return normalizeValue(type, raw);
  } catch {
    return raw;
  }
}

export function fieldsFromWire(
  schema: Schema,
  properties: Record<string, string | null>,
  wanted?: readonly string[],
): Fields {
  const fields: Fields = {};
  const names = wanted === undefined || wanted.length === 0 ? Object.keys(properties) : wanted;
  for (const name of names) fields[name] = fromWire(schema.get(name), properties[name]);
  return fields;
}

/** The wire string of a canonical value; `''` clears a property in HubSpot. */
export function toWire(type: FieldType | undefined, value: FieldValue, field: string): string {
  if (value === null) return '';
  if (Array.isArray(value)) return value.join(';');
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new ConnectorError('invalid_value', `${field}: ${value} is not a number`);
    return String(value);
  }
  if (typeof value !== 'string')
    throw new ConnectorError('invalid_value', `${field}: unsupported value`);
  if (type === 'datetime' && value !== '') {
    // HubSpot takes ISO 8601 or epoch ms; ISO in UTC keeps what we read back equal.
    const parsed = Date.parse(value);
    if (Number.isNaN(parsed))
      throw new ConnectorError('invalid_value', `${field}: ${value} is not a datetime`);
    return new Date(parsed).toISOString();
  }
  return value;
}

export function fieldsToWire(schema: Schema, fields: Fields): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields))
    properties[name] = toWire(schema.get(name), value, name);
  return properties;
}
