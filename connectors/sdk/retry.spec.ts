import { FakeClock } from './clock';
import { ConnectorError, type ErrorCode } from './errors';
import { backoffDelay, defaultRetryPolicy, withRetry, type RetryOptions } from './retry';

/** An operation that fails with the given codes in turn, then succeeds. */
function failingWith(...codes: Array<ErrorCode | { code: ErrorCode; retryAfterMs: number }>): {
  operation: () => Promise<string>;
  attempts: () => number;
} {
  let attempts = 0;
  return {
    operation: () => {
      if (attempts >= codes.length) {
        attempts++;
        return Promise.resolve('done');
      }
      const next = codes[attempts++];
      const error =
        typeof next === 'string'
          ? new ConnectorError(next, next)
          : new ConnectorError(next.code, next.code, { retryAfterMs: next.retryAfterMs });
      return Promise.reject(error);
    },
    attempts: () => attempts,
  };
}

function options(
  extra: Partial<Omit<RetryOptions, 'clock'>> = {},
): RetryOptions & { clock: FakeClock } {
  return { clock: new FakeClock({ autoAdvance: true }), random: () => 0.5, ...extra };
}

describe('withRetry', () => {
  it('honours Retry-After exactly and backs off with full jitter otherwise', async () => {
    const { operation, attempts } = failingWith(
      { code: 'rate_limited', retryAfterMs: 30_000 },
      'server_error',
      'timeout',
      'network',
    );
    const retry = options();
    await expect(withRetry(operation, retry)).resolves.toBe('done');
    expect(attempts()).toBe(5);
    // Backoff ceilings 500, 1000, 2000 ms (the Retry-After wait was retry 0), halved by random() = 0.5.
    expect(retry.clock.sleeps).toEqual([30_000, 500, 1_000, 2_000]);
  });

  it('gives up after maxAttempts with the last error', async () => {
    const { operation, attempts } = failingWith(
      'server_error',
      'server_error',
      'server_error',
      'server_error',
    );
    await expect(
      withRetry(operation, options({ policy: { maxAttempts: 3 } })),
    ).rejects.toMatchObject({ code: 'server_error' });
    expect(attempts()).toBe(3);
  });

  it('gives up rather than exceed the total wait', async () => {
    const { operation, attempts } = failingWith(
      { code: 'rate_limited', retryAfterMs: 100_000 },
      { code: 'rate_limited', retryAfterMs: 30_000 },
    );
    const retry = options({ policy: { maxTotalWaitMs: 120_000 } });
    await expect(withRetry(operation, retry)).rejects.toMatchObject({ code: 'rate_limited' });
    expect(attempts()).toBe(2);
    expect(retry.clock.sleeps).toEqual([100_000]);
  });

  it('refreshes auth once, then reports credentials that stay rejected as auth_invalid', async () => {
    const refreshAuth = jest.fn(() => Promise.resolve());
    const once = failingWith('auth_expired');
    await expect(withRetry(once.operation, options({ refreshAuth }))).resolves.toBe('done');
    expect(refreshAuth).toHaveBeenCalledTimes(1);
    const twice = failingWith('auth_expired', 'auth_expired');
    await expect(withRetry(twice.operation, options({ refreshAuth }))).rejects.toMatchObject({
      code: 'auth_invalid',
    });
    expect(refreshAuth).toHaveBeenCalledTimes(2);
    const noRefresh = failingWith('auth_expired');
    await expect(withRetry(noRefresh.operation, options())).rejects.toMatchObject({
      code: 'auth_expired',
    });
  });

  it('does not retry record-level or run-level errors, nor bugs', async () => {
    for (const code of [
      'invalid_value',
      'bad_request',
      'permission_denied',
      'budget_exhausted',
    ] as const) {
      const { operation, attempts } = failingWith(code);
      await expect(withRetry(operation, options())).rejects.toMatchObject({ code });
      expect(attempts()).toBe(1);
    }
    let calls = 0;
    const bug = (): Promise<never> => {
      calls++;
      return Promise.reject(new TypeError('undefined is not a function'));
    };
    await expect(withRetry(bug, options())).rejects.toBeInstanceOf(TypeError);
    expect(calls).toBe(1);
  });

  it('retries a non-idempotent call only when the vendor surely did nothing', async () => {
    const unsafe = failingWith('timeout');
    await expect(withRetry(unsafe.operation, options({ idempotent: false }))).rejects.toMatchObject(
      { code: 'timeout' },
    );
    expect(unsafe.attempts()).toBe(1);
    const safe = failingWith('rate_limited', 'auth_expired');
    const refreshAuth = (): Promise<void> => Promise.resolve();
    await expect(
      withRetry(safe.operation, options({ idempotent: false, refreshAuth })),
    ).resolves.toBe('done');
  });

  it('stops waiting and throws cancelled when aborted mid-wait', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const { operation, attempts } = failingWith({ code: 'rate_limited', retryAfterMs: 60_000 });
    const running = withRetry(operation, { clock, signal: controller.signal });
    await clock.advance(10_000);
    controller.abort(new Error('run cancelled'));
    await expect(running).rejects.toMatchObject({ code: 'cancelled', message: 'run cancelled' });
    expect(attempts()).toBe(1);
  });

  it('reports each retry to onRetry', async () => {
    const events: Array<[number, string, number]> = [];
    const { operation } = failingWith({ code: 'rate_limited', retryAfterMs: 1_000 });
    await withRetry(
      operation,
      options({
        onRetry: ({ attempt, error, delayMs }) => events.push([attempt, error.code, delayMs]),
      }),
    );
    expect(events).toEqual([[1, 'rate_limited', 1_000]]);
  });
});

describe('backoffDelay', () => {
  it('stays within [0, min(cap, base · 2^retry))', () => {
    expect(backoffDelay(0, defaultRetryPolicy, () => 0.999)).toBe(499);
    expect(backoffDelay(20, defaultRetryPolicy, () => 0.999)).toBe(29_970);
    expect(backoffDelay(3, defaultRetryPolicy, () => 0)).toBe(0);
  });
});
