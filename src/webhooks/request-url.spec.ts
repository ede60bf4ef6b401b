import { requestUri } from './request-url';

describe('requestUri', () => {
  const base = {
    originalUrl: '/api/v1/webhooks/4c1b2f0e-8a65-4a0f-9a36-0d5c4c1f7e21?x=%3A',
    protocol: 'http',
    headers: { host: '10.0.0.5:3000' },
  };

  it('prefers SYNCLINE_PUBLIC_URL', () => {
    expect(requestUri(base, 'https://syncline.example.com')).toBe(
      'https://syncline.example.com/api/v1/webhooks/4c1b2f0e-8a65-4a0f-9a36-0d5c4c1f7e21?x=%3A',
    );
    expect(requestUri(base, 'https://example.com/sync')).toBe(
      'https://example.com/sync/api/v1/webhooks/4c1b2f0e-8a65-4a0f-9a36-0d5c4c1f7e21?x=%3A',
    );
  });

  it("builds it from the connection's scheme and Host", () => {
    expect(requestUri(base, undefined)).toBe(
      'http://10.0.0.5:3000/api/v1/webhooks/4c1b2f0e-8a65-4a0f-9a36-0d5c4c1f7e21?x=%3A',
    );
  });

  it("prefers a reverse proxy's X-Forwarded-Proto and X-Forwarded-Host (their first entry)", () => {
    expect(
      requestUri(
        {
          ...base,
          headers: {
            ...base.headers,
            'x-forwarded-proto': 'https, http',
            'x-forwarded-host': 'hooks.example.com, proxy.internal',
          },
        },
        undefined,
      ),
    ).toBe('https://hooks.example.com/api/v1/webhooks/4c1b2f0e-8a65-4a0f-9a36-0d5c4c1f7e21?x=%3A');
  });
});
