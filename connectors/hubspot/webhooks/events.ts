/**
 * HubSpot webhook event batches (developers.hubspot.com, "Webhooks API", "Webhook payloads"):
 * parsing the signed body, and the objects its events are about.
 */
import type { WebhookChange, WebhookProblem } from '../../sdk/contract';

/** One event of a batch, as HubSpot sends it (only what routing needs is required). */
export interface HubSpotEvent {
  eventId?: number;
  subscriptionId?: number;
  portalId: number;
  appId?: number;
  occurredAt?: number;
  /** `contact.propertyChange`, `company.creation`, `deal.deletion`… */
  subscriptionType: string;
  objectId?: number;
  propertyName?: string;
  propertyValue?: string;
}

/** The object a subscription type is about, by its prefix, named as the HubSpot connector does. */
const OBJECT_BY_PREFIX: Readonly<Record<string, string>> = {
  contact: 'contacts',
  company: 'companies',
  deal: 'deals',
  ticket: 'tickets',
};

/** `contact.propertyChange` → `contacts`; undefined for types about nothing Syncline reads. */
export function objectOfSubscription(subscriptionType: string): string | undefined {
  const prefix = subscriptionType.split('.')[0] ?? '';
  return Object.hasOwn(OBJECT_BY_PREFIX, prefix) ? OBJECT_BY_PREFIX[prefix] : undefined;
}

const NUMBER_FIELDS = ['eventId', 'subscriptionId', 'appId', 'occurredAt', 'objectId'] as const;
const STRING_FIELDS = ['propertyName'] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The events of a body, or the problems that make it no batch of HubSpot events. Fields HubSpot
 * may add later are let through; the ones routing relies on must have their documented types.
 */
export function parseHubSpotEvents(
  body: Uint8Array,
): { events: HubSpotEvent[] } | { problems: WebhookProblem[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    return { problems: [{ path: 'body', problem: 'must be JSON' }] };
  }
  if (!Array.isArray(parsed))
    return { problems: [{ path: 'body', problem: 'must be a JSON array of HubSpot events' }] };
  const problems: WebhookProblem[] = [];
  parsed.forEach((item: unknown, index) => {
    const at = `[${index}]`;
    if (!isObject(item)) {
      problems.push({ path: at, problem: 'must be an event object' });
      return;
    }
    const portalId = item['portalId'];
    if (typeof portalId !== 'number' || !Number.isSafeInteger(portalId) || portalId < 0)
      problems.push({ path: `${at}.portalId`, problem: 'must be a whole number' });
    const type = item['subscriptionType'];
    if (typeof type !== 'string' || type === '')
      problems.push({ path: `${at}.subscriptionType`, problem: 'must be a non-empty string' });
    for (const name of NUMBER_FIELDS) {
      const value = item[name];
      if (value !== undefined && typeof value !== 'number')
        problems.push({ path: `${at}.${name}`, problem: 'must be a number' });
    }
    for (const name of STRING_FIELDS) {
      const value = item[name];
      if (value !== undefined && typeof value !== 'string')
        problems.push({ path: `${at}.${name}`, problem: 'must be a string' });
    }
  });
  if (problems.length > 0) return { problems: problems.slice(0, 50) };
  return { events: parsed as HubSpotEvent[] };
}

/**
 * The records a batch says changed, by object: the events of this connection's portal (any portal
 * when it has none set) about objects the connector reads, their ids in order, without repeats.
 */
export function changesOf(
  events: readonly HubSpotEvent[],
  portalId: number | undefined,
): WebhookChange[] {
  const byObject = new Map<string, Set<string>>();
  for (const event of events) {
    if (portalId !== undefined && event.portalId !== portalId) continue;
    const object = objectOfSubscription(event.subscriptionType);
    if (object === undefined) continue;
    const ids = byObject.get(object) ?? new Set<string>();
    if (event.objectId !== undefined) ids.add(String(event.objectId));
    byObject.set(object, ids);
  }
  return [...byObject].map(([object, ids]) => ({ object, ids: [...ids] }));
}
