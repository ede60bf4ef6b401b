/**
 * Salesforce's error codes as Syncline's: a whole call's answer (`[{message, errorCode}]`, or the
 * OAuth endpoint's `{error, error_description}`) and one record's `statusCode` in a result.
 */
import type { ErrorCode } from '../sdk/errors';

/**
 * A per-record statusCode (collections results, Bulk `sf__Error`) as an ErrorCode; codes listed in
 * Salesforce's StatusCode reference (API Developer Guide, "Core Data Types Used in API Calls",
 * StatusCode). A code whose action fails the run marks the record failed for good (not retried).
 */
export function recordErrorCode(statusCode: string, fields: readonly string[] = []): ErrorCode {
  switch (statusCode) {
    case 'UNABLE_TO_LOCK_ROW':
      return 'locked';
    case 'REQUIRED_FIELD_MISSING':
      return 'required_field_missing';
    case 'DUPLICATE_VALUE':
    case 'DUPLICATE_EXTERNAL_ID':
    case 'DUPLICATES_DETECTED':
      return 'duplicate';
    case 'ENTITY_IS_DELETED':
    case 'NOT_FOUND':
      return 'not_found';
    case 'INVALID_CROSS_REFERENCE_KEY':
      // Without a field, it is the record's own id that does not exist.
      return fields.length === 0 ? 'not_found' : 'invalid_value';
    case 'INVALID_EMAIL_ADDRESS':
    case 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST':
    case 'INVALID_FIELD':
    case 'INVALID_FIELD_FOR_INSERT_UPDATE':
    case 'INVALID_TYPE_ON_FIELD_IN_RECORD':
    case 'STRING_TOO_LONG':
    case 'FIELD_CUSTOM_VALIDATION_EXCEPTION':
    case 'FIELD_INTEGRITY_EXCEPTION':
    case 'MISSING_ARGUMENT':
    case 'INVALID_TYPE':
    case 'MALFORMED_ID':
      return 'invalid_value';
    case 'NUMBER_OUTSIDE_VALID_RANGE':
    case 'INVALID_ID_FIELD':
    case 'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY':
      // The last is a trigger's or a flow's refusal of the values: as a validation rule's.
      return 'invalid_value';
    case 'CANNOT_UPDATE_CONVERTED_LEAD':
    case 'ENTITY_IS_LOCKED':
    case 'INSUFFICIENT_ACCESS_OR_READONLY':
    case 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY':
      // A converted lead, a record locked by an approval process, or a record the integration user
      // may not edit: no retry succeeds until a person acts.
      return 'permission_denied';
    case 'STORAGE_LIMIT_EXCEEDED':
      // The org is out of data storage: every create fails until an admin frees or buys some.
      return 'budget_exhausted';
    case 'REQUEST_LIMIT_EXCEEDED':
      return 'rate_limited';
    default:
      // ALL_OR_NONE_OPERATION_ROLLED_BACK, UNKNOWN_EXCEPTION…: nothing wrong with the record itself.
      return 'unknown';
  }
}

function firstError(body: unknown): { errorCode?: string; message?: string; error?: string } {
  const first: unknown = Array.isArray(body) ? body[0] : body;
  return typeof first === 'object' && first !== null ? first : {};
}

/** The code of a failed call, or undefined to fall back on the HTTP status. */
export function classifySalesforce(status: number, body: unknown): ErrorCode | undefined {
  const { errorCode, message, error } = firstError(body);
  if (error !== undefined) {
    // OAuth: a refresh token revoked or a wrong client is for a person to fix.
    return error === 'invalid_grant' ||
      error.startsWith('invalid_client') ||
      error === 'unauthorized_client'
      ? 'auth_invalid'
      : 'bad_request';
  }
  switch (errorCode) {
    case 'REQUEST_LIMIT_EXCEEDED':
      // "TotalRequests Limit exceeded" is the daily budget; the rest are concurrency limits that pass.
      return message?.includes('TotalRequests') === true ? 'budget_exhausted' : 'rate_limited';
    case 'INVALID_SESSION_ID':
      return undefined;
    case 'MALFORMED_QUERY':
    case 'INVALID_FIELD':
    case 'INVALID_TYPE':
    case 'QUERY_TOO_COMPLICATED':
    case 'EXCEEDED_ID_LIMIT':
    case 'INVALID_REPLICATION_DATE':
    case 'JSON_PARSER_ERROR':
    case 'INVALIDJOB':
    case 'INVALIDJOBSTATE':
      return 'bad_request';
    case 'API_DISABLED_FOR_ORG':
    case 'INSUFFICIENT_ACCESS':
      return 'permission_denied';
    case 'UNABLE_TO_LOCK_ROW':
      return 'locked';
    case undefined:
    default:
      return status === 414 || status === 431 ? 'bad_request' : undefined;
  }
}
