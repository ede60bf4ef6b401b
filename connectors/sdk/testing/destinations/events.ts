/**
 * `test-events`: a connector that is an event destination and nothing else (no read, no lookup),
 * over an in-process vendor that keeps each event once by its key. It exists for the SDK's own
 * tests and for the API's refusal of a sync that would read from it; it is not in the registry.
 */
import type { ConnectorEvent, EventResult, IdentifierRule } from '../../contract';
import { defineConnector } from '../../define';
import { isRetryable, type ErrorCode } from '../../errors';
import { FaultQueue, TEST_DESTINATION, testLimits, testParts, vendorNamed } from './vendor';

export interface StoredEvent extends ConnectorEvent {
  object: string;
}

export class TestEventVendor {
  readonly events = new Map<string, StoredEvent>();
  readonly faults = new FaultQueue();
  /** Events this predicate matches are refused with `rejectCode`. */
  reject: ((event: ConnectorEvent) => boolean) | undefined;
  rejectCode: ErrorCode = 'invalid_value';

  append(object: string, events: readonly ConnectorEvent[]): EventResult[] {
    this.faults.enter('append');
    return events.map((event): EventResult => {
      if (this.reject?.(event) === true)
        return {
          key: event.key,
          status: 'failed',
          error: {
            code: this.rejectCode,
            message: `event ${event.key} refused`,
            retryable: isRetryable(this.rejectCode),
          },
        };
      if (this.events.has(event.key)) return { key: event.key, status: 'duplicate' };
      this.events.set(event.key, { ...event, object });
      return { key: event.key, status: 'sent' };
    });
  }
}

export const TEST_EVENT_BATCH = 50;

/** Hashed email and phone, clear country: the shape of the ad platforms' rules. */
export const TEST_IDENTIFIER_RULES: readonly IdentifierRule[] = [
  { type: 'email', normalize: 'email', hash: 'sha256', source: 'test' },
  { type: 'phone', normalize: 'phone', hash: 'sha256', source: 'test' },
  { type: 'country', normalize: 'country', hash: 'none', source: 'test' },
];

export const testEventsConnector = defineConnector({
  kind: 'test-events',
  label: 'Test event destination',
  ...TEST_DESTINATION,
  capabilities: ['events'],
  limits: () => testLimits({ append: TEST_EVENT_BATCH }),
  open: ({ settings, context }) => {
    const vendor = testEventVendor(settings.store);
    const { policy, core } = testParts(settings.store, context);
    return {
      ...core,
      identifiers: TEST_IDENTIFIER_RULES,
      // Appending a key twice is harmless: the vendor answers `duplicate`.
      append: ({ object, events }) =>
        policy.run({ endpoint: 'POST /events', idempotent: true }, () =>
          Promise.resolve(vendor.append(object, events)),
        ),
    };
  },
});

export function testEventVendor(store: string): TestEventVendor {
  return vendorNamed(`events:${store}`, () => new TestEventVendor());
}
