import { parseVendorBudgets, reportedBudgets } from '../sdk/vendor-budgets';
import { FakeClock } from '../sdk/clock';
import { RateLimiter } from '../sdk/rate-limiter';
import { salesforceLimits } from './limits';

describe('Salesforce budget headers', () => {
  it('reads Sforce-Limit-Info as the remaining daily calls of the bucket it keeps in step', () => {
    const limits = salesforceLimits();
    const now = new Date('2024-05-01T10:00:00.000Z');
    const [budget] = parseVendorBudgets(
      new Headers({ 'Sforce-Limit-Info': 'api-usage=4990/5000' }),
      now,
      reportedBudgets(limits),
    );
    expect(budget).toEqual({
      name: limits.rateLimits[0]?.name,
      limit: 5000,
      remaining: 10,
      windowMs: 86_400_000,
      observedAt: now.toISOString(),
    });
  });

  it("lets an org's larger allocation, reported in Sforce-Limit-Info, raise the daily bucket", () => {
    const limits = salesforceLimits();
    const clock = new FakeClock({ start: '2024-05-01T10:00:00.000Z' });
    const limiter = new RateLimiter({ clock, limits: limits.rateLimits });
    for (const budget of parseVendorBudgets(
      new Headers({ 'Sforce-Limit-Info': 'api-usage=40000/1000000' }),
      clock.now(),
      reportedBudgets(limits),
    ))
      limiter.observe(budget);
    expect(limiter.available()).toEqual({ 'salesforce-daily': 960_000 });
  });
});
