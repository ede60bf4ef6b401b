import { parseBulkError } from './bulk';
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

describe('Bulk API 2.0 sf__Error', () => {
  it.each([
    [
      'ENTITY_IS_DELETED:entity is deleted:--',
      { statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] },
    ],
    [
      'REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --',
      {
        statusCode: 'REQUIRED_FIELD_MISSING',
        message: 'Required fields are missing: [LastName]',
        fields: ['LastName'],
      },
    ],
    [
      'INVALID_CROSS_REFERENCE_KEY:invalid cross reference id:--',
      {
        statusCode: 'INVALID_CROSS_REFERENCE_KEY',
        message: 'invalid cross reference id',
        fields: [],
      },
    ],
  ])('reads %s', (text, parsed) => {
    expect(parseBulkError(text)).toEqual(parsed);
  });

  it('makes a deleted or missing record a final not_found, not a retried unknown', () => {
    const { statusCode, message, fields } = parseBulkError(
      'ENTITY_IS_DELETED:entity is deleted:--',
    );
    expect(failedResult(statusCode, message, fields)).toMatchObject({
      error: { code: 'not_found', retryable: false },
    });
  });
});
