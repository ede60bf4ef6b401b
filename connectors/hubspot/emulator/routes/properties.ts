/**
 * Properties API v3 (https://developers.hubspot.com/docs/api/crm/properties): list, read and
 * create properties, list and create property groups.
 */
import {
  type PropertyDefinition,
  type PropertyFieldType,
  type PropertyType,
  propertyJson,
} from '../properties';
import { type RouteAnswer, errorAnswer } from '../responses';
import { type RouteContext, isRecord } from './context';

const BUILT_IN_AT = '2020-01-01T00:00:00.000Z';

const TYPES: readonly PropertyType[] = [
  'string',
  'number',
  'date',
  'datetime',
  'enumeration',
  'bool',
];
const FIELD_TYPES: readonly PropertyFieldType[] = [
  'text',
  'textarea',
  'phonenumber',
  'number',
  'date',
  'select',
  'radio',
  'checkbox',
  'booleancheckbox',
  'calculation_equation',
];
/** Internal names: lower case letters, digits and underscores, starting with a letter. */
const NAME = /^[a-z][a-z0-9_]*$/;

function createdAt(context: RouteContext, definition: PropertyDefinition): string {
  return (
    context.store.properties.createdAt.get(`${context.type}:${definition.name}`) ?? BUILT_IN_AT
  );
}

export function listProperties(context: RouteContext): RouteAnswer {
  return {
    status: 200,
    body: {
      results: context.store.properties
        .list(context.type)
        .map((definition) => propertyJson(definition, createdAt(context, definition))),
    },
  };
}

export function getProperty(context: RouteContext): RouteAnswer {
  const definition = context.store.properties.of(context.type, context.id ?? '');
  if (definition === undefined)
    return errorAnswer(404, 'OBJECT_NOT_FOUND', `Unable to find property ${context.id ?? ''}`);
  return { status: 200, body: propertyJson(definition, createdAt(context, definition)) };
}

function text(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

export function createProperty(context: RouteContext): RouteAnswer {
  const body = isRecord(context.body) ? context.body : {};
  const missing = ['name', 'label', 'type', 'fieldType', 'groupName'].filter(
    (name) => text(body, name) === undefined,
  );
  if (missing.length > 0)
    return errorAnswer(400, 'VALIDATION_ERROR', `Missing required fields: ${missing.join(', ')}`);
  const name = text(body, 'name') ?? '';
  const type = text(body, 'type') as PropertyType;
  const fieldType = text(body, 'fieldType') as PropertyFieldType;
  const groupName = text(body, 'groupName') ?? '';
  if (!NAME.test(name))
    return errorAnswer(
      400,
      'VALIDATION_ERROR',
      `Property name ${name} is not a valid internal name`,
    );
  if (!TYPES.includes(type) || !FIELD_TYPES.includes(fieldType))
    return errorAnswer(400, 'VALIDATION_ERROR', `Invalid type ${type} or fieldType ${fieldType}`);
  if (context.store.properties.group(context.type, groupName) === undefined)
    return errorAnswer(400, 'VALIDATION_ERROR', `Property group ${groupName} does not exist`);
  if (context.store.properties.of(context.type, name) !== undefined)
    return errorAnswer(409, 'OBJECT_ALREADY_EXISTS', `Property named '${name}' already exists.`);
  const options = Array.isArray(body['options']) ? body['options'] : [];
  if (type === 'enumeration' && options.length === 0)
    return errorAnswer(400, 'VALIDATION_ERROR', 'An enumeration property needs options');
  const definition: PropertyDefinition = {
    name,
    label: text(body, 'label') ?? name,
    type,
    fieldType,
    groupName,
    description: text(body, 'description') ?? '',
    options: options.filter(isRecord).map((option, index) => ({
      label: typeof option['label'] === 'string' ? option['label'] : String(option['value']),
      value: String(option['value']),
      displayOrder: typeof option['displayOrder'] === 'number' ? option['displayOrder'] : index,
      hidden: option['hidden'] === true,
    })),
    hasUniqueValue: body['hasUniqueValue'] === true,
    readOnly: false,
    custom: true,
  };
  const at = context.store.clock.now().toISOString();
  context.store.properties.add(context.type, definition, at);
  return { status: 201, body: propertyJson(definition, at) };
}

export function listGroups(context: RouteContext): RouteAnswer {
  return { status: 200, body: { results: context.store.properties.groupsOf(context.type) } };
}

export function createGroup(context: RouteContext): RouteAnswer {
  const body = isRecord(context.body) ? context.body : {};
  const name = text(body, 'name');
  const label = text(body, 'label');
  if (name === undefined || label === undefined)
    return errorAnswer(400, 'VALIDATION_ERROR', 'Missing required fields: name, label');
  if (!NAME.test(name))
    return errorAnswer(400, 'VALIDATION_ERROR', `Group name ${name} is not a valid internal name`);
  if (context.store.properties.group(context.type, name) !== undefined)
    return errorAnswer(409, 'OBJECT_ALREADY_EXISTS', `Group named '${name}' already exists.`);
  const group = {
    name,
    label,
    displayOrder: typeof body['displayOrder'] === 'number' ? body['displayOrder'] : -1,
    archived: false,
  };
  context.store.properties.addGroup(context.type, group);
  return { status: 201, body: group };
}
