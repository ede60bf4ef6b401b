import { parseVendorBudgets, reportedBudgets } from '../sdk/vendor-budgets';
import { hubspotLimits } from './limits';

describe('HubSpot budget headers', () => {
  it('reads the interval, secondly and daily headers its limits declare', () => {
    const headers = new Headers({
      'X-HubSpot-RateLimit-Max': '190',
      'X-HubSpot-RateLimit-Remaining': '180',
      'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
      'X-HubSpot-RateLimit-Secondly': '19',
      'X-HubSpot-RateLimit-Secondly-Remaining': '18',
      'X-HubSpot-RateLimit-Daily': '500000',
      'X-HubSpot-RateLimit-Daily-Remaining': '499000',
    });
    const limits = hubspotLimits();
    const budgets = parseVendorBudgets(headers, new Date(), reportedBudgets(limits));
    expect(
      budgets.map(({ name, limit, remaining, windowMs }) => [name, limit, remaining, windowMs]),
    ).toEqual([
      ['hubspot-interval', 190, 180, 10_000],
      ['hubspot-daily', 500_000, 499_000, 86_400_000],
      ['hubspot-secondly', 19, 18, 1_000],
    ]);
    // Each budget keeps one of our buckets in step (the secondly one is the search limiter's).
    const buckets = limits.rateLimits.map((limit) => limit.name);
    expect(buckets).toEqual(['hubspot-interval', 'hubspot-daily']);
  });
});
