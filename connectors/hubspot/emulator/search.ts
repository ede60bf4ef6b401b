/**
 * `POST /crm/v3/objects/{type}/search` semantics: filter groups (ORed) of filters (ANDed), one sort,
 * offset paging through `after`, and HubSpot's documented limits
 * (https://developers.hubspot.com/docs/api/crm/search#limitations).
 */
import type { ObjectType, PropertyCatalog, PropertyDefinition } from './properties';
import { type StoredRecord, valueOf } from './store';

export const SEARCH_LIMITS = {
  // https://developers.hubspot.com/changelog/breaking-change-expanded-filtering-capabilities-and-error-messaging-in-hubspots-search-api
  // (from August 26, 2024): 5 filter groups, 10 filters per group, 25 filters in all.
  maxFilterGroups: 5,
  maxFiltersPerGroup: 10,
  maxFilters: 25,
  maxPageSize: 200,
  defaultPageSize: 10,
  /** "The search endpoints are limited to 10,000 total results for any given query." */
  maxResults: 10_000,
  maxSorts: 1,
} as const;

export const OPERATORS = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const;
export type Operator = (typeof OPERATORS)[number];

export interface SearchFilter {
  propertyName: string;
  operator: Operator;
  value?: string;
  highValue?: string;
  values?: string[];
}

export interface SearchQuery {
  filterGroups: SearchFilter[][];
  sort?: { propertyName: string; descending: boolean };
  query?: string;
  properties?: string[];
  limit: number;
  after: number;
}

