/**
 * The REST API's types as TypeScript, written from its OpenAPI document (`npm run api-types`, to
 * console/src/api-types.ts): every schema the document names, and the value lists the console
 * offers as choices. The console reads the API through these, never through the server's files.
 */
import type { OpenAPIObject } from '@nestjs/swagger';
import { compile, type JSONSchema } from 'json-schema-to-typescript';

const BANNER = `/**
 * The REST API's types, generated from its OpenAPI document by \`npm run api-types\`
 * (src/api-types.ts). Do not edit: change the DTOs and run it again.
 */`;

/** Lists of allowed values the console shows as choices: [exported name, schema, property]. */
const VALUE_LISTS: ReadonlyArray<[string, string, string]> = [
  ['RECORD_ACTIONS', 'RecordEventDto', 'action'],
  ['ERROR_CODES', 'RecordEventDto', 'errorCode'],
  ['RUN_STATUSES', 'RunDto', 'status'],
  ['ROLES', 'MeDto', 'role'],
];

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An OpenAPI 3.0 schema as plain JSON Schema: references to `#/definitions/…`, and `nullable`
 * as a union with null (json-schema-to-typescript knows no `nullable`).
 */
function asJsonSchema(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asJsonSchema);
  if (!isNode(value)) return value;
  const node: Node = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'nullable' || key === 'example' || key === 'examples') continue;
    node[key] =
      key === '$ref' && typeof child === 'string'
        ? child.replace('#/components/schemas/', '#/definitions/')
        : asJsonSchema(child);
  }
  // An object the document says nothing more of holds anything (settings, a record's fields).
  if (node.type === 'object' && node.properties === undefined && node.allOf === undefined)
    node.additionalProperties ??= true;
  if (value.nullable !== true) return node;
  const composed = ['$ref', 'allOf', 'anyOf', 'oneOf'].some((key) => key in node);
  if (!composed && Array.isArray(node.enum)) node.enum = [...(node.enum as unknown[]), null];
  if (!composed && typeof node.type === 'string') return { ...node, type: [node.type, 'null'] };
  const { description, ...rest } = node;
  return { description, anyOf: [rest, { type: 'null' }] };
}

/** The allowed values of `schema`'s `property` (of an array's items too). */
function valuesOf(document: OpenAPIObject, schema: string, property: string): unknown[] {
  const found = document.components?.schemas?.[schema] as Node | undefined;
  const properties = isNode(found?.properties) ? found.properties : {};
  const prop = properties[property];
  const values = isNode(prop)
    ? (prop.enum ?? (isNode(prop.items) ? prop.items.enum : undefined))
    : undefined;
  if (!Array.isArray(values))
    throw new Error(`The document's ${schema}.${property} lists no values`);
  return values.filter((value) => value !== null);
}

/** The types file for `document`. */
export async function apiTypes(document: OpenAPIObject): Promise<string> {
  const definitions: Record<string, JSONSchema> = {};
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {}))
    definitions[name] = { ...(asJsonSchema(schema) as JSONSchema), title: name };
  const types = await compile(
    {
      title: 'ApiSchemas',
      type: 'object',
      properties: Object.fromEntries(
        Object.keys(definitions).map((name) => [name, { $ref: `#/definitions/${name}` }]),
      ),
      additionalProperties: false,
      definitions,
    },
    'ApiSchemas',
    {
      bannerComment: BANNER,
      additionalProperties: false,
      unreachableDefinitions: true,
      declareExternallyReferenced: true,
      strictIndexSignatures: false,
      format: true,
    },
  );
  const lists = VALUE_LISTS.map(
    ([name, schema, property]) =>
      `export const ${name} = ${JSON.stringify(valuesOf(document, schema, property))} as const;`,
  );
  return `${types}\n${lists.join('\n')}\n`;
}
