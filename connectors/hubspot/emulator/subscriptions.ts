/**
 * Subscription statuses, Communication Preferences v4 (the `v4/subscriptions.json` spec of HubSpot's
 * public API collection): the portal's email subscription types (definitions), and each email
 * address's status per type, SUBSCRIBED, UNSUBSCRIBED or NOT_SPECIFIED, with its source, legal
 * basis and time. Read and written in batches by email (`channel=EMAIL`). A contact's
 * `hs_email_optout_<subscription id>` property follows the status (true when unsubscribed), as
 * HubSpot's read-only opt-out properties do, and the change stamps the contact as modified.
 */
import { DEFAULT_SUBSCRIPTIONS, type SubscriptionDefinition, optOutProperty } from './properties';
import { type RouteAnswer, errorAnswer } from './responses';
import type { HubSpotStore } from './store';

export const STATUS_STATES = ['SUBSCRIBED', 'UNSUBSCRIBED', 'NOT_SPECIFIED'] as const;
export type StatusState = (typeof STATUS_STATES)[number];

const LEGAL_BASES = [
  'CONSENT_WITH_NOTICE',
  'LEGITIMATE_INTEREST_CLIENT',
  'LEGITIMATE_INTEREST_OTHER',
  'LEGITIMATE_INTEREST_PQL',
  'NON_GDPR',
  'PERFORMANCE_OF_CONTRACT',
  'PROCESS_AND_STORE',
] as const;

interface StoredStatus {
  status: StatusState;
  source: string;
  legalBasis?: string;
  legalBasisExplanation?: string;
  timestamp: string;
}

export class HubSpotSubscriptions {
  readonly definitions: SubscriptionDefinition[] = [...DEFAULT_SUBSCRIPTIONS];
  /** Email (lower case) → subscription id → status. */
  private readonly statuses = new Map<string, Map<number, StoredStatus>>();

  constructor(private readonly store: HubSpotStore) {}

  status(email: string, subscriptionId: number): StoredStatus | undefined {
    return this.statuses.get(email.toLowerCase())?.get(subscriptionId);
  }

  /** Sets a status (a person's click on an unsubscribe link, or an API write). */
  set(
    email: string,
    subscriptionId: number,
    status: StatusState,
    details: { source: string; legalBasis?: string; legalBasisExplanation?: string },
  ): { changed: boolean; resubscribed: boolean } {
    const key = email.toLowerCase();
    const byType = this.statuses.get(key) ?? new Map<number, StoredStatus>();
    this.statuses.set(key, byType);
    const before = byType.get(subscriptionId)?.status ?? 'NOT_SPECIFIED';
    byType.set(subscriptionId, {
      status,
      ...details,
      timestamp: this.store.clock.now().toISOString(),
    });
    const changed = before !== status;
    if (changed) {
      const contact = this.store.findBy('contacts', 'email', key);
      if (contact !== undefined)
        this.store.edit('contacts', contact.id, {
          [optOutProperty(subscriptionId)]: status === 'UNSUBSCRIBED' ? 'true' : 'false',
        });
    }
    return { changed, resubscribed: before === 'UNSUBSCRIBED' && status === 'SUBSCRIBED' };
  }

  private json(email: string, definition: SubscriptionDefinition): Record<string, unknown> {
    const stored = this.status(email, definition.id);
    return {
      subscriberIdString: email,
      subscriptionId: definition.id,
      subscriptionName: definition.name,
      channel: 'EMAIL',
      status: stored?.status ?? 'NOT_SPECIFIED',
      source: stored?.source ?? 'Default',
      timestamp: stored?.timestamp ?? this.store.clock.now().toISOString(),
      ...(stored?.legalBasis === undefined ? {} : { legalBasis: stored.legalBasis }),
      ...(stored?.legalBasisExplanation === undefined
        ? {}
        : { legalBasisExplanation: stored.legalBasisExplanation }),
    };
  }

  /** `POST …/statuses/batch/read?channel=EMAIL` with `{inputs: [emails]}`. */
  batchRead(query: URLSearchParams, body: unknown): RouteAnswer {
    if (query.get('channel') !== 'EMAIL')
      return errorAnswer(400, 'VALIDATION_ERROR', 'channel is required: EMAIL');
    const inputs = inputsOf(body);
    if (inputs === undefined || inputs.some((input) => typeof input !== 'string'))
      return errorAnswer(400, 'VALIDATION_ERROR', 'inputs is required: a list of email addresses');
    const at = this.store.clock.now().toISOString();
    return {
      status: 200,
      body: {
        status: 'COMPLETE',
        results: (inputs as string[]).map((email) => ({
          subscriberIdString: email,
          statuses: this.definitions.map((definition) => this.json(email, definition)),
        })),
        startedAt: at,
        completedAt: at,
      },
    };
  }

