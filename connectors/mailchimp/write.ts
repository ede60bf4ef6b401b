/**
 * Writing members. Creates and upserts go by batch subscribe ("Batch subscribe or unsubscribe",
 * `POST /lists/{id}`, 500 members a call) with Mailchimp's result per member. Batch subscribe
 * needs a status for every member and, with `update_existing`, sets it on members already there:
 * so members written with a status go with `update_existing` (an upsert), and those written
 * without one go as new members with the connection's status for new members and no update, the
 * ones already there then changed one by one with PATCH, which leaves their status alone (a sync
 * that does not map the status never subscribes anyone again). Updates by id are PATCHes; a
 * delete archives the member (Mailchimp's DELETE), which Syncline then no longer finds.
 */
import type { WriteError, WriteOperation, WriteRequest, WriteResult } from '../sdk/contract';
import { ConnectorError, isRetryable } from '../sdk/errors';
import { type ReadParts, asRecord, subscriberHash } from './read';
import { type AudienceSchema, EMAIL, MEMBERS, type RawMember, memberBody } from './schema';

export interface WriteParts extends ReadParts {
  schema(): Promise<AudienceSchema>;
  /** The status a member written without one gets when it is new. */
  statusIfNew: string;
}

interface BatchError {
  email_address?: string;
  error?: string;
  error_code?: string;
  field?: string;
}

interface BatchAnswer {
  new_members?: RawMember[];
  updated_members?: RawMember[];
  errors?: BatchError[];
}

function failure(error: unknown): WriteResult {
  if (error instanceof ConnectorError)
    return {
      status: 'failed',
      error: { code: error.code, message: error.message, retryable: isRetryable(error.code) },
    };
  return {
    status: 'failed',
    error: {
      code: 'unknown',
      message: error instanceof Error ? error.message : String(error),
      retryable: false,
    },
  };
}

function batchError(entry: BatchError): WriteError {
  const message = entry.error ?? 'Mailchimp refused the member';
  if (entry.error_code === 'ERROR_CONTACT_EXISTS')
    return { code: 'duplicate', message, retryable: false };
  return {
    code: 'invalid_value',
    message,
    retryable: false,
    ...(entry.field === undefined || entry.field === '' ? {} : { fields: [entry.field] }),
  };
}

const listPath = (parts: ReadParts): string => `lists/${encodeURIComponent(parts.audienceId)}`;

async function patchMember(
  parts: WriteParts,
  id: string,
  body: Record<string, unknown>,
): Promise<WriteResult> {
  try {
    const member = await parts.client.send<RawMember>(
      'PATCH',
      `${listPath(parts)}/members/${id}`,
      body,
    );
    return { status: 'updated', id: member.id, record: asRecord(member) };
  } catch (error) {
    return failure(error);
  }
}

interface Pending {
  index: number;
  body: Record<string, unknown>;
  email: string;
}

/** One batch subscribe call; results by lower-cased email. */
async function subscribe(
  parts: WriteParts,
  members: Pending[],
  updateExisting: boolean,
): Promise<Map<string, WriteResult>> {
  const answer = await parts.client.send<BatchAnswer>(
    'POST',
    listPath(parts),
    { members: members.map((member) => member.body), update_existing: updateExisting },
    // An email is one member: sent again, the batch creates no one twice.
    { idempotent: true },
  );
  const results = new Map<string, WriteResult>();
  for (const member of [...(answer.new_members ?? []), ...(answer.updated_members ?? [])])
    parts.index.written(member.id, true);
  for (const member of answer.new_members ?? [])
    results.set(member.email_address.toLowerCase(), {
      status: 'created',
      id: member.id,
      record: asRecord(member),
    });
  for (const member of answer.updated_members ?? [])
    results.set(member.email_address.toLowerCase(), {
      status: 'updated',
      id: member.id,
      record: asRecord(member),
    });
  for (const entry of answer.errors ?? [])
    results.set((entry.email_address ?? '').toLowerCase(), {
      status: 'failed',
      error: batchError(entry),
    });
  return results;
}

