/**
 * The activity endpoints an integration reads changes from ("Activities", "Paging Tokens"): Get
 * Paging Token turns a datetime into a token; Get Lead Changes returns the New Lead and Data
 * Value Change activities after it (changes of the `fields` asked for only), Get Deleted Leads the
 * Delete Lead ones. Each call looks at up to `batchSize` activities of every kind, so a page can
 * be short, even empty, while `moreResult` is still true.
 */
import { leadField } from './fields';
import type { LeadRouteContext } from './leads';
import { batchSizeOf, listParam } from './leads';
import {
  type Answer,
  Refused,
  blank,
  notFoundField,
  ok,
  pagingToken,
  readPagingToken,
} from './responses';
import {
  ACTIVITY_CHANGE_DATA_VALUE,
  ACTIVITY_DELETE_LEAD,
  ACTIVITY_NEW_LEAD,
  type MarketoStore,
  type StoredActivity,
} from './store';

/** Lead ids Get Lead Changes takes in `leadIds` (Swagger). */
const MAX_LEAD_IDS = 30;

/** `2014-09-17T22:31:49+0000`, as activities show their dates. */
function activityDate(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}+0000`;
}

export function pagingTokenFor(query: URLSearchParams): Answer {
  const since = query.get('sinceDatetime');
  if (since === null || since === '') throw blank('sinceDatetime');
  const ms = /^\d{4}-\d{2}-\d{2}/.test(since) ? Date.parse(since) : Number.NaN;
  if (Number.isNaN(ms)) throw new Refused('704', 'Invalid date format');
  return ok({ nextPageToken: pagingToken('d', ms) });
}

/** Where a token points in the activity log: a date (Get Paging Token) or a position. */
function startOf(store: MarketoStore, query: URLSearchParams): number {
  const token = query.get('nextPageToken');
  if (token === null || token === '') throw blank('nextPageToken');
  try {
    return store.firstActivityAt(Number(readPagingToken('d', token)));
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    return Number(readPagingToken('a', token));
  }
}

function page(
  store: MarketoStore,
  query: URLSearchParams,
  keep: (activity: StoredActivity) => boolean,
  shape: (activity: StoredActivity) => Record<string, unknown>,
): Answer {
  const from = startOf(store, query);
  const scan = store.scan(from, batchSizeOf(query), keep);
  return ok({
    nextPageToken: pagingToken('a', scan.next),
    moreResult: scan.more,
    result: scan.activities.map(shape),
  });
}

function base(activity: StoredActivity): Record<string, unknown> {
  return {
    id: activity.id,
    marketoGUID: String(activity.id),
    leadId: activity.leadId,
    activityDate: activityDate(activity.at),
    activityTypeId: activity.typeId,
  };
}

export function leadChanges(context: LeadRouteContext): Answer {
  const { query, store } = context;
  const names = listParam(query, 'fields');
  if (names.length === 0) throw blank('fields');
  const fields = new Set(
    names.map((name) => {
      const found = leadField(name);
      if (found === undefined) throw notFoundField(name);
      return found.name;
    }),
  );
  const leadIds = listParam(query, 'leadIds').map(Number);
  if (leadIds.length > MAX_LEAD_IDS)
    throw new Refused('1003', `Too many values in leadIds: at most ${MAX_LEAD_IDS}`);
  const listParamValue = query.get('listId');
  const list = listParamValue === null ? undefined : store.lists.get(Number(listParamValue));
  if (listParamValue !== null && list === undefined)
    throw new Refused('1013', 'Static list not found');
  return page(
    store,
    query,
    (activity) =>
      (activity.typeId === ACTIVITY_NEW_LEAD ||
        (activity.typeId === ACTIVITY_CHANGE_DATA_VALUE &&
          activity.change !== undefined &&
          fields.has(activity.change.name))) &&
      (leadIds.length === 0 || leadIds.includes(activity.leadId)) &&
      (list === undefined || list.members.has(activity.leadId)),
    (activity) => ({
      ...base(activity),
      fields: activity.change === undefined ? [] : [activity.change],
      attributes:
        activity.typeId === ACTIVITY_NEW_LEAD
          ? [{ name: 'Source Type', value: activity.reason }]
          : [
              { name: 'Reason', value: activity.reason },
              { name: 'Source', value: activity.reason },
              { name: 'Lead ID', value: activity.leadId },
            ],
    }),
  );
}

export function deletedLeads(context: LeadRouteContext): Answer {
  return page(
    context.store,
    context.query,
    (activity) => activity.typeId === ACTIVITY_DELETE_LEAD,
    (activity) => ({
      ...base(activity),
      primaryAttributeValueId: activity.leadId,
      primaryAttributeValue: activity.primaryAttributeValue ?? '',
      attributes: [],
    }),
  );
}