  /** `POST …/statuses/batch/write` with `{inputs: [PublicStatusRequest]}`. */
  batchWrite(body: unknown): RouteAnswer {
    const inputs = inputsOf(body);
    if (inputs === undefined)
      return errorAnswer(400, 'VALIDATION_ERROR', 'inputs is required: a list of status requests');
    const problems: string[] = [];
    inputs.forEach((input, index) => {
      const problem = this.invalid(input);
      if (problem !== undefined) problems.push(`inputs[${String(index)}]: ${problem}`);
    });
    if (problems.length > 0) return errorAnswer(400, 'VALIDATION_ERROR', problems.join('; '));
    const at = this.store.clock.now().toISOString();
    const results = (inputs as Record<string, unknown>[]).map((input) => {
      const email = String(input.subscriberIdString);
      const subscriptionId = Number(input.subscriptionId);
      const outcome = this.set(email, subscriptionId, input.statusState as StatusState, {
        source: 'API',
        ...(typeof input.legalBasis === 'string' ? { legalBasis: input.legalBasis } : {}),
        ...(typeof input.legalBasisExplanation === 'string'
          ? { legalBasisExplanation: input.legalBasisExplanation }
          : {}),
      });
      const definition = this.definitions.find((each) => each.id === subscriptionId);
      return {
        ...(definition === undefined ? {} : this.json(email, definition)),
        setStatusSuccessReason: outcome.resubscribed
          ? 'RESUBSCRIBE_OCCURRED'
          : outcome.changed
            ? 'REQUESTED_CHANGE_OCCURRED'
            : 'NO_STATUS_CHANGE',
      };
    });
    return { status: 200, body: { status: 'COMPLETE', results, startedAt: at, completedAt: at } };
  }

  private invalid(input: unknown): string | undefined {
    if (typeof input !== 'object' || input === null) return 'a status request is expected';
    const request = input as Record<string, unknown>;
    if (typeof request.subscriberIdString !== 'string' || request.subscriberIdString === '')
      return 'subscriberIdString is required';
    if (request.channel !== 'EMAIL') return 'channel is required: EMAIL';
    if (!STATUS_STATES.some((state) => state === request.statusState))
      return `statusState must be one of ${STATUS_STATES.join(', ')}`;
    if (!this.definitions.some((definition) => definition.id === request.subscriptionId))
      return `no subscription type ${String(request.subscriptionId)}`;
    if (
      request.legalBasis !== undefined &&
      !LEGAL_BASES.some((basis) => basis === request.legalBasis)
    )
      return `legalBasis must be one of ${LEGAL_BASES.join(', ')}`;
    return undefined;
  }

  definitionsAnswer(): RouteAnswer {
    const at = this.store.clock.now().toISOString();
    return {
      status: 200,
      body: {
        status: 'COMPLETE',
        results: this.definitions.map((definition) => ({
          ...definition,
          id: String(definition.id),
          isActive: true,
          isDefault: true,
          isInternal: false,
          communicationMethod: 'Email',
          createdAt: at,
          updatedAt: at,
        })),
        startedAt: at,
        completedAt: at,
      },
    };
  }
}

function inputsOf(body: unknown): unknown[] | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const inputs = (body as { inputs?: unknown }).inputs;
  return Array.isArray(inputs) ? inputs : undefined;
}

/** The answer to a `/communication-preferences/v4/…` call (segments after `v4`). */
export function subscriptionsRoute(
  subscriptions: HubSpotSubscriptions,
  method: string,
  rest: string[],
  query: URLSearchParams,
  body: unknown,
): RouteAnswer {
  const path = rest.join('/');
  if (path === 'definitions')
    return method === 'GET' ? subscriptions.definitionsAnswer() : { status: 405 };
  if (path === 'statuses/batch/read')
    return method === 'POST' ? subscriptions.batchRead(query, body) : { status: 405 };
  if (path === 'statuses/batch/write')
    return method === 'POST' ? subscriptions.batchWrite(body) : { status: 405 };
  return { status: 404 };
}
