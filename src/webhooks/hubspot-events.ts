/**
 * HubSpot webhook event batches: parsing the signed body, and which syncs its events concern.
 * Pure functions; the service does the database work around them.
 */
import type { SyncDirection } from '../engine/definition';
import type { ApiErrorDetail } from '../common/api-error';

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
  body: Buffer,
): { events: HubSpotEvent[] } | { problems: ApiErrorDetail[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return { problems: [{ path: 'body', problem: 'must be JSON' }] };
  }
  if (!Array.isArray(parsed))
    return { problems: [{ path: 'body', problem: 'must be a JSON array of HubSpot events' }] };
  const problems: ApiErrorDetail[] = [];
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

/** A HubSpot connection whose client secret verified the request. */
export interface VerifiedConnection {
  id: string;
  /** Its `portalId` setting; undefined: events of any portal. */
  portalId: number | undefined;
}

/** What routing needs of a sync. */
export interface RoutableSync {
  id: string;
  leftConnectionId: string;
  rightConnectionId: string;
  direction: SyncDirection;
  leftObject: string;
  rightObject: string;
}

/** The (connection, object) pairs a sync reads: a side is read when data flows out of it. */
function readsOf(sync: RoutableSync): Array<{ connectionId: string; object: string }> {
  const left = { connectionId: sync.leftConnectionId, object: sync.leftObject };
  const right = { connectionId: sync.rightConnectionId, object: sync.rightObject };
  switch (sync.direction) {
    case 'left_to_right':
      return [left];
    case 'right_to_left':
      return [right];
    case 'bidirectional':
      return [left, right];
  }
}

/**
 * The ids of the syncs a batch concerns: each event goes to the verified connections of its portal
 * (or with no portal set), then to the syncs that read its object from one of them.
 */
export function routeHubSpotEvents(
  events: readonly HubSpotEvent[],
  connections: readonly VerifiedConnection[],
  syncs: readonly RoutableSync[],
): string[] {
  const wanted = new Set<string>();
  for (const event of events) {
    const object = objectOfSubscription(event.subscriptionType);
    if (object === undefined) continue;
    for (const connection of connections) {
      if (connection.portalId === undefined || connection.portalId === event.portalId)
        wanted.add(`${connection.id} ${object}`);
    }
  }
  return syncs
    .filter((sync) =>
      readsOf(sync).some((read) => wanted.has(`${read.connectionId} ${read.object}`)),
    )
    .map((sync) => sync.id);
}
