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
  const specs = [
    {
      budget: 'burst',
      limit: 'x-acme-limit',
      remaining: 'x-acme-remaining',
      windowHeader: 'x-acme-window-ms',
      windowMs: 1000,
    },
    { budget: 'daily', header: 'x-acme-usage', usage: /used=(\d+)\/(\d+)/, windowMs: 86_400_000 },
  ];

  it('reads limit and remaining headers, the window from its header when sent', () => {
    const read = (headers: Record<string, string>) =>
      parseVendorBudgets(new Headers(headers), now, specs).map(
        ({ name, limit, remaining, windowMs }) => [name, limit, remaining, windowMs],
      );
    expect(
      read({ 'X-Acme-Limit': '100', 'X-Acme-Remaining': '90', 'X-Acme-Window-Ms': '10000' }),
    ).toEqual([['burst', 100, 90, 10_000]]);
    expect(read({ 'x-acme-limit': '100', 'x-acme-remaining': '90' })).toEqual([
      ['burst', 100, 90, 1000],
    ]);
    // One of the pair missing, or unreadable: no figure rather than a wrong one.
    expect(read({ 'x-acme-limit': '100' })).toEqual([]);
    expect(read({ 'x-acme-limit': 'many', 'x-acme-remaining': '90' })).toEqual([]);
  });

  it('reads a used/limit header as the remaining count', () => {
    expect(
      parseVendorBudgets(new Headers({ 'x-acme-usage': 'used=4990/5000' }), now, specs),
    ).toEqual([
      {
        name: 'daily',
        limit: 5000,
        remaining: 10,
        windowMs: 86_400_000,
        observedAt: now.toISOString(),
      },
    ]);
    expect(
      parseVendorBudgets(new Headers({ 'content-type': 'application/json' }), now, specs),
    ).toEqual([]);
  });
});
