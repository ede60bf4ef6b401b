/**
 * Which Salesforce calls may be sent again after a fault (a 5xx, a timeout, an answer lost), per
 * operation rather than per HTTP method. sObject Collections update (`PATCH /composite/sobjects`)
 * and upsert by an external id (`PATCH /composite/sobjects/{object}/{field}`) set the same values
 * on the same records however often they run, as do every other PATCH (a record's update, a Bulk
 * job's state), PUT (a Bulk job's data) and DELETE. A POST creates: a create whose answer was lost
 * may have made its records, so sending it again would make them twice; it is never repeated
 * blindly (only after a fault that proves Salesforce did not act, see RetryPolicy). The token
 * grant is the exception: repeating it costs a second token, not a second record.
 */
export function isIdempotentSalesforceCall(method: string, url: URL): boolean {
  switch (method.toUpperCase()) {
    case 'GET':
    case 'HEAD':
    case 'PUT':
    case 'PATCH':
    case 'DELETE':
      return true;
    case 'POST':
      return url.pathname.endsWith('/services/oauth2/token');
    default:
      return false;
  }
}
