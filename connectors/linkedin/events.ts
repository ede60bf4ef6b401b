/**
 * Conversions: each event a conversion of the rule the sync names (`right.object`: the rule's
 * id, as `urn:lla:llaPartnerConversion:{id}`), `conversionHappenedAt` in epoch milliseconds,
 * `eventId` the sync's event key (LinkedIn takes an eventId of a rule once, and does not say so),
 * `conversionValue` from the mapped `value` (or `amount`) and `currency` fields, 5,000 a batch
 * create, each answered on its own.
 */
import type { AppendRequest, ConnectorEvent, EventResult } from '../sdk/contract';
import { ConnectorError } from '../sdk/errors';
import type { LinkedInClient } from './client';
import { userIdsOf, userInfoOf } from './identifiers';

function conversionValue(event: ConnectorEvent): Record<string, string> | undefined {
  const amount = event.fields.value ?? event.fields.amount;
  const currency = event.fields.currency ?? event.fields.currencyCode;
  if (typeof amount !== 'number' && typeof amount !== 'string') return undefined;
  if (typeof currency !== 'string') return undefined;
  return { currencyCode: currency.toUpperCase(), amount: String(Number(amount)) };
}

function element(rule: string, event: ConnectorEvent): Record<string, unknown> {
  const info = userInfoOf(event.identifiers);
  const value = conversionValue(event);
  return {
    conversion: `urn:lla:llaPartnerConversion:${rule}`,
    conversionHappenedAt: Date.parse(event.occurredAt),
    eventId: event.key,
    user: {
      userIds: userIdsOf(event.identifiers),
      ...(Object.keys(info).length === 0 ? {} : { userInfo: info }),
    },
    ...(value === undefined ? {} : { conversionValue: value }),
  };
}

export async function appendConversions(
  client: LinkedInClient,
  request: AppendRequest,
): Promise<EventResult[]> {
  const rule = /^(?:urn:lla:llaPartnerConversion:)?(\d+)$/.exec(request.object)?.at(1);
  if (rule === undefined)
    throw new ConnectorError(
      'bad_request',
      `a LinkedIn conversion is named by its rule's id (a number, Campaign Manager > Analyze > Conversion tracking), not ${request.object}`,
    );
  const answers = await client.batchCreate(
    'conversionEvents',
    request.events.map((event) => element(rule, event)),
  );
  return request.events.map((event, index): EventResult => {
    const answer = answers.at(index);
    if (answer !== undefined && answer.status >= 200 && answer.status < 300)
      return { key: event.key, status: 'sent' };
    return {
      key: event.key,
      status: 'failed',
      error: {
        code: 'invalid_value',
        message: answer?.error?.message ?? 'LinkedIn gave no answer for this event',
        retryable: answer === undefined,
      },
    };
  });
}
