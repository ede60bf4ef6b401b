import { createHmac } from 'node:crypto';
import {
  decodeHubSpotUri,
  hubspotV3Signature,
  signaturesEqual,
  timestampProblem,
  verifyHubSpotV3,
} from './signature';

describe('HubSpot v3 signature', () => {
  const body = '{"example_field":"example_value"}';

  it('is base64(HMAC-SHA256(secret, method + uri + body + timestamp)): a known vector', () => {
    // Computed with `openssl dgst -sha256 -hmac … -binary | base64`, outside this code.
    expect(
      hubspotV3Signature('yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy', {
        method: 'POST',
        uri: 'https://www.example.com/webhook_uri',
        body,
        timestamp: '1700000000000',
      }),
    ).toBe('rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o=');
  });

  it('signs the raw bytes of the body, not a re-serialisation', () => {
    const raw = Buffer.from('[ {"portalId": 1,  "subscriptionType": "contact.creation"} ]\n');
    const expected = createHmac('sha256', 's')
      .update(Buffer.concat([Buffer.from('POSThttps://h/p'), raw, Buffer.from('1')]))
      .digest('base64');
    expect(
      hubspotV3Signature('s', { method: 'POST', uri: 'https://h/p', body: raw, timestamp: '1' }),
    ).toBe(expected);
  });

  it('verifies over the decoded URI, as HubSpot signs it', () => {
    // Signed by HubSpot over the decoded URL; received percent-encoded. Vector from openssl.
    const received =
      'https://hooks.example.com/api/v1/webhooks/hubspot?name=a%3Ab%2Fc%40d%21e%24f%27g%28h%29i%2Aj%2Ck%3Bl&q=%20x%25%3Dy';
    const request = {
      method: 'POST',
      uri: received,
      body: '[{"portalId":62515,"subscriptionType":"contact.creation","objectId":1}]',
      timestamp: '1700000000000',
    };
    const signature = 'a21jQZ6ra1SPqSo8w8DgrF/31AnaHm48yHHicGYjZl8=';
    expect(verifyHubSpotV3('client-secret', request, signature)).toBe(true);
    expect(verifyHubSpotV3('other-secret', request, signature)).toBe(false);
    expect(
      verifyHubSpotV3('client-secret', { ...request, body: `${request.body} ` }, signature),
    ).toBe(false);
    expect(verifyHubSpotV3('client-secret', { ...request, method: 'PUT' }, signature)).toBe(false);
    expect(
      verifyHubSpotV3('client-secret', { ...request, timestamp: '1700000000001' }, signature),
    ).toBe(false);
  });

  it('refuses signatures of another length or a mangled one without throwing', () => {
    const request = { method: 'POST', uri: 'https://h/p', body: '[]', timestamp: '1' };
    const good = hubspotV3Signature('s', request);
    expect(verifyHubSpotV3('s', request, good)).toBe(true);
    expect(verifyHubSpotV3('s', request, '')).toBe(false);
    expect(verifyHubSpotV3('s', request, good.slice(0, -1))).toBe(false);
    expect(verifyHubSpotV3('s', request, `${good}=`)).toBe(false);
    // A space where a `+` was (a header URL-decoded on the way) is another signature.
    const known = {
      method: 'POST',
      uri: 'https://www.example.com/webhook_uri',
      body,
      timestamp: '1700000000000',
    };
    const secret = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
    expect(verifyHubSpotV3(secret, known, 'rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o=')).toBe(
      true,
    );
    expect(verifyHubSpotV3(secret, known, 'rQEKkaNUiu 1qGF//O/pw4BCzstSqO1PyUnGICmf 7o=')).toBe(
      false,
    );
    expect(signaturesEqual('abc', 'abc')).toBe(true);
    expect(signaturesEqual('abc', 'abd')).toBe(false);
    expect(signaturesEqual('é', 'e')).toBe(false);
  });
});

describe('decodeHubSpotUri', () => {
  it("decodes exactly the characters of HubSpot's table", () => {
    expect(decodeHubSpotUri('%3A%2F%3F%40%21%24%27%28%29%2A%2C%3B')).toBe(":/?@!$'()*,;");
  });

  it('decodes lower-case hex digits too', () => {
    expect(decodeHubSpotUri('%3a%2f%3f%2a%2c%3b')).toBe(':/?*,;');
  });

  it('keeps every other escape as sent', () => {
    expect(decodeHubSpotUri('a%20b%25c%3Dd%26e%2Bf%23g%7E')).toBe('a%20b%25c%3Dd%26e%2Bf%23g%7E');
  });

  it('decodes in one pass: an escaped percent sign stays escaped', () => {
    expect(decodeHubSpotUri('%253A')).toBe('%253A');
    expect(decodeHubSpotUri('%25%33%41')).toBe('%25%33%41');
  });

  it('leaves a URI without escapes alone', () => {
    expect(decodeHubSpotUri('https://h.example.com/api/v1/webhooks/hubspot?a=b')).toBe(
      'https://h.example.com/api/v1/webhooks/hubspot?a=b',
    );
  });
});

describe('timestampProblem', () => {
  const now = 1_700_000_000_000;
  const minutes = (n: number): string => String(now - n * 60_000);

  it('accepts a timestamp within 5 minutes either way', () => {
    expect(timestampProblem(String(now), now)).toBeUndefined();
    expect(timestampProblem(minutes(4.9), now)).toBeUndefined();
    expect(timestampProblem(minutes(5), now)).toBeUndefined();
    expect(timestampProblem(minutes(-4.9), now)).toBeUndefined();
  });

  it('refuses one older than 5 minutes', () => {
    expect(timestampProblem(String(now - 300_001), now)).toBe('stale');
    expect(timestampProblem(minutes(6), now)).toBe('stale');
    expect(timestampProblem('0', now)).toBe('stale');
  });

  it('refuses one more than 5 minutes in the future', () => {
    expect(timestampProblem(String(now + 300_001), now)).toBe('future');
    expect(timestampProblem('9999999999999999', now)).toBe('future');
  });

  it('refuses a missing or non-numeric one', () => {
    expect(timestampProblem(undefined, now)).toBe('missing');
    expect(timestampProblem('', now)).toBe('missing');
    expect(timestampProblem('1.7e12', now)).toBe('malformed');
    expect(timestampProblem('-1', now)).toBe('malformed');
    expect(timestampProblem(' 1700000000000', now)).toBe('malformed');
    expect(timestampProblem(new Date(now).toISOString(), now)).toBe('malformed');
    // Seconds instead of milliseconds: a date in 1970.
    expect(timestampProblem(String(now / 1000), now)).toBe('stale');
  });
});
