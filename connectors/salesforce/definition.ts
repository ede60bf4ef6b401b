/** The Salesforce connector's registry entry. */
import type { ConnectorDefinition } from '../sdk/contract';
import { DEFAULT_API_VERSION, DEFAULT_LOGIN_URL, createSalesforceConnector } from './connector';
import { SYNCED_OBJECTS } from './discover';
import { DEFAULT_BULK_THRESHOLD } from './limits';

function text(values: Record<string, unknown>, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export const salesforceConnectorDefinition: ConnectorDefinition = {
  kind: 'salesforce',
  label: 'Salesforce',
  settings: [
    {
      name: 'instanceUrl',
      label: 'Instance URL',
      type: 'url',
      required: true,
      description: 'https://yourorg.my.salesforce.com',
    },
    {
      name: 'loginUrl',
      label: 'Login URL',
      type: 'url',
      required: false,
      default: DEFAULT_LOGIN_URL,
      description: 'https://test.salesforce.com for sandboxes',
    },
    {
      name: 'apiVersion',
      label: 'API version',
      type: 'string',
      required: false,
      default: DEFAULT_API_VERSION,
    },
    {
      name: 'bulkThreshold',
      label: 'Bulk API threshold',
      type: 'number',
      required: false,
      default: DEFAULT_BULK_THRESHOLD,
      description: 'Write calls with at least this many records go through Bulk API 2.0.',
    },
  ],
  secrets: ['accessToken', 'refreshToken', 'clientId', 'clientSecret'],
  staticObjects: [...SYNCED_OBJECTS],
  // The hosts Salesforce serves the API and sign-in on, and no other: My Domain
  // (acme.my.salesforce.com; sandboxes, scratch and Developer Edition orgs under it, as
  // acme--uat.sandbox.my.salesforce.com), the generic login hosts, and legacy instance hosts
  // (https://InstanceName.salesforce.com, Metadata API MyDomainSettings). Not *.force.com nor
  // *.my.site.com: customers publish Sites and Experience Cloud pages there.
  allowedHosts: [
    '*.my.salesforce.com',
    'login.salesforce.com',
    'test.salesforce.com',
    '{instance}.salesforce.com',
  ],
  create(settings, secrets, context) {
    const instanceUrl = text(settings, 'instanceUrl');
    if (instanceUrl === undefined)
      throw new Error('salesforce: the instanceUrl setting is required');
    const threshold = settings['bulkThreshold'];
    return createSalesforceConnector({
      instanceUrl,
      loginUrl: text(settings, 'loginUrl') ?? DEFAULT_LOGIN_URL,
      apiVersion: text(settings, 'apiVersion') ?? DEFAULT_API_VERSION,
      ...(typeof threshold === 'number' && threshold > 0 ? { bulkThreshold: threshold } : {}),
      ...(text(secrets, 'accessToken') === undefined
        ? {}
        : { accessToken: text(secrets, 'accessToken') }),
      ...(text(secrets, 'refreshToken') === undefined
        ? {}
        : { refreshToken: text(secrets, 'refreshToken') }),
      ...(text(secrets, 'clientId') === undefined ? {} : { clientId: text(secrets, 'clientId') }),
      ...(text(secrets, 'clientSecret') === undefined
        ? {}
        : { clientSecret: text(secrets, 'clientSecret') }),
      clock: context.clock,
      logger: context.logger,
      ...(context.signal === undefined ? {} : { signal: context.signal }),
    });
  },
};
