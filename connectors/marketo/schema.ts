/**
 * The lead object as Describe Lead2 reports it (its fields, which can be updated, which are
 * searchable and so usable as lookup keys), and lead values between Marketo's JSON and the
 * contract's canonical form.
 */
import type {
  FieldDescriptor,
  FieldType,
  FieldValue,
  Fields,
  ObjectDescriptor,
} from '../sdk/contract';
import { ConnectorError } from '../sdk/errors';
import type { FactCache } from '../sdk/facts';
import type { MarketoClient } from './client';
import { wireText } from './errors';

export const LEADS = 'leads';

interface Describe2Field {
  name?: unknown;
  displayName?: unknown;
  dataType?: unknown;
  updateable?: unknown;
}

interface Describe2 {
  searchableFields?: unknown;
  fields?: Describe2Field[];
}

export interface LeadSchema {
  descriptor: ObjectDescriptor;
  /** Field types by name, and the canonical name of each field by lower-cased name. */
  types: Map<string, FieldType>;
  names: Map<string, string>;
  searchable: Set<string>;
}

/** Marketo's data types ("Field Types") as the contract's. */
function fieldType(dataType: string): FieldType {
  switch (dataType) {
    case 'text':
      return 'text';
    case 'email':
      return 'email';
    case 'phone':
      return 'phone';
    case 'url':
      return 'url';
    case 'integer':
    case 'score':
    case 'percent':
      return 'integer';
    case 'float':
    case 'currency':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'reference':
      return 'reference';
    default:
      return 'string';
  }
}

export async function loadLeadSchema(client: MarketoClient, facts: FactCache): Promise<LeadSchema> {
  return facts.remember('marketo:leads', async () => {
    const answer = await client.get<Describe2>('v1/leads/describe2.json');
    const describe = answer.result?.at(0);
    if (describe === undefined || !Array.isArray(describe.fields))
      throw new ConnectorError('unknown', 'Marketo Describe Lead2 answered without fields');
    const searchable = new Set<string>();
    if (Array.isArray(describe.searchableFields))
      for (const key of describe.searchableFields as unknown[]) {
        // Each entry is a key of one or more fields; single-field keys can be lookup fields.
        if (Array.isArray(key) && key.length === 1 && typeof key[0] === 'string')
          searchable.add(key[0]);
        else if (typeof key === 'string') searchable.add(key);
      }
    const fields: FieldDescriptor[] = describe.fields.flatMap((raw) => {
      if (typeof raw.name !== 'string') return [];
      const name = raw.name;
      // Lookup keys of Sync Leads: searchable fields other than the system id (updateOnly only).
      const key = searchable.has(name) && name !== 'id';
      return [
        {
          name,
          label: typeof raw.displayName === 'string' ? raw.displayName : name,
          type: name === 'id' ? 'id' : fieldType(String(raw.dataType)),
          required: false,
          readOnly: raw.updateable !== true,
          unique: key,
          externalId: key,
        },
      ];
    });
    return {
      descriptor: {
        name: LEADS,
        label: 'Leads',
        fields,
        deletes: true,
        writeModes: ['upsert', 'create', 'update', 'delete'],
      },
      types: new Map(fields.map((field) => [field.name, field.type])),
      names: new Map(fields.map((field) => [field.name.toLowerCase(), field.name])),
      searchable,
    };
  });
}

/** The schema's own spelling of `name` (Marketo matches names without regard to case). */
export function fieldName(schema: LeadSchema, name: string): string {
  const known = schema.names.get(name.toLowerCase());
  if (known === undefined)
    throw new ConnectorError('bad_request', `Marketo leads have no field ${name}`);
  return known;
}

/** `2015-08-24T20:17:23Z` (or with an offset) as the contract's ISO instant with milliseconds. */
export function isoInstant(value: string): string {
  const normalised = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(normalised);
  if (Number.isNaN(ms))
    throw new ConnectorError('unknown', `Marketo sent an unreadable date ${value}`);
  return new Date(ms).toISOString();
}

function canonical(type: FieldType | undefined, value: unknown): FieldValue {
  if (value === undefined || value === null || value === '') return null;
  const text = wireText(value);
  switch (type) {
    case 'integer':
    case 'number': {
      const number = typeof value === 'number' ? value : Number(text);
      return Number.isFinite(number) ? number : text;
    }
    case 'boolean':
      return typeof value === 'boolean' ? value : text === 'true';
    case 'datetime':
      return isoInstant(text);
    case 'date':
      return text.slice(0, 10);
    case 'string':
    case 'text':
    case 'email':
    case 'phone':
    case 'url':
    case 'id':
    case 'enum':
    case 'multi_enum':
    case 'reference':
    case 'json':
    case undefined:
      return text;
    default: {
      const unreachable: never = type;
      return unreachable;
    }
  }
}

/** A lead from Marketo's JSON: the fields asked for (missing ones are null), in canonical form. */
export function leadFields(
  schema: LeadSchema,
  raw: Record<string, unknown>,
  names: readonly string[],
): Fields {
  const fields: Fields = {};
  for (const name of names) fields[name] = canonical(schema.types.get(name), raw[name]);
  return fields;
}

/** A value as Sync Leads takes it: datetimes to the second, in UTC; lists joined by `;`. */
export function wireValue(type: FieldType | undefined, value: FieldValue): unknown {
  if (value === null) return null;
  if (Array.isArray(value)) return value.join(';');
  if (type === 'datetime' && typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? value : `${new Date(ms).toISOString().slice(0, 19)}Z`;
  }
  return value;
}
