/**
 * `customers/{id}/googleAds:search` (GoogleAdsService.Search, "Google Ads Query Language"): the
 * part of GAQL the connector's reads need, `SELECT fields FROM resource [WHERE conditions joined
 * by AND] [ORDER BY …] [LIMIT n]`, conditions `=`, `!=`, `IN (…)` and `NOT IN (…)` on the
 * resource's own fields, for customer, conversion_action, user_list and offline_user_data_job.
 * Rows come as JSON (camelCase, int64 as strings), 10,000 a page ("page_size" is not taken since
 * v17), `nextPageToken` to the next, and `fieldMask` naming what was selected.
 */
import { type Answer, adsError, error, ok } from './errors';
import type { GoogleAdsStore, StoredCustomer } from './store';

const PAGE_SIZE = 10_000;

type Row = Record<string, unknown>;

/** The fields each resource serves (GAQL names, after the resource's own prefix). */
const FIELDS: Record<string, readonly string[]> = {
  customer: [
    'resource_name',
    'id',
    'descriptive_name',
    'conversion_tracking_setting.accepted_customer_data_terms',
    'conversion_tracking_setting.enhanced_conversions_for_leads_enabled',
  ],
  conversion_action: ['resource_name', 'id', 'name', 'status', 'type'],
  user_list: [
    'resource_name',
    'id',
    'name',
    'type',
    'read_only',
    'crm_based_user_list.upload_key_type',
    'membership_life_span',
    'size_for_search',
  ],
  offline_user_data_job: [
    'resource_name',
    'id',
    'type',
    'status',
    'failure_reason',
    'operation_metadata.match_rate_range',
    'customer_match_user_list_metadata.user_list',
  ],
};

/** Each resource's fields (GAQL names) and how to read them from the store. */
function resources(
  store: GoogleAdsStore,
  customer: StoredCustomer,
): Partial<Record<string, () => Record<string, unknown>[]>> {
  const prefix = `customers/${customer.id}`;
  return {
    customer: () => [
      {
        resource_name: prefix,
        id: customer.id,
        descriptive_name: customer.name,
        'conversion_tracking_setting.accepted_customer_data_terms':
          customer.acceptedCustomerDataTerms,
        'conversion_tracking_setting.enhanced_conversions_for_leads_enabled':
          customer.enhancedConversionsForLeads,
      },
    ],
    conversion_action: () =>
      [...store.conversionActions.values()]
        .filter((action) => action.customerId === customer.id)
        .map((action) => ({
          resource_name: `${prefix}/conversionActions/${action.id}`,
          id: action.id,
          name: action.name,
          status: action.status,
          type: action.type,
        })),
    user_list: () =>
      [...store.userLists.values()]
        .filter((list) => list.customerId === customer.id)
        .map((list) => ({
          resource_name: `${prefix}/userLists/${list.id}`,
          id: list.id,
          name: list.name,
          type: list.type,
          read_only: list.type !== 'CRM_BASED',
          'crm_based_user_list.upload_key_type': list.uploadKeyType,
          membership_life_span: String(list.membershipLifeSpan),
          size_for_search: String(list.members.size),
        })),
    offline_user_data_job: () =>
      [...store.jobs.values()]
        .filter((job) => job.customerId === customer.id)
        .map((job) => store.settle(job))
        .map((job) => ({
          resource_name: `${prefix}/offlineUserDataJobs/${job.id}`,
          id: job.id,
          type: job.type,
          status: job.status,
          failure_reason: job.failureReason ?? 'UNSPECIFIED',
          'operation_metadata.match_rate_range': job.matchRateRange ?? 'UNSPECIFIED',
          'customer_match_user_list_metadata.user_list': job.userList,
        })),
  };
}

/** A row's scalar value as GAQL compares it (as text). */
function scalarText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : '';
}

const camel = (name: string): string =>
  name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

function setPath(target: Row, path: string[], value: unknown): void {
  const head = path.at(0);
  const rest = path.slice(1);
  if (head === undefined) return;
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  const next = (target[head] ?? {}) as Row;
  target[head] = next;
  setPath(next, rest, value);
}

interface Condition {
  field: string;
  negate: boolean;
  values: string[];
}

