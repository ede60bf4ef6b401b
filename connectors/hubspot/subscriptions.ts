/**
 * Email subscription statuses as contact fields. HubSpot keeps one read-only contact property per
 * email subscription type, `hs_email_optout_<subscription id>` (true: the contact opted out of that
 * type), which reads return like any property; it changes only through Communication Preferences
 * v4. So the connector describes those properties as writable, takes them out of the CRM write,
 * and sets them after it with one batch write of statuses (true: UNSUBSCRIBED, false: SUBSCRIBED),
 * with the connection's legal basis where it has one (portals with GDPR features need it).
 */
import type { ConnectorRecord, WriteOperation, WriteResult } from '../sdk/contract';
import { ConnectorError, isRetryable } from '../sdk/errors';
import { isSubscriptionField } from './discover';
import { getRecords } from './lookup';
import type { ReadContext } from './read';

const OPT_OUT = /^hs_email_optout_(\d+)$/;

export interface StatusChange {
  subscriptionId: number;
  field: string;
  optedOut: boolean;
}

/** The operations without their opt-out fields, and those fields' changes by operation. */
export function splitStatuses(
  object: string,
  operations: readonly WriteOperation[],
): { crm: WriteOperation[]; changes: StatusChange[][] } {
  const changes: StatusChange[][] = [];
  const crm = operations.map((operation) => {
    const own: StatusChange[] = [];
    const entries = Object.entries(operation.fields).filter(([name, value]) => {
      if (!isSubscriptionField(object, name)) return true;
      if (typeof value === 'boolean')
        own.push({
          subscriptionId: Number(OPT_OUT.exec(name)?.at(1)),
          field: name,
          optedOut: value,
        });
      return false;
    });
    changes.push(own);
    return { ...operation, fields: Object.fromEntries(entries) };
  });
  return { crm, changes };
}

/** Emails of the written contacts: from the operation, the answer, or a batch read. */
async function emailsOf(
  context: ReadContext,
  operations: readonly WriteOperation[],
  results: readonly WriteResult[],
  indexes: readonly number[],
): Promise<Map<number, string>> {
  const emails = new Map<number, string>();
  const unknown = new Map<string, number[]>();
  for (const index of indexes) {
    const result = results[index];
    if (result.status === 'failed') continue;
    const given = operations[index]?.fields.email ?? result.record?.fields.email;
    if (typeof given === 'string' && given !== '') emails.set(index, given);
    else unknown.set(result.id, [...(unknown.get(result.id) ?? []), index]);
  }
  if (unknown.size > 0)
    for (const record of await getRecords(context, 'contacts', [...unknown.keys()], ['email']))
      for (const index of unknown.get(record.id) ?? [])
        if (typeof record.fields.email === 'string') emails.set(index, record.fields.email);
  return emails;
}

function withStatuses(result: WriteResult, own: readonly StatusChange[]): WriteResult {
  if (result.status === 'failed' || result.record === undefined) return result;
  const record: ConnectorRecord = result.record;
  const fields = { ...record.fields };
  for (const change of own) fields[change.field] = change.optedOut;
  return { ...result, record: { ...record, fields } };
}

/** Sets the statuses the operations asked for, after their CRM write; results say how it went. */
export async function writeStatuses(
  context: ReadContext,
  legalBasis: { basis?: string; explanation?: string },
  operations: readonly WriteOperation[],
  changes: readonly StatusChange[][],
  results: WriteResult[],
): Promise<WriteResult[]> {
  const indexes = changes.flatMap((own, index) => (own.length > 0 ? [index] : []));
  if (indexes.length === 0) return results;
  const asked = new Set(indexes);
  const emails = await emailsOf(context, operations, results, indexes);
  const inputs: Record<string, unknown>[] = [];
  for (const index of indexes) {
    const email = emails.get(index);
    if (email === undefined) continue;
    for (const change of changes[index] ?? [])
      inputs.push({
        subscriberIdString: email,
        subscriptionId: change.subscriptionId,
        channel: 'EMAIL',
        statusState: change.optedOut ? 'UNSUBSCRIBED' : 'SUBSCRIBED',
        ...(legalBasis.basis === undefined ? {} : { legalBasis: legalBasis.basis }),
        ...(legalBasis.explanation === undefined
          ? {}
          : { legalBasisExplanation: legalBasis.explanation }),
      });
  }
  try {
    if (inputs.length > 0)
      await context.calls.run(
        // Setting a status twice leaves it as set.
        { endpoint: 'POST /communication-preferences/v4/statuses/batch/write', idempotent: true },
        (sdk) => sdk.writeSubscriptionStatuses(inputs),
      );
  } catch (error) {
    if (!(error instanceof ConnectorError)) throw error;
    if (error.action.kind === 'fail_run' && error.code !== 'bad_request') throw error;
    return results.map((result, index) =>
      asked.has(index) && result.status !== 'failed'
        ? {
            status: 'failed',
            id: result.id,
            error: {
              code: error.code,
              message: `the contact was written, its subscription status was not: ${error.message}`,
              retryable: isRetryable(error.code) || error.code === 'bad_request',
            },
          }
        : result,
    );
  }
  return results.map((result, index) =>
    asked.has(index) && emails.has(index) ? withStatuses(result, changes[index] ?? []) : result,
  );
}
