/**
 * `customers/{id}:uploadClickConversions` (ConversionUploadService.UploadClickConversions, "Manage
 * offline conversions", "Enhanced conversions for leads"): up to 2,000 click conversions a call,
 * each checked on its own under `partialFailure` (which Google requires to be true): a failed
 * conversion gets an empty result and an error located at `conversions[i]`; the others are kept.
 * A conversion is one per (conversion action, click id, `conversionDateTime`) and one per order id
 * and action; user identifiers (SHA-256 of the normalised email or phone) need the customer data
 * terms accepted and, without a click id, enhanced conversions for leads turned on.
 */
import { type AdsError, type Answer, adsError, error, ok, partialFailure } from './errors';
import type { GoogleAdsStore, StoredConversion, StoredCustomer, UserIdentifier } from './store';

export const MAX_CONVERSIONS = 2_000;
/** Imports into a conversion action younger than this are refused (TOO_RECENT_CONVERSION_ACTION). */
const ACTION_SETTLING_MS = 6 * 3600 * 1000;
/** Clicks older than the longest click-through window (90 days) cannot convert (EXPIRED_EVENT). */
const CLICK_WINDOW_MS = 90 * 24 * 3600 * 1000;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?([+-])(\d{2}):(\d{2})$/;
const CLICK_ID = /^[A-Za-z0-9_-]{16,}$/;
const SHA256 = /^[0-9a-f]{64}$/;

type Input = Record<string, unknown>;

