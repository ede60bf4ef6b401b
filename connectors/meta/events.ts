/**
 * Events through the Conversions API: each event a server event of the sync's event name
 * (`right.object`), `event_id` the sync's event key, `event_time` in unix seconds, the prepared
 * identifiers as `user_data`, the mapped fields as `custom_data` (value, currency…), 1,000 a call.
 * Meta deduplicates an `event_id` of the same event name for 48 hours and does not say so: a
 * resent event is answered as received (`sent`), and held once. One invalid event fails the whole
 * request and Meta processes none, so the others of a refused batch are sent again without it.
 */
import type { AppendRequest, ConnectorEvent, EventResult } from '../sdk/contract';
import { ConnectorError } from '../sdk/errors';
import type { MetaClient } from './client';
import { META_KEYS, metaIdentifiers } from './identifiers';

export interface EventParts {
  client: MetaClient;
  pixelId: string | undefined;
  actionSource: string;
  testEventCode: string | undefined;
}

function serverEvent(
  object: string,
  event: ConnectorEvent,
  actionSource: string,
): Record<string, unknown> {
  const userData: Record<string, string[]> = {};
  for (const [type, value] of metaIdentifiers(event.identifiers))
    userData[META_KEYS[type].event] = [value];
  return {
    event_name: object,
    event_time: Math.floor(Date.parse(event.occurredAt) / 1000),
    event_id: event.key,
    action_source: actionSource,
    user_data: userData,
    custom_data: { ...event.fields },
  };
}

async function sendBatch(
  parts: EventParts,
  pixelId: string,
  object: string,
  events: readonly ConnectorEvent[],
): Promise<EventResult[]> {
  try {
    await parts.client.send(
      'POST',
      `${pixelId}/events`,
      {
        data: events.map((event) => serverEvent(object, event, parts.actionSource)),
        ...(parts.testEventCode === undefined ? {} : { test_event_code: parts.testEventCode }),
      },
      // Meta drops an event_id it received in the last 48 hours: sending again is harmless.
      { idempotent: true },
    );
    return events.map((event) => ({ key: event.key, status: 'sent' }));
  } catch (error) {
    if (!(error instanceof ConnectorError) || error.code !== 'bad_request') throw error;
    return refusedBatch(parts, pixelId, object, events, error);
  }
}

/**
 * A batch Meta refused as a whole: the event it names (`data[i]`) fails and the others go again;
 * when it names none but the refusal is about an event, the batch is halved until the refused
 * events are alone; a refusal of the request itself (an unknown pixel) fails the call.
 */
async function refusedBatch(
  parts: EventParts,
  pixelId: string,
  object: string,
  events: readonly ConnectorEvent[],
  error: ConnectorError,
): Promise<EventResult[]> {
  const failed = (event: ConnectorEvent): EventResult => ({
    key: event.key,
    status: 'failed',
    error: { code: 'invalid_value', message: error.message, retryable: false },
  });
  const named = /data\[(\d+)\]/.exec(error.message)?.at(1);
  const bad = named === undefined ? undefined : events.at(Number(named));
  if (bad !== undefined) {
    const rest = events.filter((event) => event !== bad);
    const sent = rest.length === 0 ? [] : await sendBatch(parts, pixelId, object, rest);
    const byKey = new Map(sent.map((result) => [result.key, result]));
    return events.map((event) =>
      event === bad ? failed(event) : (byKey.get(event.key) ?? failed(event)),
    );
  }
  if (!/event|user_data|custom_data|action_source/i.test(error.message)) throw error;
  const only = events.at(0);
  if (events.length === 1 && only !== undefined) return [failed(only)];
  const half = Math.ceil(events.length / 2);
  return [
    ...(await sendBatch(parts, pixelId, object, events.slice(0, half))),
    ...(await sendBatch(parts, pixelId, object, events.slice(half))),
  ];
}

export function appendEvents(parts: EventParts, request: AppendRequest): Promise<EventResult[]> {
  const pixelId = parts.pixelId;
  if (pixelId === undefined)
    throw new ConnectorError(
      'bad_request',
      'this Meta connection has no pixel (dataset) id: set pixelId to send conversions',
    );
  return sendBatch(parts, pixelId, request.object, request.events);
}
