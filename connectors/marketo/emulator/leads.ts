/**
 * The lead endpoints ("Leads"; Swagger of the Lead Database API): Describe Lead and Describe
 * Lead2, Get Leads by Filter Type, Get Lead by Id, Sync Leads and Delete Leads.
 */
import {
  DEFAULT_FIELDS,
  LEAD_FIELDS,
  type LeadField,
  type LeadValue,
  leadField,
  leadValue,
  marketoDateTime,
} from './fields';
import type { MarketoFaults } from './faults';
import {
  type Answer,
  Refused,
  blank,
  notFoundField,
  ok,
  pagingToken,
  asText,
  readPagingToken,
  skipped,
} from './responses';
import type { MarketoStore, StoredLead } from './store';

/** Records per call of Sync Leads, Delete Leads, filter values and pages ("Leads"). */
export const MAX_BATCH = 300;
/** More matches than this and Get Leads by Filter Type refuses the filter ("Leads", Query). */
export const MAX_FILTER_MATCHES = 1000;

export interface LeadRouteContext {
  store: MarketoStore;
  faults: MarketoFaults;
  query: URLSearchParams;
  body: unknown;
  /** Real-time pause between Sync Leads' lookups and its writes (closely timed upserts race). */
  pause: () => Promise<void>;
}

/** A comma-separated or repeated query parameter, as Marketo takes arrays. */
export function listParam(query: URLSearchParams, name: string): string[] {
  return query
    .getAll(name)
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');
}

export function batchSizeOf(query: URLSearchParams): number {
  const raw = query.get('batchSize');
  if (raw === null || raw === '') return MAX_BATCH;
  const size = Number(raw);
  if (!Number.isInteger(size) || size < 1 || size > MAX_BATCH)
    throw new Refused('1003', `Invalid value '${raw}' for batchSize: between 1 and ${MAX_BATCH}`);
  return size;
}

/** One page of `items` by the call's `batchSize` and position token (of stream `kind`). */
export function paged<T>(
  items: readonly T[],
  query: URLSearchParams,
  kind: string,
): { page: T[]; next?: string } {
  const size = batchSizeOf(query);
  const token = query.get('nextPageToken');
  const offset = token === null || token === '' ? 0 : Number(readPagingToken(kind, token));
  const page = items.slice(offset, offset + size);
  return offset + size < items.length ? { page, next: pagingToken(kind, offset + size) } : { page };
}

/** The fields a read names (the defaults when none), each one Marketo knows. */
export function fieldsOf(query: URLSearchParams): LeadField[] {
  const names = listParam(query, 'fields');
  return (names.length === 0 ? DEFAULT_FIELDS : names).map((name) => {
    const found = leadField(name);
    if (found === undefined) throw notFoundField(name);
    return found;
  });
}

/** A lead as Get Leads returns it: its id and the fields asked for, nulls left out. */
export function leadAnswer(
  lead: StoredLead,
  fields: readonly LeadField[],
): Record<string, unknown> {
  const out: Record<string, unknown> = { id: lead.id };
  for (const { name } of fields) {
    if (name === 'id') continue;
    if (name === 'createdAt') out.createdAt = marketoDateTime(lead.createdAt);
    else if (name === 'updatedAt') out.updatedAt = marketoDateTime(lead.updatedAt);
    else {
      const value = lead.fields[name];
      if (value !== undefined && value !== null) out[name] = value;
    }
  }
  return out;
}

export function describe(): Answer {
  return ok({
    result: LEAD_FIELDS.map((each) => ({
      id: each.id,
      displayName: each.displayName,
      dataType: each.dataType,
      ...(each.length === undefined ? {} : { length: each.length }),
      rest: { name: each.name, readOnly: each.readOnly },
      soap: {
        name: each.name.charAt(0).toUpperCase() + each.name.slice(1),
        readOnly: each.readOnly,
      },
    })),
  });
}

export function describe2(): Answer {
  return ok({
    result: [
      {
        name: 'API Lead',
        searchableFields: LEAD_FIELDS.filter((each) => each.searchable).map((each) => [each.name]),
        fields: LEAD_FIELDS.map((each) => ({
          name: each.name,
          displayName: each.displayName,
          dataType: each.dataType,
          ...(each.length === undefined ? {} : { length: each.length }),
          updateable: !each.readOnly,
          crmManaged: false,
        })),
      },
    ],
  });
}

function searchable(name: string): LeadField {
  const found = leadField(name);
  if (found?.searchable !== true) throw new Refused('1011', `Field '${name}' not supported`);
  return found;
}

export function getLeads(context: LeadRouteContext): Answer {
  const { query, store } = context;
  const filterType = query.get('filterType');
  if (filterType === null || filterType === '') throw blank('filterType');
  const filter = searchable(filterType);
  const values = listParam(query, 'filterValues');
  if (values.length === 0) throw blank('filterValues');
  if (values.length > MAX_BATCH)
    throw new Refused('1003', `Too many values in filterValues: at most ${MAX_BATCH}`);
  const fields = fieldsOf(query);
  const matches = store.find(filter.name, values).sort((a, b) => a.id - b.id);
  if (matches.length > MAX_FILTER_MATCHES)
    throw new Refused('1003', 'Too many results match the filter');
  const { page, next } = paged(matches, query, 'p');
  return ok({
    result: page.map((lead) => leadAnswer(lead, fields)),
    ...(next === undefined ? {} : { nextPageToken: next, moreResult: true }),
  });
}

