/**
 * The SDK's share of a connector's writes (define.ts wires it around the connector's own): writes,
 * appends and member changes chunked by the declared batch limits, a write mode the connector did
 * not declare refused, identifiers normalised and hashed by its rules before it sees them.
 */
import type {
  AnyConnector,
  AppendRequest,
  AudienceMember,
  ConnectorEvent,
  ConnectorLimits,
  EventResult,
  IdentifierRule,
  Identifiers,
  MemberResult,
  MembershipChange,
  MembershipJobs,
  WriteError,
  WriteRequest,
  WriteResult,
} from './contract';
import { ConnectorError } from './errors';
import { prepareIdentifiers } from './normalize';

function chunked<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size)
    result.push(items.slice(start, start + size));
  return result;
}

/** The batch size of `kind`, or a refusal naming what the connector does take. */
function batchOf(
  kind: string,
  limits: ConnectorLimits,
  key: keyof ConnectorLimits['maxBatch'],
): number {
  const size = limits.maxBatch[key];
  if (size === undefined) {
    const taken = Object.keys(limits.maxBatch).join(', ') || 'none';
    throw new ConnectorError(
      'bad_request',
      `${kind} connections do not take ${key} writes (they take: ${taken})`,
    );
  }
  return size;
}

/** The result for an event or member the vendor's answer left out. */
function unanswered(key: string): { key: string; status: 'failed'; error: WriteError } {
  return {
    key,
    status: 'failed',
    error: { code: 'unknown', message: 'the connector returned no result for it', retryable: true },
  };
}

/**
 * Per-member failures when the vendor refused a membership change as a whole for its audience (a
 * list only its filters fill, one deleted meanwhile): nothing was changed, so each member fails, not
 * the run. Undefined for any other error, which the caller throws.
 */
export function refusedChange(
  error: unknown,
  members: readonly { key: string }[],
): MemberResult[] | undefined {
  if (!(error instanceof ConnectorError)) return undefined;
  if (!['bad_request', 'invalid_value', 'not_found'].includes(error.code)) return undefined;
  return members.map((member) => ({
    key: member.key,
    status: 'failed',
    error: { code: error.code, message: error.message, retryable: false },
  }));
}

/** An event or member not sent: none of its identifiers is one the vendor matches on. */
function unidentified(
  kind: string,
  key: string,
  rules: readonly IdentifierRule[],
): { key: string; status: 'failed'; error: WriteError } {
  return {
    key,
    status: 'failed',
    error: {
      code: 'invalid_value',
      message: `it has no identifier ${kind} matches on (${rules.map((rule) => rule.type).join(', ')})`,
      retryable: false,
    },
  };
}

/** Prepares a person's identifiers by the connector's rules, unless already prepared. */
export interface Preparer {
  rules: readonly IdentifierRule[];
  identifiers(given: { identifiers: Identifiers; prepared?: boolean }): Identifiers;
}

export function preparer(rules: readonly IdentifierRule[], defaultCountry?: string): Preparer {
  return {
    rules,
    identifiers: (given) =>
      given.prepared === true
        ? given.identifiers
        : prepareIdentifiers(
            rules,
            given.identifiers,
            defaultCountry === undefined ? {} : { defaultCountry },
          ),
  };
}

/** `write` called once per batch of the declared size for the request's mode. */
export function batchedWrite(
  kind: string,
  limits: ConnectorLimits,
  write: (request: WriteRequest) => Promise<WriteResult[]>,
): (request: WriteRequest) => Promise<WriteResult[]> {
  return async (request) => {
    const size = batchOf(kind, limits, request.mode);
    const results: WriteResult[] = [];
    for (const operations of chunked(request.operations, size))
      results.push(...(await write({ ...request, operations })));
    return results;
  };
}

