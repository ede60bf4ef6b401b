/**
 * The SDK's connectors of one capability pass their suites: the kit and `defineConnector` serve a
 * destination that cannot read.
 */
import { FakeClock } from '../../clock';
import { describeConnectorContract } from '../contract-kit';
import { quietLogger } from '../open';
import {
  DYNAMIC_AUDIENCE,
  WRITABLE_AUDIENCE,
  testAudienceVendor,
  testAudiencesConnector,
} from './audiences';
import { testEventVendor, testEventsConnector } from './events';

const logger = quietLogger;
let stores = 0;

describeConnectorContract('test-events', testEventsConnector, {
  events: () => {
    const store = `events-${++stores}`;
    const vendor = testEventVendor(store);
    const connector = testEventsConnector.open(
      testEventsConnector.parseSettings({ store }),
      {},
      { logger, clock: new FakeClock({ autoAdvance: true }) },
    );
    return Promise.resolve({
      connector,
      object: 'purchase',
      eventFields: { value: 120, currency: 'EUR' },
      heldEvents: () => Promise.resolve(new Map(vendor.events)),
      injectFault: (kind) => {
        vendor.faults.push(kind);
        return Promise.resolve();
      },
      rejectEvents: (predicate) => {
        vendor.reject = (event) => predicate(event.key);
        return Promise.resolve({ code: 'invalid_value', retryable: false });
      },
      close: () => Promise.resolve(),
    });
  },
});

describeConnectorContract('test-audiences', testAudiencesConnector, {
  audiences: () => {
    const store = `audiences-${++stores}`;
    const vendor = testAudienceVendor(store);
    const connector = testAudiencesConnector.open(
      testAudiencesConnector.parseSettings({ store }),
      {},
      { logger, clock: new FakeClock({ autoAdvance: true }) },
    );
    return Promise.resolve({
      connector,
      writable: WRITABLE_AUDIENCE,
      readOnly: DYNAMIC_AUDIENCE,
      heldMembers: (audience) =>
        Promise.resolve(new Map(vendor.audiences.get(audience)?.members ?? [])),
      injectFault: (kind) => {
        vendor.faults.push(kind);
        return Promise.resolve();
      },
      close: () => Promise.resolve(),
    });
  },
});

describe('a destination-only connector', () => {
  it('has no read, lookup, get nor write, and says so in its capabilities', () => {
    const connector = testEventsConnector.create({}, {}, { logger, clock: new FakeClock() });
    expect(connector.capabilities).toEqual(['events']);
    expect(connector.read).toBeUndefined();
    expect(connector.lookup).toBeUndefined();
    expect(connector.write).toBeUndefined();
    expect(typeof connector.append).toBe('function');
  });

  it('is typed with only what it declared: reading it does not compile', () => {
    const typed = testEventsConnector.open(
      testEventsConnector.parseSettings({}),
      {},
      { logger, clock: new FakeClock() },
    );
    // @ts-expect-error an event destination offers no read
    expect(typed.read).toBeUndefined();
    // @ts-expect-error nor lookup
    expect(typed.lookup).toBeUndefined();
    expect(typed.identifiers.map((rule) => rule.type)).toEqual(['email', 'phone', 'country']);
  });
});