export function getLead(context: LeadRouteContext, id: string): Answer {
  const lead = context.store.lead(Number(id));
  return ok({ result: lead === undefined ? [] : [leadAnswer(lead, fieldsOf(context.query))] });
}

type Action = 'createOnly' | 'updateOnly' | 'createOrUpdate' | 'createDuplicate';
const ACTIONS: readonly Action[] = [
  'createOnly',
  'updateOnly',
  'createOrUpdate',
  'createDuplicate',
];

function inputOf(body: unknown): unknown[] {
  const input = (body as { input?: unknown } | undefined)?.input;
  if (input === undefined || input === null) throw blank('input');
  if (!Array.isArray(input)) throw new Refused('1003', 'input must be an array');
  if (input.length === 0) throw blank('input');
  if (input.length > MAX_BATCH)
    throw new Refused('1003', `Too many records in input: at most ${MAX_BATCH}`);
  return input as unknown[];
}

/** A record's values checked field by field, or the record-level reason it is skipped. */
function valuesOf(
  record: Record<string, unknown>,
  action: Action,
): { values: Record<string, LeadValue> } | { reason: [string, string] } {
  const values: Record<string, LeadValue> = {};
  for (const [name, raw] of Object.entries(record)) {
    const definition = leadField(name);
    if (definition === undefined) return { reason: ['1006', `Field '${name}' not found`] };
    if (definition.name === 'id') {
      if (action !== 'updateOnly')
        return { reason: ['1003', 'Invalid data: id is only allowed with updateOnly'] };
      continue;
    }
    if (definition.readOnly) return { reason: ['1003', `Field '${definition.name}' is read-only`] };
    const parsed = leadValue(definition, raw);
    if ('problem' in parsed) return { reason: ['1003', parsed.problem] };
    values[definition.name] = parsed.value;
  }
  return { values };
}

interface Planned {
  values: Record<string, LeadValue>;
  /** The lead to update; undefined creates one. */
  target?: number;
  /** The key a create claims, to catch two creates of one key in the same call. */
  key?: string;
}

export async function syncLeads(context: LeadRouteContext): Promise<Answer> {
  const { body, store, faults } = context;
  const settings = (body ?? {}) as { action?: unknown; lookupField?: unknown };
  const action = (settings.action ?? 'createOrUpdate') as Action;
  if (!ACTIONS.includes(action))
    throw new Refused('1003', `Invalid value '${String(settings.action)}' for action`);
  const lookupName = typeof settings.lookupField === 'string' ? settings.lookupField : 'email';
  const lookup = searchable(lookupName);
  const input = inputOf(body);

  // Lookups first, writes after a pause: closely timed upserts of one key can both create.
  const plans: (Planned | Record<string, unknown>)[] = input.map((item) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      return skipped('1003', 'Invalid data: each input must be an object');
    const record = item as Record<string, unknown>;
    const checked = valuesOf(record, action);
    if ('reason' in checked) return skipped(...checked.reason);
    const rejection = faults.rejection(checked.values);
    if (rejection !== undefined) return skipped(rejection.code, rejection.message);
    if (action === 'createDuplicate') return { values: checked.values };
    const keyValue = record[lookup.name];
    if (keyValue === undefined || keyValue === null || keyValue === '')
      return skipped('1003', `Invalid data: ${lookup.name} is required as the lookup field`);
    const matches = store.find(lookup.name, [asText(keyValue)]);
    if (matches.length > 1) return skipped('1007', 'Multiple leads match the lookup criteria');
    const match = matches.at(0);
    if (action === 'createOnly')
      return match === undefined
        ? { values: checked.values, key: asText(keyValue) }
        : skipped('1005', 'Lead already exists');
    if (match === undefined)
      return action === 'updateOnly'
        ? skipped('1004', 'Lead not found')
        : { values: checked.values, key: asText(keyValue) };
    return { values: checked.values, target: match.id };
  });
  await context.pause();
  const created = new Map<string, number>();
  const result = plans.map((plan) => {
    if (!('values' in plan)) return plan;
    const { values, target, key } = plan as Planned;
    if (target !== undefined) {
      if (store.lead(target) === undefined) return skipped('1004', 'Lead not found');
      store.update(target, values);
      return { id: target, status: 'updated' };
    }
    // A key created earlier in this same call.
    const earlier = key === undefined ? undefined : created.get(key.toLowerCase());
    if (earlier !== undefined) {
      if (action === 'createOnly') return skipped('1005', 'Lead already exists');
      store.update(earlier, values);
      return { id: earlier, status: 'updated' };
    }
    const lead = store.create(values);
    if (key !== undefined) created.set(key.toLowerCase(), lead.id);
    return { id: lead.id, status: 'created' };
  });
  return ok({ result });
}

export function deleteLeads(context: LeadRouteContext): Answer {
  const { body, query, store } = context;
  const ids =
    body === undefined
      ? listParam(query, 'id')
      : inputOf(body).map((item) => asText((item as { id?: unknown } | null)?.id));
  if (ids.length === 0) throw blank('input');
  if (ids.length > MAX_BATCH) throw new Refused('1003', `Too many ids: at most ${MAX_BATCH}`);
  return ok({
    result: ids.map((raw) => {
      const id = Number(raw);
      if (!Number.isInteger(id)) return { ...skipped('1003', `Invalid id '${raw}'`) };
      return store.delete(id)
        ? { id, status: 'deleted' }
        : { id, ...skipped('1004', 'Lead not found') };
    }),
  });
}