/** Members in calls where no email appears twice: the n-th write of an email goes in call n. */
function rounds(members: Pending[]): Pending[][] {
  const calls: Pending[][] = [];
  const times = new Map<string, number>();
  for (const member of members) {
    const round = times.get(member.email) ?? 0;
    times.set(member.email, round + 1);
    (calls[round] ??= []).push(member);
  }
  return calls;
}

async function createOrUpsert(
  parts: WriteParts,
  request: WriteRequest,
  schema: AudienceSchema,
  results: WriteResult[],
): Promise<void> {
  const withStatus: Pending[] = [];
  const withoutStatus: Pending[] = [];
  request.operations.forEach((operation, index) => {
    try {
      const body = memberBody(schema, operation.fields);
      const email = typeof body.email_address === 'string' ? body.email_address : '';
      if (email === '') throw new ConnectorError('required_field_missing', `${EMAIL} is required`);
      const pending = { index, body, email: email.toLowerCase() };
      if (body.status === undefined || body.status === null)
        withoutStatus.push({ ...pending, body: { ...body, status: parts.statusIfNew } });
      else withStatus.push(pending);
    } catch (error) {
      results[index] = failure(error);
    }
  });
  const upsert = request.mode === 'upsert';
  for (const round of rounds(withStatus)) {
    const answered = await subscribe(parts, round, upsert);
    for (const member of round) results[member.index] = resultFor(answered, member);
  }
  for (const round of rounds(withoutStatus)) {
    const answered = await subscribe(parts, round, false);
    await Promise.all(
      round.map(async (member) => {
        const result = resultFor(answered, member);
        // Already a member: its fields change, its status stays as Mailchimp has it.
        if (upsert && result.status === 'failed' && result.error.code === 'duplicate') {
          const { status: _ignored, ...fields } = member.body;
          results[member.index] = await patchMember(parts, subscriberHash(member.email), fields);
        } else results[member.index] = result;
      }),
    );
  }
}

function resultFor(answered: Map<string, WriteResult>, member: Pending): WriteResult {
  return (
    answered.get(member.email) ?? {
      status: 'failed',
      error: {
        code: 'unknown',
        message: `Mailchimp's answer did not mention ${member.email}`,
        retryable: true,
      },
    }
  );
}

async function archive(parts: WriteParts, operation: WriteOperation): Promise<WriteResult> {
  const id = operation.id ?? '';
  try {
    await parts.client.send('DELETE', `${listPath(parts)}/members/${id}`, undefined);
    parts.index.written(id, false);
    return { status: 'deleted', id };
  } catch (error) {
    return failure(error);
  }
}

export async function writeMembers(
  parts: WriteParts,
  request: WriteRequest,
): Promise<WriteResult[]> {
  if (request.object !== MEMBERS)
    throw new ConnectorError(
      'bad_request',
      `Mailchimp has the object ${MEMBERS}, not ${request.object}`,
    );
  const schema = await parts.schema();
  const results: WriteResult[] = new Array<WriteResult>(request.operations.length);
  switch (request.mode) {
    case 'create':
    case 'upsert':
      await createOrUpsert(parts, request, schema, results);
      break;
    case 'update':
      await Promise.all(
        request.operations.map(async (operation, index) => {
          try {
            results[index] = await patchMember(
              parts,
              operation.id ?? '',
              memberBody(schema, operation.fields),
            );
          } catch (error) {
            results[index] = failure(error);
          }
        }),
      );
      break;
    case 'delete':
      await Promise.all(
        request.operations.map(async (operation, index) => {
          results[index] = await archive(parts, operation);
        }),
      );
      break;
    default: {
      const unreachable: never = request.mode;
      throw new ConnectorError('bad_request', `unknown write mode ${String(unreachable)}`);
    }
  }
  return results;
}
