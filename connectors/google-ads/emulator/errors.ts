/**
 * Google's error bodies, as the Google Ads API answers over REST ("API errors", "Partial failures",
 * `google.rpc.Status` in JSON): `{error: {code, message, status, details: [GoogleAdsFailure]}}`, the
 * failure holding `errors[]` each with its `errorCode` (one enum of one error family, such as
 * `{conversionUploadError: 'UNPARSEABLE_GCLID'}`), a message and where in the request it lies
 * (`location.fieldPathElements`, with the index of a repeated field's element).
 */
import { randomBytes } from 'node:crypto';

export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface FieldPathElement {
  fieldName: string;
  index?: number;
}

export interface AdsError {
  /** One entry: the error family (camelCase, as in JSON) and its enum name. */
  errorCode: Record<string, string>;
  message: string;
  trigger?: { stringValue: string };
  location?: { fieldPathElements: FieldPathElement[] };
  details?: Record<string, unknown>;
}

/** The canonical code's name for each HTTP status Google answers with. */
const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** The canonical (google.rpc.Code) number of a status name. */
const CODE_NUMBERS: Record<string, number> = {
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
};

const STATUS_MESSAGES: Record<number, string> = {
  400: 'Request contains an invalid argument.',
  401: 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
  403: 'The caller does not have permission',
  404: 'Requested entity was not found.',
  429: 'Resource has been exhausted (e.g. check quota).',
  500: 'Internal error encountered.',
  503: 'The service is currently unavailable.',
};

export function requestId(): string {
  return randomBytes(11).toString('base64url');
}

function failure(version: string, errors: AdsError[]): Record<string, unknown> {
  return {
    '@type': `type.googleapis.com/google.ads.googleads.${version}.errors.GoogleAdsFailure`,
    errors,
    requestId: requestId(),
  };
}

/** A failed call: Google's status for `status`, the Google Ads errors in its details. */
export function adsError(
  status: number,
  version: string,
  errors: AdsError[],
  headers?: Record<string, string>,
): Answer {
  const name = STATUS_NAMES[status] ?? 'UNKNOWN';
  return {
    status,
    body: {
      error: {
        code: status,
        message: STATUS_MESSAGES[status] ?? name,
        status: name,
        details: [failure(version, errors)],
      },
    },
    ...(headers === undefined ? {} : { headers }),
  };
}

/** One error of `family` (`requestError`…) with its enum name and message. */
export function error(
  family: string,
  code: string,
  message: string,
  path?: FieldPathElement[],
): AdsError {
  return {
    errorCode: { [family]: code },
    message,
    ...(path === undefined ? {} : { location: { fieldPathElements: path } }),
  };
}

/** `partial_failure_error` of an answer: the errors of the operations that failed, by index. */
export function partialFailure(version: string, errors: AdsError[]): Record<string, unknown> {
  return {
    code: CODE_NUMBERS.INVALID_ARGUMENT,
    message: errors.map((entry) => entry.message).join(', '),
    details: [failure(version, errors)],
  };
}

export function ok(body: unknown): Answer {
  return { status: 200, body };
}

/** A path the API does not serve: Google's plain 404, no Google Ads failure in it. */
export function notFound(path: string): Answer {
  return {
    status: 404,
    body: {
      error: {
        code: 404,
        message: `The requested URL ${path} was not found.`,
        status: 'NOT_FOUND',
      },
    },
  };
}
