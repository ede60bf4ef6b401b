/**
 * HubSpot's answer shapes: the error body `{status, message, correlationId, category, errors}`
 * (https://developers.hubspot.com/docs/api/error-handling) and a record as v3 returns it.
 */
import { lastModifiedProperty, type ObjectType } from './properties';
import type { StoredRecord } from './store';

export interface RouteAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

let correlation = 0;

/** Deterministic UUID-shaped correlation ids. */
export function correlationId(): string {
  const n = (++correlation).toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${n}`;
}

export interface ErrorDetailJson {
  message: string;
  code?: string;
  context?: Record<string, string[]>;
}

export function errorBody(
  category: string,
  message: string,
  extra: { errors?: ErrorDetailJson[]; context?: Record<string, string[]> } = {},
): Record<string, unknown> {
  return { status: 'error', message, correlationId: correlationId(), category, ...extra };
}

export function errorAnswer(
  status: number,
  category: string,
  message: string,
  extra: { errors?: ErrorDetailJson[]; context?: Record<string, string[]> } = {},
): RouteAnswer {
  return { status, body: errorBody(category, message, extra) };
}

/** Default properties HubSpot returns when none are asked for (search docs' table). */
const DEFAULT_PROPERTIES: Record<ObjectType, readonly string[]> = {
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  companies: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
  deals: [
    'amount',
    'closedate',
    'createdate',
    'dealname',
    'dealstage',
    'hs_lastmodifieddate',
    'hs_object_id',
    'pipeline',
  ],
};

/** A record as HubSpot v3 returns it: values as strings, asked-for but unset ones as null. */
export function recordJson(
  type: ObjectType,
  record: StoredRecord,
  requested: readonly string[] | undefined,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const names =
    requested === undefined || requested.length === 0
      ? DEFAULT_PROPERTIES[type]
      : [...new Set([...requested, 'hs_object_id', 'createdate', lastModifiedProperty(type)])];
  const properties: Record<string, string | null> = {};
  for (const name of names) properties[name] = record.properties[name] ?? null;
  return {
    id: record.id,
    properties,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    archived: record.archived,
    ...(record.archivedAt === undefined ? {} : { archivedAt: record.archivedAt }),
    ...extra,
  };
}

/** `properties=a,b` and `properties=a&properties=b` both work in HubSpot. */
export function listParam(query: URLSearchParams, name: string): string[] | undefined {
  const values = query.getAll(name).flatMap((value) => value.split(','));
  const names = values.map((value) => value.trim()).filter((value) => value !== '');
  return names.length === 0 ? undefined : names;
}
