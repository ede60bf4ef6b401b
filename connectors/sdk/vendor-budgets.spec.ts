import { parseRetryAfter, parseVendorBudgets } from './vendor-budgets';

const now = new Date('2024-05-01T10:00:00.000Z');

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP-dates, and ignores what it cannot read', () => {
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter('1.5', now)).toBe(1_500);
    expect(parseRetryAfter('Wed, 01 May 2024 10:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Wed, 01 May 2024 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('parseVendorBudgets', () => {
  it('reads HubSpot interval, secondly and daily headers', () => {
    const headers = new Headers({
      'X-HubSpot-RateLimit-Max': '190',
      'X-HubSpot-RateLimit-Remaining': '180',
      'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
      'X-HubSpot-RateLimit-Secondly': '19',
      'X-HubSpot-RateLimit-Secondly-Remaining': '18',
      'X-HubSpot-RateLimit-Daily': '500000',
      'X-HubSpot-RateLimit-Daily-Remaining': '499000',
    });
    expect(
      parseVendorBudgets(headers, now).map(({ name, limit, remaining, windowMs }) => [
        name,
        limit,
        remaining,
        windowMs,
      ]),
    ).toEqual([
      ['hubspot-interval', 190, 180, 10_000],
      ['hubspot-secondly', 19, 18, 1_000],
      ['hubspot-daily', 500_000, 499_000, 86_400_000],
    ]);
  });

  it('reads Salesforce Sforce-Limit-Info as remaining daily calls', () => {
    const [budget] = parseVendorBudgets(
      new Headers({ 'Sforce-Limit-Info': 'api-usage=4990/5000' }),
      now,
    );
    expect(budget).toEqual({
      name: 'salesforce-daily',
      limit: 5000,
      remaining: 10,
      windowMs: 86_400_000,
      observedAt: now.toISOString(),
    });
    expect(parseVendorBudgets(new Headers({ 'content-type': 'application/json' }), now)).toEqual(
      [],
    );
  });
});