/** A request HubSpot would refuse with 400, and why. */
export class SearchRefusal extends Error {}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function parseFilter(type: ObjectType, raw: unknown, properties: PropertyCatalog): SearchFilter {
  if (!isRecord(raw)) throw new SearchRefusal('Invalid filter: expected an object');
  const { propertyName, operator } = raw;
  if (typeof propertyName !== 'string' || properties.of(type, propertyName) === undefined)
    throw new SearchRefusal(
      `There was a problem with the request. Property ${String(propertyName)} does not exist`,
    );
  if (typeof operator !== 'string' || !(OPERATORS as readonly string[]).includes(operator))
    throw new SearchRefusal(`Invalid operator ${String(operator)}`);
  const filter: SearchFilter = { propertyName, operator: operator as Operator };
  const value = scalar(raw['value']);
  const highValue = scalar(raw['highValue']);
  if (value !== undefined) filter.value = value;
  if (highValue !== undefined) filter.highValue = highValue;
  if (Array.isArray(raw['values'])) filter.values = raw['values'].map((item) => scalar(item) ?? '');
  const needsValue = !['HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'IN', 'NOT_IN'].includes(operator);
  if (needsValue && filter.value === undefined)
    throw new SearchRefusal(`Filter on ${propertyName} with operator ${operator} needs a value`);
  if ((operator === 'IN' || operator === 'NOT_IN') && filter.values === undefined)
    throw new SearchRefusal(`Filter on ${propertyName} with operator ${operator} needs values`);
  return filter;
}

/** Reads and checks a search body against HubSpot's limits; throws SearchRefusal. */
export function parseSearch(
  type: ObjectType,
  body: unknown,
  catalog: PropertyCatalog,
): SearchQuery {
  const request = isRecord(body) ? body : {};
  const groups = Array.isArray(request['filterGroups']) ? request['filterGroups'] : [];
  if (groups.length > SEARCH_LIMITS.maxFilterGroups)
    throw new SearchRefusal(
      `Too many filter groups (${groups.length}); the maximum is ${SEARCH_LIMITS.maxFilterGroups}`,
    );
  let total = 0;
  const filterGroups = groups.map((group) => {
    const filters = isRecord(group) && Array.isArray(group['filters']) ? group['filters'] : [];
    if (filters.length > SEARCH_LIMITS.maxFiltersPerGroup)
      throw new SearchRefusal(
        `Too many filters in a group (${filters.length}); the maximum is ${SEARCH_LIMITS.maxFiltersPerGroup}`,
      );
    total += filters.length;
    return filters.map((filter) => parseFilter(type, filter, catalog));
  });
  if (total > SEARCH_LIMITS.maxFilters)
    throw new SearchRefusal(
      `Too many filters (${total}); the maximum is ${SEARCH_LIMITS.maxFilters}`,
    );

  const sorts = Array.isArray(request['sorts']) ? request['sorts'] : [];
  if (sorts.length > SEARCH_LIMITS.maxSorts)
    throw new SearchRefusal('Only one sort is allowed per search');
  let sort: SearchQuery['sort'];
  const rawSort: unknown = sorts[0];
  if (typeof rawSort === 'string') {
    const descending = rawSort.startsWith('-');
    sort = { propertyName: descending ? rawSort.slice(1) : rawSort, descending };
  } else if (isRecord(rawSort) && typeof rawSort['propertyName'] === 'string') {
    sort = {
      propertyName: rawSort['propertyName'],
      descending: rawSort['direction'] === 'DESCENDING',
    };
  }
  if (sort !== undefined && catalog.of(type, sort.propertyName) === undefined)
    throw new SearchRefusal(`Cannot sort on unknown property ${sort.propertyName}`);

  const limit =
    request['limit'] === undefined ? SEARCH_LIMITS.defaultPageSize : Number(request['limit']);
  if (!Number.isInteger(limit) || limit < 1 || limit > SEARCH_LIMITS.maxPageSize)
    throw new SearchRefusal(`limit must be between 1 and ${SEARCH_LIMITS.maxPageSize}`);
  const after =
    request['after'] === undefined || request['after'] === '' ? 0 : Number(request['after']);
  if (!Number.isInteger(after) || after < 0)
    throw new SearchRefusal(`Invalid after: ${String(request['after'])}`);
  if (after >= SEARCH_LIMITS.maxResults)
    throw new SearchRefusal(
      `The search endpoints are limited to ${SEARCH_LIMITS.maxResults} total results for any given query`,
    );

  const properties = Array.isArray(request['properties'])
    ? request['properties'].filter((item): item is string => typeof item === 'string')
    : undefined;
  const query = typeof request['query'] === 'string' ? request['query'] : undefined;
  return { filterGroups, sort, query, properties, limit, after };
}

/** A comparable form: numbers and instants as numbers, other values lower-cased. */
function comparable(definition: PropertyDefinition, value: string): number | string {
  switch (definition.type) {
    case 'number':
      return Number(value);
    case 'date':
    case 'datetime':
      return /^-?\d+$/.test(value) ? Number(value) : Date.parse(value);
    case 'string':
    case 'enumeration':
    case 'bool':
      return value.toLowerCase();
    default: {
      const unreachable: never = definition.type;
      return unreachable;
    }
  }
}

function tokens(value: string): string[] {
  return value
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((token) => token !== '');
}

function tokenMatches(value: string, wanted: string): boolean {
  const pattern = new RegExp(
    `^${wanted
      .toLowerCase()
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  const text = value.toLowerCase();
  return pattern.test(text) || tokens(text).some((token) => pattern.test(token));
}

function matches(
  type: ObjectType,
  record: StoredRecord,
  filter: SearchFilter,
  properties: PropertyCatalog,
): boolean {
  const definition = properties.of(type, filter.propertyName);
  if (definition === undefined) return false;
  const raw = valueOf(record, filter.propertyName);
  const has = raw !== undefined && raw !== '';
  const compare = (other: string | undefined): number => {
    if (!has || other === undefined) return Number.NaN;
    const left = comparable(definition, raw);
    const right = comparable(definition, other);
    if (typeof left === 'number' && typeof right === 'number') return left - right;
    return String(left) < String(right) ? -1 : String(left) > String(right) ? 1 : 0;
  };
  switch (filter.operator) {
    case 'EQ':
      return compare(filter.value) === 0;
    case 'NEQ':
      return compare(filter.value) !== 0;
    case 'LT':
      return compare(filter.value) < 0;
    case 'LTE':
      return compare(filter.value) <= 0;
    case 'GT':
      return compare(filter.value) > 0;
    case 'GTE':
      return compare(filter.value) >= 0;
    case 'BETWEEN':
      return compare(filter.value) >= 0 && compare(filter.highValue) <= 0;
    case 'IN':
      return (filter.values ?? []).some((value) => compare(value) === 0);
    case 'NOT_IN':
      return !(filter.values ?? []).some((value) => compare(value) === 0);
    case 'HAS_PROPERTY':
      return has;
    case 'NOT_HAS_PROPERTY':
      return !has;
    case 'CONTAINS_TOKEN':
      return has && tokenMatches(raw, filter.value ?? '');
    case 'NOT_CONTAINS_TOKEN':
      return !has || !tokenMatches(raw, filter.value ?? '');
    default: {
      const unreachable: never = filter.operator;
      return unreachable;
    }
  }
}

const QUERY_PROPERTIES = [
  'email',
  'firstname',
  'lastname',
  'phone',
  'company',
  'name',
  'domain',
  'dealname',
];

/** Every matching record, sorted; ties (and unsorted results) in id order. */
export function runSearch(
  type: ObjectType,
  records: Iterable<StoredRecord>,
  query: SearchQuery,
  properties: PropertyCatalog,
): StoredRecord[] {
  const found: StoredRecord[] = [];
  for (const record of records) {
    if (
      query.filterGroups.length > 0 &&
      !query.filterGroups.some((group) =>
        group.every((filter) => matches(type, record, filter, properties)),
      )
    )
      continue;
    if (
      query.query !== undefined &&
      query.query !== '' &&
      !QUERY_PROPERTIES.some((name) => {
        const value = valueOf(record, name);
        return value !== undefined && tokenMatches(value, `${query.query ?? ''}*`);
      })
    )
      continue;
    found.push(record);
  }
  const byId = (a: StoredRecord, b: StoredRecord): number => Number(a.id) - Number(b.id);
  const { sort } = query;
  const definition = sort === undefined ? undefined : properties.of(type, sort.propertyName);
  if (sort === undefined || definition === undefined) return found.sort(byId);
  const keyed = found.map((record) => {
    const raw = valueOf(record, sort.propertyName);
    return {
      record,
      key: raw === undefined || raw === '' ? undefined : comparable(definition, raw),
    };
  });
  keyed.sort((a, b) => {
    // Records without the property come last, whatever the direction.
    if (a.key === undefined || b.key === undefined)
      return a.key === b.key ? byId(a.record, b.record) : a.key === undefined ? 1 : -1;
    const order = a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
    if (order !== 0) return sort.descending ? -order : order;
    return byId(a.record, b.record);
  });
  return keyed.map((entry) => entry.record);
}
