import { REDACTED, redactSecrets } from './redact';

describe('redactSecrets', () => {
  it('replaces secret-looking keys at any depth and keeps the rest', () => {
    const input = {
      msg: 'connected',
      connection: {
        name: 'CRM prod',
        settings: { portalId: 42 },
        secrets: { accessToken: 'tok', clientSecret: 'sec' },
        password: 'pw',
        apiKey: 'k',
        api_key: 'k2',
        key: 'k3',
        nested: [{ refresh_token: 'r', label: 'x' }],
      },
      headers: { Authorization: 'Bearer abc', Cookie: 'a=b' },
    };
    expect(redactSecrets(input)).toEqual({
      msg: 'connected',
      connection: {
        name: 'CRM prod',
        settings: { portalId: 42 },
        secrets: REDACTED,
        password: REDACTED,
        apiKey: REDACTED,
        api_key: REDACTED,
        key: REDACTED,
        nested: [{ refresh_token: REDACTED, label: 'x' }],
      },
      headers: { Authorization: REDACTED, Cookie: REDACTED },
    });
  });

  it('does not touch non-plain objects, which pino serialises itself', () => {
    const error = new Error('boom');
    const date = new Date(0);
    const out = redactSecrets({ err: error, at: date }) as { err: unknown; at: unknown };
    expect(out.err).toBe(error);
    expect(out.at).toBe(date);
  });

  it('keeps keys that merely contain "key" as part of another word', () => {
    expect(redactSecrets({ monkey: 1, keyboard: 2, matchKey: 'email' })).toEqual({
      monkey: 1,
      keyboard: 2,
      matchKey: 'email',
    });
  });
});
