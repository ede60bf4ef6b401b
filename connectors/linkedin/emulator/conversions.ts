/**
 * Conversions API ("Conversions API", "Conversions API Schema"): `POST /rest/conversionEvents`
 * with one event, or with `X-RestLi-Method: BATCH_CREATE` and `elements[]` (up to 5,000), each
 * answered on its own. An event names its rule (`conversion`:
 * `urn:lla:llaPartnerConversion:{id}`), when it happened (`conversionHappenedAt`, epoch
 * milliseconds, within the last 90 days), `user.userIds` (required, possibly empty: SHA256_EMAIL
 * as 64 lower-case hex, LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID, ACXIOM_ID, ORACLE_MOAT_ID) and
 * `user.userInfo` (firstName and lastName required when no userIds), an optional
 * `conversionValue {currencyCode, amount}` and `eventId`. An event of a rule with an eventId it
 * has is taken once (deduplication).
 */
import { type Answer, type ElementAnswer, createOneOrBatch, elementError } from './errors';
import type { LinkedInStore, StoredConversion } from './store';

export const MAX_CONVERSIONS = 5_000;
export const MAX_AGE_MS = 90 * 24 * 3600 * 1000;
export const ID_TYPES = [
  'SHA256_EMAIL',
  'LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID',
  'ACXIOM_ID',
  'ORACLE_MOAT_ID',
] as const;
const RULE = /^urn:lla:llaPartnerConversion:(\d+)$/;
const SHA256 = /^[0-9a-f]{64}$/;

type Ids = { idType: string; idValue: string }[];

/** The user's identifiers and info, or why they are refused (shared with segment users). */
export function userOf(
  userIds: unknown,
  userInfo: unknown,
  where: string,
): { ids: Ids; info: Record<string, string> } | string {
  if (!Array.isArray(userIds))
    return `${where}.userIds is required (an empty list when userInfo identifies the user)`;
  const ids: Ids = [];
  for (const id of userIds as unknown[]) {
    const { idType, idValue } = (id ?? {}) as { idType?: unknown; idValue?: unknown };
    if (!ID_TYPES.some((type) => type === idType))
      return `${where}.userIds: idType must be one of ${ID_TYPES.join(', ')}`;
    if (typeof idValue !== 'string' || idValue === '')
      return `${where}.userIds: idValue is required`;
    if (idType === 'SHA256_EMAIL' && !SHA256.test(idValue))
      return `${where}.userIds: a SHA256_EMAIL is the SHA-256 of the normalised email, 64 lower-case hex characters`;
    ids.push({ idType: String(idType), idValue });
  }
  const info: Record<string, string> = {};
  if (userInfo !== undefined) {
    if (typeof userInfo !== 'object' || userInfo === null)
      return `${where}.userInfo must be an object`;
    for (const [name, value] of Object.entries(userInfo))
      if (typeof value === 'string') info[name] = value;
  }
  if (ids.length === 0 && !('firstName' in info && 'lastName' in info))
    return `${where}: without userIds, userInfo needs firstName and lastName`;
  return { ids, info };
}

function conversionOf(
  store: LinkedInStore,
  element: unknown,
  at: string,
): { rule: string; event: StoredConversion } | string {
  if (typeof element !== 'object' || element === null) return `${at} must be an object`;
  const fields = element as Record<string, unknown>;
  const rule = RULE.exec(typeof fields.conversion === 'string' ? fields.conversion : '')?.at(1);
  if (rule === undefined || !store.rules.has(rule))
    return `${at}.conversion: no conversion rule ${JSON.stringify(fields.conversion)}`;
  const when = fields.conversionHappenedAt;
  if (typeof when !== 'number' || !Number.isInteger(when))
    return `${at}.conversionHappenedAt must be epoch milliseconds`;
  if (when < store.now() - MAX_AGE_MS) return `${at}.conversionHappenedAt is more than 90 days ago`;
  const user = (fields.user ?? {}) as { userIds?: unknown; userInfo?: unknown };
  const parsed = userOf(user.userIds, user.userInfo, `${at}.user`);
  if (typeof parsed === 'string') return parsed;
  const value = fields.conversionValue as { currencyCode?: unknown; amount?: unknown } | undefined;
  if (
    value !== undefined &&
    (typeof value.currencyCode !== 'string' ||
      !/^[A-Z]{3}$/.test(value.currencyCode) ||
      typeof value.amount !== 'string' ||
      !/^\d+(\.\d+)?$/.test(value.amount))
  )
    return `${at}.conversionValue needs currencyCode (ISO 4217) and amount (a decimal string)`;
  return {
    rule,
    event: {
      conversion: String(fields.conversion),
      happenedAt: when,
      eventId: typeof fields.eventId === 'string' ? fields.eventId : undefined,
      userIds: parsed.ids,
      userInfo: Object.keys(parsed.info).length === 0 ? undefined : parsed.info,
      value:
        value === undefined
          ? undefined
          : { currencyCode: String(value.currencyCode), amount: String(value.amount) },
      receivedAt: store.now(),
    },
  };
}

function take(
  store: LinkedInStore,
  element: unknown,
  at: string,
  refuse: (element: unknown) => string | undefined,
): ElementAnswer {
  const refused = refuse(element);
  if (refused !== undefined) return elementError(400, `${at}: ${refused}`);
  const parsed = conversionOf(store, element, at);
  if (typeof parsed === 'string') return elementError(400, parsed);
  const rule = store.rules.get(parsed.rule);
  if (rule === undefined) return elementError(400, `${at}.conversion: no such rule`);
  const { eventId } = parsed.event;
  if (eventId === undefined || !rule.events.some((held) => held.eventId === eventId))
    rule.events.push(parsed.event);
  return { status: 201 };
}

export function postConversions(
  store: LinkedInStore,
  body: unknown,
  batch: boolean,
  refuse: (element: unknown) => string | undefined,
): Answer {
  return createOneOrBatch(
    body,
    batch,
    { max: MAX_CONVERSIONS, what: 'conversion events' },
    (element, at) => take(store, element, at, refuse),
  );
}
