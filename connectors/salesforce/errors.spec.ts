import { failedResult } from './write';

describe('Salesforce record errors', () => {
  it.each([
    ['CANNOT_UPDATE_CONVERTED_LEAD', 'permission_denied'],
    ['ENTITY_IS_LOCKED', 'permission_denied'],
    ['INSUFFICIENT_ACCESS_OR_READONLY', 'permission_denied'],
    ['INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY', 'permission_denied'],
    ['CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY', 'invalid_value'],
    ['NUMBER_OUTSIDE_VALID_RANGE', 'invalid_value'],
    ['INVALID_ID_FIELD', 'invalid_value'],
    ['STORAGE_LIMIT_EXCEEDED', 'budget_exhausted'],
  ])('%s can never succeed on retry: %s, not retried', (statusCode, code) => {
    expect(failedResult(statusCode, 'refused')).toEqual({
      status: 'failed',
      error: { code, message: `${statusCode}: refused`, retryable: false },
    });
  });

  it.each([
    ['UNABLE_TO_LOCK_ROW', 'locked'],
    ['UNKNOWN_EXCEPTION', 'unknown'],
  ])('%s may pass later: %s, retried', (statusCode, code) => {
    expect(failedResult(statusCode, 'busy')).toMatchObject({ error: { code, retryable: true } });
  });
});
