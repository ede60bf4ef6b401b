/**
 * Static lists ("Static Lists", "List Membership"): Get Lists, Get List by Id, Get Leads by List
 * Id, Add to List, Remove from List and Member of List, up to 300 lead ids a call, each with its
 * own status (`added`, `removed`, `memberof`, `notmemberof`, or `skipped` with its reasons).
 */
import { type LeadRouteContext, MAX_BATCH, fieldsOf, leadAnswer, listParam, paged } from './leads';
import { type Answer, Refused, asText, blank, ok, skipped } from './responses';
import type { StoredList } from './store';

function listAnswer(list: StoredList): Record<string, unknown> {
  return {
    id: list.id,
    name: list.name,
    ...(list.programName === undefined ? {} : { programName: list.programName }),
    createdAt: new Date(list.createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    updatedAt: new Date(list.updatedAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

export function getLists(context: LeadRouteContext): Answer {
  const ids = new Set(listParam(context.query, 'id').map(Number));
  const names = new Set(listParam(context.query, 'name'));
  const programs = new Set(listParam(context.query, 'programName'));
  const lists = [...context.store.lists.values()].filter(
    (list) =>
      (ids.size === 0 || ids.has(list.id)) &&
      (names.size === 0 || names.has(list.name)) &&
      (programs.size === 0 || (list.programName !== undefined && programs.has(list.programName))),
  );
  const { page, next } = paged(lists, context.query, 'l');
  return ok({
    result: page.map(listAnswer),
    ...(next === undefined ? {} : { nextPageToken: next }),
  });
}

function listOf(context: LeadRouteContext, id: string): StoredList {
  const list = context.store.lists.get(Number(id));
  if (list === undefined) throw new Refused('1013', 'Static list not found');
  return list;
}

export function getList(context: LeadRouteContext, id: string): Answer {
  return ok({ result: [listAnswer(listOf(context, id))] });
}

export function listMembers(context: LeadRouteContext, id: string): Answer {
  const list = listOf(context, id);
  const fields = fieldsOf(context.query);
  const members = [...list.members]
    .sort((a, b) => a - b)
    .map((leadId) => context.store.lead(leadId))
    .filter((lead) => lead !== undefined);
  const { page, next } = paged(members, context.query, `m${list.id}`);
  return ok({
    result: page.map((lead) => leadAnswer(lead, fields)),
    ...(next === undefined ? {} : { nextPageToken: next }),
  });
}

/** Lead ids from `id` query parameters, or the body's `input: [{id}]`. */
function idsOf(context: LeadRouteContext): string[] {
  const fromQuery = listParam(context.query, 'id');
  const input = (context.body as { input?: unknown } | undefined)?.input;
  const fromBody = Array.isArray(input)
    ? input.map((item) => asText((item as { id?: unknown } | null)?.id))
    : [];
  const ids = [...fromQuery, ...fromBody];
  if (ids.length === 0) throw blank('id');
  if (ids.length > MAX_BATCH) throw new Refused('1003', `Too many ids: at most ${MAX_BATCH}`);
  return ids;
}

export function changeMembership(
  context: LeadRouteContext,
  id: string,
  change: 'add' | 'remove' | 'ismember',
): Answer {
  const list = listOf(context, id);
  const result = idsOf(context).map((raw) => {
    const leadId = Number(raw);
    if (!Number.isInteger(leadId) || context.store.lead(leadId) === undefined)
      return {
        ...(Number.isInteger(leadId) ? { id: leadId } : {}),
        ...skipped('1004', 'Lead not found'),
      };
    switch (change) {
      case 'add':
        list.members.add(leadId);
        return { id: leadId, status: 'added' };
      case 'remove':
        if (!list.members.delete(leadId))
          return { id: leadId, ...skipped('1015', 'Lead not in list') };
        return { id: leadId, status: 'removed' };
      case 'ismember':
        return { id: leadId, status: list.members.has(leadId) ? 'memberof' : 'notmemberof' };
      default: {
        const unreachable: never = change;
        return unreachable;
      }
    }
  });
  if (change !== 'ismember') list.updatedAt = context.store.clock.now().getTime();
  return ok({ result });
}
