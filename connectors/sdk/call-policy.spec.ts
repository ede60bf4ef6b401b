import { CallPolicy } from './call-policy';
import { FakeClock } from './clock';
import { ConnectorError } from './errors';

const spec = { endpoint: 'POST /things', idempotent: true };

describe('CallPolicy', () => {
  it('fails an attempt that throws before returning a promise, and leaves no timer behind', async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', listener);
    try {
      const policy = new CallPolicy({ clock: new FakeClock({ autoAdvance: true }), timeoutMs: 30 });
      await expect(
        policy.run(spec, () => {
          throw new ConnectorError('bad_request', 'refused at once');
        }),
      ).rejects.toMatchObject({ code: 'bad_request' });
      // Past the timeout: a timer left running would reject into the void now.
      await new Promise((resolve) => setTimeout(resolve, 80));
      expect(unhandled).toEqual([]);
      expect(policy.callsByEndpoint()).toEqual({ 'POST /things': 1 });
    } finally {
      process.off('unhandledRejection', listener);
    }
  });

  it('times an attempt out, aborting its signal, and retries it', async () => {
    const policy = new CallPolicy({
      clock: new FakeClock({ autoAdvance: true }),
      timeoutMs: 20,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
    });
    const signals: AbortSignal[] = [];
    await expect(
      policy.run(spec, (signal) => {
        signals.push(signal);
        return new Promise<never>(() => undefined);
      }),
    ).rejects.toMatchObject({ code: 'timeout', message: 'POST /things timed out after 20 ms' });
    expect(signals).toHaveLength(2);
    expect(signals.every((signal) => signal.aborted)).toBe(true);
  });
});
