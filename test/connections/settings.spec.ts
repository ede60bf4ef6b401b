import { salesforceConnector as salesforce } from '../../connectors/salesforce';
import { defineConnector } from '../../connectors/sdk/define';
import { checkSecrets, checkSettings } from '../../src/connections/settings';

const vendor = defineConnector({
  kind: 'vendor',
  label: 'Vendor',
  settings: {
    baseUrl: { label: 'Base URL', type: 'url', required: true },
    pageSize: { label: 'Page size', type: 'number', default: 100, minimum: 1 },
    verbose: { label: 'Verbose', type: 'boolean' },
  },
  secrets: ['accessToken'],
  capabilities: ['source'],
  allowedHosts: ['api.vendor.com', '*.my.vendor.com'],
  limits: () => ({ maxPageSize: 100, maxBatch: {}, concurrency: 1, rateLimits: [] }),
  open: () => {
    throw new Error('not used');
  },
});

describe('checkSettings', () => {
  it('accepts https URLs on the allowed hosts', () => {
    expect(checkSettings(vendor, { baseUrl: 'https://api.vendor.com' }, false)).toEqual([]);
    expect(checkSettings(vendor, { baseUrl: 'https://acme.my.vendor.com/x' }, false)).toEqual([]);
  });

  it.each([
    ['http://api.vendor.com', 'must use https'],
    ['https://evil.com', 'must be on api.vendor.com, *.my.vendor.com'],
    ['https://my.vendor.com', 'must be on api.vendor.com, *.my.vendor.com'],
    ['https://api.vendor.com.evil.com', 'must be on api.vendor.com, *.my.vendor.com'],
    ['https://127.0.0.1', 'must be on api.vendor.com, *.my.vendor.com'],
    ['https://user:pw@api.vendor.com', 'must not carry credentials'],
    ['api.vendor.com', 'must be an absolute URL'],
  ])('refuses %s outside a sandbox', (url, problem) => {
    expect(checkSettings(vendor, { baseUrl: url }, false)).toEqual([
      { path: 'settings.baseUrl', problem },
    ]);
  });

  it('lets a sandbox point at loopback addresses only', () => {
    for (const url of [
      'http://127.0.0.1:4010',
      'http://localhost:4010',
      'http://[::1]:4010',
      'http://127.5.0.1',
    ]) {
      expect(checkSettings(vendor, { baseUrl: url }, true)).toEqual([]);
    }
    for (const url of [
      'http://10.0.0.1',
      'http://169.254.169.254',
      'http://api.vendor.com',
      'file:///etc/passwd',
    ]) {
      expect(checkSettings(vendor, { baseUrl: url }, true)).toHaveLength(1);
    }
  });

  it('names missing, unknown and mistyped settings', () => {
    expect(checkSettings(vendor, { pageSize: 'ten', verbose: 'yes', colour: 1 }, false)).toEqual([
      { path: 'settings.colour', problem: 'is not a setting of vendor connections' },
      { path: 'settings.baseUrl', problem: 'is required' },
      { path: 'settings.pageSize', problem: 'must be a number' },
      { path: 'settings.verbose', problem: 'must be true or false' },
    ]);
  });
});

describe('Salesforce hosts', () => {
  it.each([
    'https://acme.my.salesforce.com',
    'https://acme--uat.sandbox.my.salesforce.com',
    'https://acme-dev-ed.develop.my.salesforce.com',
    'https://login.salesforce.com',
    'https://test.salesforce.com',
    'https://na123.salesforce.com',
    'https://cs42.salesforce.com',
  ])('takes the API and sign-in host %s', (url) => {
    expect(checkSettings(salesforce, { instanceUrl: url, loginUrl: url }, false)).toEqual([]);
  });

  it.each([
    // Sites and Experience Cloud pages that customers publish, and the Lightning UI.
    'https://acme.force.com',
    'https://acme.secure.force.com',
    'https://acme.my.site.com',
    'https://acme.lightning.force.com',
    'https://trailhead.salesforce.com',
    'https://salesforce.com',
  ])('refuses %s, where anyone may publish or no API answers', (url) => {
    expect(checkSettings(salesforce, { instanceUrl: url }, false)).toEqual([
      expect.objectContaining({ path: 'settings.instanceUrl' }),
    ]);
  });
});

describe('checkSecrets', () => {
  it('names unknown secrets and empty values', () => {
    expect(checkSecrets(vendor, { accessToken: '', password: 'x' })).toEqual([
      { path: 'secrets.accessToken', problem: 'must be a non-empty string, or null to remove it' },
      {
        path: 'secrets.password',
        problem: 'is not a secret of vendor connections (known: accessToken)',
      },
    ]);
    expect(checkSecrets(vendor, { accessToken: 'tok' })).toEqual([]);
    expect(checkSecrets(vendor, { accessToken: null })).toEqual([]);
  });
});
