import { CallPolicy } from './call-policy';
import { FakeClock } from './clock';
import { ConnectorError } from './errors';
import { type CachedToken, type TokenCache, createTokenSession } from './tokens';

describe('token sessions', () => {
  it('grants once for any number of concurrent callers, and first when there is no token', async () => {
    let granted = 0;
    const session = createTokenSession({
      grant: async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return `token-${++granted}`;
      },
    });
    const tokens = await Promise.all([session.token(), session.token(), session.token()]);
    expect(tokens).toEqual(['token-1', 'token-1', 'token-1']);
    await Promise.all([session.refresh?.(), session.refresh?.()]);
    expect(await session.token()).toBe('token-2');
    expect(session.grants()).toBe(2);
  });

  it('has no refresh without a grant, and hands the token it started with', async () => {
    const session = createTokenSession({ token: 'pat-1' });
    expect(session.refresh).toBeUndefined();
    expect(await session.token()).toBe('pat-1');
  });

  it('renews an expired token through the call policy, once per call, and not for the token endpoint', async () => {
    const policy = new CallPolicy({ clock: new FakeClock({ autoAdvance: true }) });
    let next = 0;
    const session = createTokenSession({
      token: 'old',
      grant: () => Promise.resolve(`new-${++next}`),
    });
    policy.useTokens(session);
    const seen: (string | undefined)[] = [];
    const expired = new ConnectorError('auth_expired', 'token expired');
    const answer = await policy.run({ endpoint: 'GET /me', idempotent: true }, async () => {
      const token = await session.token();
      seen.push(token);
      if (token === 'old') throw expired;
      return token;
    });
    expect(answer).toBe('new-1');
    expect(seen).toEqual(['old', 'new-1']);
    await expect(
      policy.run({ endpoint: 'POST /token', idempotent: true, refresh: false }, () =>
        Promise.reject(expired),
      ),
    ).rejects.toMatchObject({ code: 'auth_expired' });
    expect(session.grants()).toBe(1);
  });
});

describe('token sessions sharing a cache', () => {
  it("uses another session's token until it expires, keeps each grant, and tells the client", async () => {
    const clock = new FakeClock({ start: '2026-01-01T00:00:00.000Z' });
    let kept: CachedToken | undefined;
    const store: TokenCache = {
      get: () => Promise.resolve(kept),
      put: (token) => {
        kept = token;
        return Promise.resolve();
      },
    };
    let grants = 0;
    const open = (seen: string[]) =>
      createTokenSession(
        {
          grant: () => Promise.resolve({ token: `t${++grants}`, expiresInMs: 30 * 60_000 }),
          onToken: (token) => seen.push(token),
        },
        { store, now: () => clock.now() },
      );
    const first: string[] = [];
    expect(await open(first).token()).toBe('t1');
    expect(kept).toEqual({ token: 't1', expiresAt: '2026-01-01T00:30:00.000Z' });
    const second: string[] = [];
    expect(await open(second).token()).toBe('t1');
    expect(second).toEqual(['t1']);
    expect(grants).toBe(1);
    // Within a minute of its expiry the shared token is not used: a new one is granted and kept.
    await clock.advance(29.5 * 60_000);
    expect(await open([]).token()).toBe('t2');
    expect(kept?.token).toBe('t2');
    expect(first).toEqual(['t1']);
  });
});

describe('limits of a family of endpoints', () => {
  it('spaces the family’s calls evenly and leaves other calls alone', async () => {
    const clock = new FakeClock({ autoAdvance: true, start: '2026-01-01T00:00:00.000Z' });
    const policy = new CallPolicy({
      clock,
      familyLimits: { search: { name: 'search', limit: 4, windowMs: 1000, source: 'test' } },
    });
    const at = { search: [] as number[], other: [] as number[] };
    const call = (family: string | undefined, into: number[]): Promise<void> =>
      policy.run(
        { endpoint: 'POST /search', idempotent: true, ...(family === undefined ? {} : { family }) },
        () => {
          into.push(clock.now().getTime());
          return Promise.resolve();
        },
      );
    for (let i = 0; i < 5; i++) await call('search', at.search);
    for (let i = 0; i < 5; i++) await call(undefined, at.other);
    const gaps = (times: number[]): number[] => times.slice(1).map((t, i) => t - (times[i] ?? 0));
    expect(Math.min(...gaps(at.search))).toBeGreaterThanOrEqual(250);
    expect(Math.max(...gaps(at.other))).toBeLessThan(250);
  });
});
