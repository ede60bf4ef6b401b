/**
 * The Conversions API ("Using the API", "Server Event Parameters", "Customer Information
 * Parameters"): `POST /{version}/{pixel_id}/events` with `data[]` of up to 1,000 events. Each
 * needs `event_name`, `event_time` (unix seconds, at most 7 days old: one older event fails the
 * whole request, and no event is processed), `action_source` and `user_data`; customer
 * information is SHA-256 hashed (64 lower-case hex characters) except the browser's and click
 * fields. An event with the `event_name` and `event_id` of one received in the last 48 hours is
 * counted as received and dropped (deduplication). `test_event_code` keeps the events out of
 * the live data, in the Test Events tool.
 */
import { type Answer, invalidParameter, ok, traceId } from './errors';
import type { MetaStore, StoredEvent, StoredPixel } from './store';

export const MAX_EVENTS = 1_000;
export const MAX_EVENT_AGE_S = 7 * 24 * 3600;
const DEDUP_WINDOW_S = 48 * 3600;

export const ACTION_SOURCES = [
  'email',
  'website',
  'app',
  'phone_call',
  'chat',
  'physical_store',
  'system_generated',
  'business_messaging',
  'other',
] as const;

/** Customer information that must be hashed, and fields taken as given. */
const HASHED = ['em', 'ph', 'fn', 'ln', 'ge', 'db', 'ct', 'st', 'zp', 'country'] as const;
const UNHASHED = [
  'external_id',
  'client_ip_address',
  'client_user_agent',
  'fbc',
  'fbp',
  'subscription_id',
  'fb_login_id',
  'lead_id',
  'anon_id',
  'madid',
  'page_id',
  'ctwa_clid',
] as const;
const SHA256 = /^[0-9a-f]{64}$/;

/** The event's problem, in Meta's words, or undefined. */
function problemOf(event: unknown, index: number, nowS: number): string | undefined {
  const at = `data[${String(index)}]`;
  if (typeof event !== 'object' || event === null || Array.isArray(event))
    return `${at} must be an object`;
  const fields = event as Record<string, unknown>;
  if (typeof fields.event_name !== 'string' || fields.event_name === '')
    return `${at}: The parameter event_name is required`;
  const time = fields.event_time;
  if (typeof time !== 'number' || !Number.isInteger(time))
    return `${at}: event_time must be a unix timestamp in seconds`;
  if (time < nowS - MAX_EVENT_AGE_S)
    return `${at}: event_time is more than 7 days in the past (${String(time)})`;
  if (!ACTION_SOURCES.some((source) => source === fields.action_source))
    return `${at}: action_source must be one of ${ACTION_SOURCES.join(', ')}`;
  const user = fields.user_data;
  if (typeof user !== 'object' || user === null || Array.isArray(user))
    return `${at}: The parameter user_data is required`;
  const userData = user as Record<string, unknown>;
  for (const name of Object.keys(userData))
    if (![...HASHED, ...UNHASHED].some((known) => known === name))
      return `${at}.user_data: unknown customer information parameter ${name}`;
  for (const name of HASHED) {
    const value = userData[name];
    if (value === undefined) continue;
    const values = Array.isArray(value) ? (value as unknown[]) : [value];
    for (const each of values)
      if (typeof each !== 'string' || !SHA256.test(each))
        return `${at}.user_data.${name}: must be hashed with SHA-256 (64 lower-case hex characters), not sent in clear`;
  }
  if (Object.keys(userData).length === 0)
    return `${at}: user_data needs at least one customer information parameter`;
  const custom = fields.custom_data;
  if (custom !== undefined && (typeof custom !== 'object' || custom === null))
    return `${at}: custom_data must be an object`;
  return undefined;
}

function storedEvent(fields: Record<string, unknown>, nowMs: number): StoredEvent {
  return {
    eventName: String(fields.event_name),
    eventId: typeof fields.event_id === 'string' ? fields.event_id : undefined,
    eventTime: Number(fields.event_time),
    actionSource: String(fields.action_source),
    userData: { ...(fields.user_data as Record<string, unknown>) },
    customData: { ...((fields.custom_data ?? {}) as Record<string, unknown>) },
    receivedAt: nowMs,
  };
}

/** Whether the pixel received that event (name and id) in the last 48 hours; notes it if not. */
function seen(pixel: StoredPixel, event: StoredEvent, nowS: number): boolean {
  if (event.eventId === undefined) return false;
  const key = `${event.eventName}\u0000${event.eventId}`;
  const at = pixel.received.get(key);
  if (at !== undefined && at >= nowS - DEDUP_WINDOW_S) return true;
  pixel.received.set(key, nowS);
  return false;
}

/** The `data` parameter, as JSON (a JSON body) or as a JSON string (a form post). */
function dataOf(body: Record<string, unknown>): unknown {
  const data = body.data;
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
}

export function postEvents(
  store: MetaStore,
  pixelId: string,
  body: Record<string, unknown>,
): Answer {
  const pixel = store.pixels.get(pixelId);
  if (pixel === undefined)
    return invalidParameter(`Unsupported post request. Object with ID '${pixelId}' does not exist`);
  const data = dataOf(body);
  if (!Array.isArray(data) || data.length === 0)
    return invalidParameter('The parameter data is required: a non-empty array of events');
  if (data.length > MAX_EVENTS)
    return invalidParameter(
      `A request holds at most ${String(MAX_EVENTS)} events, not ${String(data.length)}`,
    );
  const nowMs = store.now();
  const nowS = Math.floor(nowMs / 1000);
  // One bad event fails the whole request: nothing is processed.
  for (const [index, event] of data.entries()) {
    const problem = problemOf(event, index, nowS);
    if (problem !== undefined) return invalidParameter(problem);
  }
  const code = typeof body.test_event_code === 'string' ? body.test_event_code : undefined;
  for (const event of data) {
    const stored = storedEvent(event as Record<string, unknown>, nowMs);
    if (code !== undefined)
      pixel.testEvents.set(code, [...(pixel.testEvents.get(code) ?? []), stored]);
    else if (!seen(pixel, stored, nowS)) pixel.events.push(stored);
  }
  return ok({ events_received: data.length, messages: [], fbtrace_id: traceId() });
}