/** `append` called per batch with the events that have an identifier the vendor matches on. */
export function batchedAppend(
  kind: string,
  limits: ConnectorLimits,
  prepare: Preparer,
  append: (request: AppendRequest) => Promise<EventResult[]>,
): (request: AppendRequest) => Promise<EventResult[]> {
  return async (request) => {
    const size = batchOf(kind, limits, 'append');
    const results: (EventResult | undefined)[] = request.events.map(() => undefined);
    const sendable: { index: number; event: ConnectorEvent }[] = [];
    request.events.forEach((event, index) => {
      const identifiers = prepare.identifiers(event);
      if (Object.keys(identifiers).length === 0)
        results[index] = unidentified(kind, event.key, prepare.rules);
      else sendable.push({ index, event: { ...event, identifiers, prepared: true } });
    });
    for (const batch of chunked(sendable, size)) {
      const answers = await append({ ...request, events: batch.map((item) => item.event) });
      batch.forEach((item, position) => {
        results[item.index] = answers[position] ?? unanswered(item.event.key);
      });
    }
    return results.map((result, index) => result ?? unanswered(request.events[index]?.key ?? ''));
  };
}

/**
 * `changeMembers` called per batch, adds and removes apart, with the members that have an
 * identifier the vendor matches on; one result per member, adds first.
 */
export function batchedChangeMembers(
  kind: string,
  limits: ConnectorLimits,
  prepare: Preparer,
  changeMembers: (request: MembershipChange) => Promise<MemberResult[]>,
): (request: MembershipChange) => Promise<MemberResult[]> {
  return async (request) => {
    const size = batchOf(kind, limits, 'members');
    const results: MemberResult[] = [];
    for (const side of ['add', 'remove'] as const) {
      const members = request[side];
      const ready: AudienceMember[] = [];
      const answered = new Map<string, MemberResult>();
      for (const member of members) {
        const identifiers = prepare.identifiers(member);
        if (Object.keys(identifiers).length === 0)
          answered.set(member.key, unidentified(kind, member.key, prepare.rules));
        else ready.push({ key: member.key, identifiers, prepared: true });
      }
      for (const batch of chunked(ready, size)) {
        const change = { audience: request.audience, add: [], remove: [], [side]: batch };
        const answers = await changeMembers(change);
        batch.forEach((member, position) => {
          answered.set(member.key, answers[position] ?? unanswered(member.key));
        });
      }
      for (const member of members)
        results.push(answered.get(member.key) ?? unanswered(member.key));
    }
    return results;
  };
}

/** The writing operations a connector has, wrapped in the SDK's share (batches, prepared identifiers). */
export function batchedWrites(
  kind: string,
  limits: ConnectorLimits,
  operations: Partial<
    Pick<
      AnyConnector,
      | 'write'
      | 'append'
      | 'changeMembers'
      | 'replaceMembers'
      | 'membershipJobs'
      | 'identifiers'
      | 'defaultCountry'
    >
  >,
): Partial<AnyConnector> {
  const { write, append, changeMembers, replaceMembers, membershipJobs } = operations;
  const prepare = preparer(operations.identifiers ?? [], operations.defaultCountry);
  const wrapped: Partial<AnyConnector> = {};
  if (write !== undefined) wrapped.write = batchedWrite(kind, limits, write);
  if (append !== undefined) wrapped.append = batchedAppend(kind, limits, prepare, append);
  if (changeMembers !== undefined)
    wrapped.changeMembers = batchedChangeMembers(kind, limits, prepare, changeMembers);
  if (replaceMembers !== undefined)
    wrapped.replaceMembers = (request) =>
      replaceMembers({
        audience: request.audience,
        members: request.members.map((member) => ({
          key: member.key,
          identifiers: prepare.identifiers(member),
          prepared: true,
        })),
      });
  // A job takes its changes in the same batches, prepared alike.
  if (membershipJobs === undefined) return wrapped;
  const jobs: MembershipJobs = {
    ...membershipJobs,
    add: (ticket, change) =>
      batchedChangeMembers(kind, limits, prepare, (batch) => membershipJobs.add(ticket, batch))(
        change,
      ),
  };
  return { ...wrapped, membershipJobs: jobs };
}