/** Milliseconds of a `yyyy-mm-dd hh:mm:ss+hh:mm` date time, or undefined when malformed. */
export function parseConversionDateTime(text: string): number | undefined {
  const parts = DATE_TIME.exec(text);
  if (parts === null) return undefined;
  const numbers = parts
    .slice(1)
    .map((part) => (part === '+' ? 1 : part === '-' ? -1 : Number(part)));
  const at = (index: number): number => numbers.at(index) ?? 0;
  const local = Date.UTC(at(0), at(1) - 1, at(2), at(3), at(4), at(5));
  if (new Date(local).getUTCDate() !== at(2) || at(1) > 12) return undefined;
  return local - at(6) * (at(7) * 60 + at(8)) * 60_000;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The conversion's user identifiers, or the error of the first one Google refuses. */
function identifiersOf(
  raw: unknown,
  at: (field: string) => AdsError['location'],
): UserIdentifier[] | AdsError {
  const list = Array.isArray(raw) ? (raw as Input[]) : [];
  const identifiers: UserIdentifier[] = [];
  for (const [index, entry] of list.entries()) {
    const email = text(entry.hashedEmail);
    const phone = text(entry.hashedPhoneNumber);
    const others = Object.keys(entry).filter(
      (key) => !['hashedEmail', 'hashedPhoneNumber', 'userIdentifierSource'].includes(key),
    );
    const location = at(`user_identifiers[${String(index)}]`);
    if (others.length > 0 || (email === undefined && phone === undefined))
      return {
        ...error(
          'conversionUploadError',
          'UNSUPPORTED_USER_IDENTIFIER',
          'Only hashed_email and hashed_phone_number are supported for conversion uploads.',
        ),
        ...(location === undefined ? {} : { location }),
      };
    for (const hash of [email, phone])
      if (hash !== undefined && !SHA256.test(hash))
        return {
          ...error(
            'conversionUploadError',
            'INVALID_USER_IDENTIFIER',
            'Make sure you hash user provided data using SHA-256 and ensure you are normalizing according to the guidelines.',
          ),
          trigger: { stringValue: hash },
          ...(location === undefined ? {} : { location }),
        };
    identifiers.push({
      ...(email === undefined ? {} : { hashedEmail: email }),
      ...(phone === undefined ? {} : { hashedPhoneNumber: phone }),
    });
  }
  return identifiers;
}

interface Checked {
  conversion: StoredConversion;
  /** The dedup key: action, click id and date time (none for a conversion without a click id). */
  clickKey?: string;
  orderKey?: string;
}

/** A conversion as Google checks it on its own, or its error. */
function checkConversion(
  store: GoogleAdsStore,
  customer: StoredCustomer,
  input: Input,
  index: number,
): Checked | AdsError {
  const path = (field: string) => ({
    fieldPathElements: [
      { fieldName: 'conversions', index },
      ...field.split('.').map((part) => {
        const pieces = part.replace(/\]$/, '').split('[');
        const at = pieces.at(1);
        return {
          fieldName: pieces.at(0) ?? part,
          ...(at === undefined ? {} : { index: Number(at) }),
        };
      }),
    ],
  });
  const fail = (family: string, code: string, message: string, field: string): AdsError => ({
    ...error(family, code, message),
    location: path(field),
  });
  const actionName = text(input.conversionAction) ?? '';
  const action = store.conversionActions.get(
    /\/conversionActions\/(\d+)$/.exec(actionName)?.at(1) ?? '',
  );
  if (action === undefined || action.customerId !== customer.id || action.status === 'REMOVED')
    return fail(
      'conversionUploadError',
      'NO_CONVERSION_ACTION_FOUND',
      "The conversion action specified in the upload request cannot be found. Make sure it's available in this account.",
      'conversion_action',
    );
  if (action.type !== 'UPLOAD_CLICKS')
    return fail(
      'conversionUploadError',
      'INVALID_CONVERSION_ACTION_TYPE',
      "The conversion action specified in the upload request isn't set up for uploading conversions.",
      'conversion_action',
    );
  if (store.now() - action.createdAt < ACTION_SETTLING_MS)
    return fail(
      'conversionUploadError',
      'TOO_RECENT_CONVERSION_ACTION',
      "Can't import events to a conversion action that was just created. Try importing again in 6 hours.",
      'conversion_action',
    );
  const dateTime = text(input.conversionDateTime) ?? '';
  const at = parseConversionDateTime(dateTime);
  if (at === undefined)
    return fail(
      'dateError',
      'INVALID_STRING_DATE_TIME_SECONDS_WITH_OFFSET',
      "The string date time's format should be yyyy-mm-dd hh:mm:ss+|-hh:mm.",
      'conversion_date_time',
    );
  const [gclid, gbraid, wbraid] = [text(input.gclid), text(input.gbraid), text(input.wbraid)];
  if (gbraid !== undefined && wbraid !== undefined)
    return fail(
      'conversionUploadError',
      'GBRAID_WBRAID_BOTH_SET',
      'Only one of gbraid and wbraid can be set.',
      'wbraid',
    );
  for (const [name, value, code] of [
    ['gclid', gclid, 'UNPARSEABLE_GCLID'],
    ['gbraid', gbraid, 'UNPARSEABLE_GBRAID'],
    ['wbraid', wbraid, 'UNPARSEABLE_WBRAID'],
  ] as const)
    if (value !== undefined && !CLICK_ID.test(value))
      return fail(
        'conversionUploadError',
        code,
        `The imported ${name} could not be decoded.`,
        name,
      );
  const clickedAt = gclid === undefined ? undefined : store.clicks.get(gclid);
  if (clickedAt !== undefined && at < clickedAt)
    return fail(
      'conversionUploadError',
      'CONVERSION_PRECEDES_EVENT',
      'The imported event has a conversion_date_time that precedes the click.',
      'conversion_date_time',
    );
  if (clickedAt !== undefined && at - clickedAt > CLICK_WINDOW_MS)
    return fail(
      'conversionUploadError',
      'EXPIRED_EVENT',
      'The imported event was older than the click-through conversion window of the conversion action.',
      'gclid',
    );
  const identifiers = identifiersOf(input.userIdentifiers, (field) => path(field));
  if (!Array.isArray(identifiers)) return identifiers;
  if (identifiers.length > 5)
    return fail(
      'collectionSizeError',
      'TOO_MANY',
      'Too many user identifiers: at most 5 a conversion.',
      'user_identifiers',
    );
  const clickId = gclid ?? gbraid ?? wbraid;
  if (clickId === undefined && identifiers.length === 0)
    return fail(
      'conversionUploadError',
      'EVENT_NOT_FOUND',
      'The conversion has no click identifier (gclid, gbraid, wbraid) and no user identifier to match it with.',
      'gclid',
    );
  if (identifiers.length > 0 && !customer.acceptedCustomerDataTerms)
    return fail(
      'conversionUploadError',
      'CUSTOMER_NOT_ACCEPTED_CUSTOMER_DATA_TERMS',
      'Make sure you agree to the customer data processing terms in conversion settings and try again.',
      'user_identifiers',
    );
  if (clickId === undefined && !customer.enhancedConversionsForLeads)
    return fail(
      'conversionUploadError',
      'CUSTOMER_NOT_ENABLED_ENHANCED_CONVERSIONS_FOR_LEADS',
      'Enhanced conversions for leads is not turned on in conversion settings.',
      'user_identifiers',
    );
  const value = input.conversionValue;
  const orderId = text(input.orderId);
  const consent =
    typeof input.consent === 'object' && input.consent !== null
      ? (input.consent as Record<string, string>)
      : undefined;
  const conversion: StoredConversion = {
    customerId: customer.id,
    conversionAction: action.id,
    ...(gclid === undefined ? {} : { gclid }),
    ...(gbraid === undefined ? {} : { gbraid }),
    ...(wbraid === undefined ? {} : { wbraid }),
    conversionDateTime: dateTime,
    ...(typeof value === 'number' ? { conversionValue: value } : {}),
    ...(text(input.currencyCode) === undefined ? {} : { currencyCode: text(input.currencyCode) }),
    ...(orderId === undefined ? {} : { orderId }),
    userIdentifiers: identifiers,
    ...(consent === undefined ? {} : { consent }),
    receivedAt: store.now(),
  };
  return {
    conversion,
    ...(clickId === undefined ? {} : { clickKey: `${action.id}|${clickId}|${String(at)}` }),
    ...(orderId === undefined ? {} : { orderKey: `${action.id}|${orderId}` }),
  };
}

