/**
 * Meta's error answers ("Graph API: Handling Errors"): `{error: {message, type, code,
 * error_subcode, error_user_title, error_user_msg, fbtrace_id}}`, and the throttling codes of the
 * Marketing API ("Rate Limiting": 4 application, 17 user, 32 page, 613 calls within an hour, 80003
 * custom audiences' business use case) with the `X-Business-Use-Case-Usage` header naming the
 * minutes until access is regained.
 */
import { randomBytes } from 'node:crypto';

export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export function traceId(): string {
  return randomBytes(8).toString('base64url');
}

export function ok(body: unknown): Answer {
  return { status: 200, body };
}

export function metaError(
  status: number,
  code: number,
  message: string,
  detail: { type?: string; subcode?: number; title?: string; userMessage?: string } = {},
): Answer {
  return {
    status,
    body: {
      error: {
        message,
        type: detail.type ?? 'OAuthException',
        code,
        ...(detail.subcode === undefined ? {} : { error_subcode: detail.subcode }),
        ...(detail.title === undefined ? {} : { error_user_title: detail.title }),
        ...(detail.userMessage === undefined ? {} : { error_user_msg: detail.userMessage }),
        fbtrace_id: traceId(),
      },
    },
  };
}

/** Code 100, "Invalid parameter", with what was wrong. */
export function invalidParameter(userMessage: string, subcode?: number): Answer {
  return metaError(400, 100, 'Invalid parameter', {
    ...(subcode === undefined ? {} : { subcode }),
    title: 'Invalid parameter',
    userMessage,
  });
}

/** A throttled call: code 17 (user request limit) or 80003 (custom audiences), usage header. */
export function throttled(code: 17 | 80003, accountId: string, minutes: number): Answer {
  const answer = metaError(
    400,
    code,
    code === 80003
      ? 'There have been too many calls for this ad-account. Please wait a bit and try again.'
      : 'User request limit reached',
  );
  return {
    ...answer,
    headers: {
      'x-business-use-case-usage': JSON.stringify({
        [accountId]: [
          {
            type: code === 80003 ? 'custom_audience' : 'ads_management',
            call_count: 100,
            total_cputime: 40,
            total_time: 40,
            estimated_time_to_regain_access: minutes,
          },
        ],
      }),
    },
  };
}

export function unknownPath(path: string): Answer {
  return metaError(400, 100, `Unsupported request - method type or path: ${path}`, {
    type: 'GraphMethodException',
    subcode: 33,
  });
}
