import {
  objectOfSubscription,
  parseHubSpotEvents,
  routeHubSpotEvents,
  type HubSpotEvent,
  type RoutableSync,
} from './hubspot-events';

const event = (portalId: number, subscriptionType: string): HubSpotEvent => ({
  portalId,
  subscriptionType,
  objectId: 1,
});

describe('objectOfSubscription', () => {
  it("names HubSpot's objects as the connector does", () => {
    expect(objectOfSubscription('contact.propertyChange')).toBe('contacts');
    expect(objectOfSubscription('contact.creation')).toBe('contacts');
    expect(objectOfSubscription('company.deletion')).toBe('companies');
    expect(objectOfSubscription('deal.propertyChange')).toBe('deals');
    expect(objectOfSubscription('ticket.creation')).toBe('tickets');
  });

  it('knows nothing of other types', () => {
    expect(objectOfSubscription('product.creation')).toBeUndefined();
    expect(objectOfSubscription('conversation.creation')).toBeUndefined();
    expect(objectOfSubscription('constructor.creation')).toBeUndefined();
    expect(objectOfSubscription('contacts')).toBeUndefined();
  });
});

describe('parseHubSpotEvents', () => {
  const parse = (text: string) => parseHubSpotEvents(Buffer.from(text));

  it("accepts HubSpot's batches, fields it may add later included", () => {
    const body = JSON.stringify([
      {
        eventId: 1,
        subscriptionId: 12345,
        portalId: 62515,
        appId: 54321,
        occurredAt: 1564113600000,
        subscriptionType: 'contact.propertyChange',
        attemptNumber: 0,
        objectId: 123,
        changeSource: 'CRM',
        propertyName: 'firstname',
        propertyValue: 'Ann',
      },
    ]);
    expect(parse(body)).toEqual({ events: JSON.parse(body) as unknown });
    expect(parse('[]')).toEqual({ events: [] });
  });

  it('refuses what is no array of events, naming each problem', () => {
    expect(parse('{"portalId":1}')).toEqual({
      problems: [{ path: 'body', problem: 'must be a JSON array of HubSpot events' }],
    });
    expect(parse('not json')).toEqual({ problems: [{ path: 'body', problem: 'must be JSON' }] });
    expect(parse('')).toEqual({ problems: [{ path: 'body', problem: 'must be JSON' }] });
    expect(
      parse('[1, {"subscriptionType":"contact.creation"}, {"portalId":"1","subscriptionType":""}]'),
    ).toEqual({
      problems: [
        { path: '[0]', problem: 'must be an event object' },
        { path: '[1].portalId', problem: 'must be a whole number' },
        { path: '[2].portalId', problem: 'must be a whole number' },
        { path: '[2].subscriptionType', problem: 'must be a non-empty string' },
      ],
    });
    expect(
      parse('[{"portalId":1,"subscriptionType":"deal.creation","objectId":"7","propertyName":3}]'),
    ).toEqual({
      problems: [
        { path: '[0].objectId', problem: 'must be a number' },
        { path: '[0].propertyName', problem: 'must be a string' },
      ],
    });
  });
});

describe('routeHubSpotEvents', () => {
  const sync = (
    id: string,
    direction: RoutableSync['direction'],
    left: [string, string],
    right: [string, string],
  ): RoutableSync => ({
    id,
    direction,
    leftConnectionId: left[0],
    leftObject: left[1],
    rightConnectionId: right[0],
    rightObject: right[1],
  });
  const syncs = [
    sync('reads-left', 'left_to_right', ['hs', 'contacts'], ['sf', 'Contact']),
    sync('writes-left', 'right_to_left', ['hs', 'contacts'], ['sf', 'Contact']),
    sync('reads-right', 'right_to_left', ['sf', 'Contact'], ['hs', 'contacts']),
    sync('both', 'bidirectional', ['sf', 'Account'], ['hs', 'companies']),
    sync('deals', 'left_to_right', ['hs', 'deals'], ['sf', 'Opportunity']),
    sync('other-portal', 'left_to_right', ['hs2', 'contacts'], ['sf', 'Contact']),
  ];

  it('marks the syncs that read the object from a verified connection', () => {
    const connections = [{ id: 'hs', portalId: 62515 }];
    expect(
      routeHubSpotEvents([event(62515, 'contact.propertyChange')], connections, syncs),
    ).toEqual(['reads-left', 'reads-right']);
    expect(routeHubSpotEvents([event(62515, 'company.creation')], connections, syncs)).toEqual([
      'both',
    ]);
    expect(
      routeHubSpotEvents(
        [event(62515, 'deal.deletion'), event(62515, 'contact.creation')],
        connections,
        syncs,
      ),
    ).toEqual(['reads-left', 'reads-right', 'deals']);
  });

  it("ignores events of another portal than the connection's", () => {
    expect(
      routeHubSpotEvents([event(999, 'contact.creation')], [{ id: 'hs', portalId: 62515 }], syncs),
    ).toEqual([]);
  });

  it('routes events of any portal to a connection without one set', () => {
    expect(
      routeHubSpotEvents(
        [event(999, 'contact.creation')],
        [{ id: 'hs2', portalId: undefined }],
        syncs,
      ),
    ).toEqual(['other-portal']);
  });

  it('routes each event to each verified connection of its portal', () => {
    expect(
      routeHubSpotEvents(
        [event(1, 'contact.creation'), event(2, 'contact.creation')],
        [
          { id: 'hs', portalId: 1 },
          { id: 'hs2', portalId: 3 },
        ],
        syncs,
      ),
    ).toEqual(['reads-left', 'reads-right']);
  });

  it('ignores types of objects no sync reads', () => {
    expect(
      routeHubSpotEvents([event(1, 'product.creation')], [{ id: 'hs', portalId: 1 }], syncs),
    ).toEqual([]);
  });
});