/** The literal values of a condition's right side: 'text', "text", 123, ENUM, (a, b). */
function literals(text: string): string[] | undefined {
  const trimmed = text.trim();
  const inner = /^\((.*)\)$/.exec(trimmed)?.at(1);
  const items = inner === undefined ? [trimmed] : inner.split(',').map((item) => item.trim());
  const values: string[] = [];
  for (const item of items) {
    const quoted = /^'([^']*)'$|^"([^"]*)"$/.exec(item);
    if (quoted !== null) values.push(quoted.at(1) ?? quoted.at(2) ?? '');
    else if (/^-?\d+$|^[A-Z_][A-Z0-9_]*$|^(TRUE|FALSE)$/i.test(item)) values.push(item);
    else return undefined;
  }
  return values;
}

function conditionOf(text: string): Condition | undefined {
  const match = /^([a-z_.]+)\s*(=|!=|NOT\s+IN|IN)\s*(.+)$/is.exec(text.trim());
  if (match === null) return undefined;
  const values = literals(match.at(3) ?? '');
  if (values === undefined) return undefined;
  const operator = (match.at(2) ?? '').toUpperCase().replace(/\s+/g, ' ');
  return { field: match.at(1) ?? '', negate: operator === '!=' || operator === 'NOT IN', values };
}

const queryError = (version: string, code: string, message: string): Answer =>
  adsError(400, version, [error('queryError', code, message)]);

export function search(
  store: GoogleAdsStore,
  version: string,
  customer: StoredCustomer,
  body: Record<string, unknown>,
): Answer {
  const query = typeof body.query === 'string' ? body.query.trim() : '';
  const parts =
    /^SELECT\s+(.+?)\s+FROM\s+([a-z_]+)(?:\s+WHERE\s+(.+?))?(?:\s+ORDER\s+BY\s+.+?)?(?:\s+LIMIT\s+(\d+))?$/is.exec(
      query,
    );
  if (!/^SELECT\s/i.test(query)) return queryError(version, 'EXPECTED_SELECT', 'Expected SELECT.');
  if (parts === null)
    return queryError(version, 'EXPECTED_FROM', 'Expected FROM after the selected fields.');
  const resource = parts.at(2) ?? '';
  const rows: (() => Row[]) | undefined = resources(store, customer)[resource];
  if (rows === undefined)
    return queryError(
      version,
      'BAD_RESOURCE_TYPE_IN_FROM_CLAUSE',
      `Unknown resource in FROM: ${resource}.`,
    );
  const all = rows();
  const known = new Set(FIELDS[resource] ?? []);
  const fields = (parts.at(1) ?? '').split(',').map((field) => field.trim());
  const local = (field: string): string | undefined =>
    field.startsWith(`${resource}.`) ? field.slice(resource.length + 1) : undefined;
  const conditions =
    (parts.at(3) ?? '') === '' ? [] : (parts.at(3) ?? '').split(/\s+AND\s+/i).map(conditionOf);
  if (conditions.some((condition) => condition === undefined))
    return queryError(version, 'BAD_VALUE', 'A WHERE condition could not be parsed.');
  for (const field of [...fields, ...conditions.map((condition) => condition?.field ?? '')]) {
    const name = local(field);
    if (name === undefined || !known.has(name))
      return queryError(
        version,
        'UNRECOGNIZED_FIELD',
        `Unrecognized field in the query: '${field}'.`,
      );
  }
  const matching = all.filter((row) =>
    conditions.every((condition) => {
      if (condition === undefined) return false;
      const value = scalarText(row[local(condition.field) ?? '']);
      return (
        condition.values.some((wanted) => wanted.toUpperCase() === value.toUpperCase()) !==
        condition.negate
      );
    }),
  );
  const limit = parts.at(4) === undefined ? matching.length : Number(parts.at(4));
  const offset = Number(
    typeof body.pageToken === 'string' && body.pageToken !== '' ? body.pageToken : 0,
  );
  const page = matching.slice(0, limit).slice(offset, offset + PAGE_SIZE);
  const results = page.map((row) => {
    const out: Row = {};
    for (const field of fields) {
      const value = row[local(field) ?? ''];
      if (value !== undefined) setPath(out, field.split('.').map(camel), value);
    }
    return out;
  });
  const next =
    offset + PAGE_SIZE < Math.min(limit, matching.length) ? String(offset + PAGE_SIZE) : undefined;
  return ok({
    results,
    fieldMask: fields.map((field) => field.split('.').map(camel).join('.')).join(','),
    ...(next === undefined ? {} : { nextPageToken: next }),
    queryResourceConsumption: String(results.length),
  });
}