export function uploadClickConversions(
  store: GoogleAdsStore,
  version: string,
  customer: StoredCustomer,
  body: Input,
  refuse: (conversion: Input) => string | undefined = () => undefined,
): Answer {
  const conversions = Array.isArray(body.conversions) ? (body.conversions as Input[]) : [];
  if (body.partialFailure !== true)
    return adsError(400, version, [
      error(
        'requestError',
        'REQUIRED_FIELD_MISSING',
        'partial_failure must be true: conversions are always uploaded with partial failure.',
        [{ fieldName: 'partial_failure' }],
      ),
    ]);
  if (conversions.length === 0)
    return adsError(400, version, [
      error('fieldError', 'REQUIRED_NONEMPTY_LIST', 'The conversions list must not be empty.', [
        { fieldName: 'conversions' },
      ]),
    ]);
  if (conversions.length > MAX_CONVERSIONS)
    return adsError(400, version, [
      error(
        'conversionUploadError',
        'TOO_MANY_CONVERSIONS_IN_REQUEST',
        'Upload fewer than 2001 events in a single request.',
        [{ fieldName: 'conversions' }],
      ),
    ]);
  const seenClicks = new Set<string>();
  const seenOrders = new Set<string>();
  const errors: AdsError[] = [];
  const accepted: Checked[] = [];
  const results = conversions.map((input, index) => {
    const refusal = refuse(input);
    const checked: Checked | AdsError =
      refusal === undefined
        ? checkConversion(store, customer, input, index)
        : {
            ...error('conversionUploadError', refusal, `The conversion is refused: ${refusal}.`),
            location: { fieldPathElements: [{ fieldName: 'conversions', index }] },
          };
    const located = (code: string, message: string, field: string): AdsError => ({
      ...error('conversionUploadError', code, message),
      location: { fieldPathElements: [{ fieldName: 'conversions', index }, { fieldName: field }] },
    });
    let problem: AdsError | undefined = 'conversion' in checked ? undefined : checked;
    if ('conversion' in checked) {
      const { clickKey, orderKey } = checked;
      if (clickKey !== undefined && seenClicks.has(clickKey))
        problem = located(
          'DUPLICATE_CLICK_CONVERSION_IN_REQUEST',
          'The upload has multiple events with the same click and conversion_date_time.',
          'gclid',
        );
      else if (orderKey !== undefined && seenOrders.has(orderKey))
        problem = located(
          'DUPLICATE_ORDER_ID',
          'The upload has multiple events with the same order ID.',
          'order_id',
        );
      else if (clickKey !== undefined && store.clickKeys.has(clickKey))
        problem = located(
          'CLICK_CONVERSION_ALREADY_EXISTS',
          'The imported event has the same click and conversion_date_time as an existing conversion.',
          'gclid',
        );
      else if (orderKey !== undefined && store.orderKeys.has(orderKey))
        problem = located(
          'ORDER_ID_ALREADY_IN_USE',
          'The order ID was already used by another conversion of this conversion action.',
          'order_id',
        );
      if (clickKey !== undefined) seenClicks.add(clickKey);
      if (orderKey !== undefined) seenOrders.add(orderKey);
    }
    if (problem !== undefined || !('conversion' in checked)) {
      if (problem !== undefined) errors.push(problem);
      return {};
    }
    accepted.push(checked);
    const { conversion } = checked;
    return {
      ...(conversion.gclid === undefined ? {} : { gclid: conversion.gclid }),
      conversionAction: `customers/${customer.id}/conversionActions/${conversion.conversionAction}`,
      conversionDateTime: conversion.conversionDateTime,
      ...(conversion.userIdentifiers.length === 0
        ? {}
        : { userIdentifiers: conversion.userIdentifiers }),
    };
  });
  if (body.validateOnly === true)
    return ok(errors.length === 0 ? {} : { partialFailureError: partialFailure(version, errors) });
  for (const kept of accepted) store.keep(kept.conversion, kept);
  return ok({
    ...(errors.length === 0 ? {} : { partialFailureError: partialFailure(version, errors) }),
    results,
    jobId: String(2 ** 31 + store.conversions.length),
  });
}
