/**
 * Conversions through `customers/{id}:uploadClickConversions` ("Upload click conversions",
 * "Enhanced conversions for leads"), 2,000 a call with partial failure: each event a click
 * conversion of the sync's conversion action (`right.object`: its id, resource name or name), the
 * click id as `gclid`, the hashed email and phone as `userIdentifiers` (an event without a click
 * id is an enhanced conversion for leads), `orderId` the event's key (or a mapped `orderId`) so
 * that Google keeps it once however often it is sent. Google's answers per conversion:
 * "already exists" and "order id in use" are duplicates, not failures; a conversion action or
 * click too recent is sent again later; settings a person must change say which.
 */
import type { AppendRequest, ConnectorEvent, EventResult } from '../sdk/contract';
import { ConnectorError, type ErrorCode } from '../sdk/errors';
import { type GoogleAdsClient, type GoogleAdsError, adsErrorsOf } from './client';
import { userIdentifiers } from './identifiers';

/** "…ALREADY_EXISTS", "ORDER_ID_ALREADY_IN_USE": Google has this conversion already. */
const DUPLICATES = new Set([
  'CLICK_CONVERSION_ALREADY_EXISTS',
  'ORDER_ID_ALREADY_IN_USE',
  'DUPLICATE_CLICK_CONVERSION_IN_REQUEST',
  'DUPLICATE_ORDER_ID',
]);
/** Refusals that pass with time: Google asks to import again after 6 hours. */
const LATER = new Set(['TOO_RECENT_CONVERSION_ACTION', 'TOO_RECENT_EVENT']);
/** Refusals a person fixes in Google Ads (conversion settings), after which a resend succeeds. */
const SETTINGS = new Set([
  'CUSTOMER_NOT_ACCEPTED_CUSTOMER_DATA_TERMS',
  'CUSTOMER_NOT_ENABLED_ENHANCED_CONVERSIONS_FOR_LEADS',
  'CUSTOMER_DATA_POLICY_PROHIBITS_ENHANCED_CONVERSIONS',
]);

const CONSENT_NAMES: Record<string, string> = {
  ad_user_data: 'adUserData',
  ad_personalization: 'adPersonalization',
};

/** `yyyy-mm-dd hh:mm:ss+00:00` of an ISO instant (Google needs the offset). */
export function conversionDateTime(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 19).replace('T', ' ')}+00:00`;
}

interface ActionRow {
  conversionAction?: { resourceName?: string; id?: string; name?: string };
}

/** The conversion action's resource name from its id, resource name or exact name. */
export async function conversionActionOf(
  client: GoogleAdsClient,
  cache: Map<string, string>,
  object: string,
): Promise<string> {
  const known = cache.get(object);
  if (known !== undefined) return known;
  const rows = await client.search<ActionRow>(
    "SELECT conversion_action.resource_name, conversion_action.id, conversion_action.name FROM conversion_action WHERE conversion_action.status = 'ENABLED'",
  );
  const found = rows.find(
    ({ conversionAction: action }) =>
      action?.id === object || action?.resourceName === object || action?.name === object,
  )?.conversionAction?.resourceName;
  if (found === undefined)
    throw new ConnectorError(
      'bad_request',
      `no enabled conversion action "${object}" in Google Ads customer ${client.customerId} (Goals > Conversions: its id, or its exact name)`,
    );
  cache.set(object, found);
  return found;
}

function numberOf(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function clickConversion(action: string, event: ConnectorEvent): Record<string, unknown> {
  const { fields } = event;
  const value = numberOf(fields.conversionValue ?? fields.value);
  const currency = textOf(fields.currencyCode ?? fields.currency);
  const consent = Object.fromEntries(
    Object.entries(event.consent ?? {})
      .filter(([name]) => name in CONSENT_NAMES)
      .map(([name, state]) => [CONSENT_NAMES[name], state.toUpperCase()]),
  );
  const clickIds = {
    ...(textOf(event.identifiers.vendor_id) === undefined
      ? {}
      : { gclid: textOf(event.identifiers.vendor_id) }),
    ...(textOf(fields.gbraid) === undefined ? {} : { gbraid: textOf(fields.gbraid) }),
    ...(textOf(fields.wbraid) === undefined ? {} : { wbraid: textOf(fields.wbraid) }),
  };
  const identifiers = userIdentifiers(event.identifiers);
  return {
    conversionAction: action,
    conversionDateTime: conversionDateTime(event.occurredAt),
    ...clickIds,
    ...(value === undefined ? {} : { conversionValue: value }),
    ...(currency === undefined ? {} : { currencyCode: currency.toUpperCase() }),
    orderId: textOf(fields.orderId) ?? event.key,
    ...(identifiers.length === 0 ? {} : { userIdentifiers: identifiers }),
    ...(Object.keys(consent).length === 0 ? {} : { consent }),
  };
}

function resultOf(key: string, error: GoogleAdsError | undefined): EventResult {
  if (error === undefined) return { key, status: 'sent' };
  const name = error.code.split('.').at(1) ?? '';
  if (DUPLICATES.has(name)) return { key, status: 'duplicate' };
  const code: ErrorCode = SETTINGS.has(name)
    ? 'permission_denied'
    : error.code.startsWith('internalError.')
      ? 'server_error'
      : 'invalid_value';
  const retryable = LATER.has(name) || SETTINGS.has(name) || code === 'server_error';
  return {
    key,
    status: 'failed',
    error: { code, message: `Google Ads ${name}: ${error.message}`, retryable },
  };
}

export async function uploadConversions(
  client: GoogleAdsClient,
  actions: Map<string, string>,
  request: AppendRequest,
): Promise<EventResult[]> {
  const action = await conversionActionOf(client, actions, request.object);
  const answer = await client.post<{ partialFailureError?: unknown }>(
    `customers/${client.customerId}:uploadClickConversions`,
    {
      conversions: request.events.map((event) => clickConversion(action, event)),
      partialFailure: true,
    },
    // The order id makes a resend a duplicate Google reports, never a second conversion.
    { idempotent: true },
  );
  const byIndex = new Map<number, GoogleAdsError>();
  for (const error of adsErrorsOf(answer.partialFailureError))
    if (error.index !== undefined && !byIndex.has(error.index)) byIndex.set(error.index, error);
  return request.events.map((event, index) => resultOf(event.key, byIndex.get(index)));
}
