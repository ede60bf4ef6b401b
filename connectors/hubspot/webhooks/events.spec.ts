import { changesOf, objectOfSubscription, parseHubSpotEvents, type HubSpotEvent } from './events';

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

describe('changesOf', () => {
  const withId = (portalId: number, subscriptionType: string, objectId: number): HubSpotEvent => ({
    portalId,
    subscriptionType,
    objectId,
  });

  it('groups the ids of each object, once each, for the connection’s portal', () => {
    expect(
      changesOf(
        [
          withId(62515, 'contact.propertyChange', 1),
          withId(62515, 'contact.creation', 1),
          withId(62515, 'company.creation', 7),
          withId(62515, 'contact.deletion', 2),
          withId(999, 'contact.creation', 3),
          withId(62515, 'product.creation', 4),
        ],
        62515,
      ),
    ).toEqual([
      { object: 'contacts', ids: ['1', '2'] },
      { object: 'companies', ids: ['7'] },
    ]);
  });

  it('takes events of any portal when the connection has none set', () => {
    expect(changesOf([event(999, 'deal.deletion')], undefined)).toEqual([
      { object: 'deals', ids: ['1'] },
    ]);
    expect(changesOf([event(999, 'deal.deletion')], 62515)).toEqual([]);
  });
});
