import { parseVendorBudgets, reportedBudgets } from '../sdk/vendor-budgets';
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
});
