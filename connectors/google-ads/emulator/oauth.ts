/**
 * Google's OAuth 2.0 token endpoint (`https://oauth2.googleapis.com/token`, "Using OAuth 2.0 for
 * Web Server Applications: refreshing an access token"): a form POST with `grant_type`
 * `refresh_token`, the client's id and secret and the refresh token, answered with a Bearer access
 * token valid for an hour (`expires_in` 3599); an unknown client is `invalid_client` (401), a
 * revoked or unknown refresh token `invalid_grant` (400).
 */
import { randomBytes } from 'node:crypto';
import type { Answer } from './errors';
import type { GoogleAdsStore } from './store';

export const ACCESS_TOKEN_SECONDS = 3599;

const refused = (status: number, code: string, description: string): Answer => ({
  status,
  body: { error: code, error_description: description },
});

export function grantToken(store: GoogleAdsStore, form: URLSearchParams): Answer {
  const grantType = form.get('grant_type');
  if (grantType !== 'refresh_token')
    return refused(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType ?? ''}`);
  const clientId = form.get('client_id') ?? '';
  const secret = store.clients.get(clientId);
  if (secret === undefined || secret !== form.get('client_secret'))
    return refused(401, 'invalid_client', 'The OAuth client was not found.');
  const refreshToken = form.get('refresh_token') ?? '';
  if (store.refreshTokens.get(refreshToken) !== clientId)
    return refused(400, 'invalid_grant', 'Token has been expired or revoked.');
  const token = `ya29.${randomBytes(24).toString('base64url')}`;
  store.accessTokens.set(token, store.now() + ACCESS_TOKEN_SECONDS * 1000);
  return {
    status: 200,
    body: {
      access_token: token,
      expires_in: ACCESS_TOKEN_SECONDS,
      scope: 'https://www.googleapis.com/auth/adwords',
      token_type: 'Bearer',
    },
  };
}
