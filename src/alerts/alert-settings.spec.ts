import { MAX_WEBHOOK_URL_LENGTH, validateAlertSettings } from './alert-settings';

describe('validateAlertSettings', () => {
  it('accepts null (no alerts) and valid settings', () => {
    expect(validateAlertSettings(null)).toEqual([]);
    expect(validateAlertSettings({ webhookUrl: 'https://hooks.slack.com/services/T/B/x' })).toEqual(
      [],
    );
    // http and private hosts: only when the operator allows them.
    expect(
      validateAlertSettings(
        { webhookUrl: 'http://alerts.internal:8080/hook', failedRecordRate: 1 },
        'alerts',
        { allowPrivate: true },
      ),
    ).toEqual([]);
    expect(
      validateAlertSettings({ webhookUrl: 'http://127.0.0.1:8080/hook' }, 'alerts', {
        allowPrivate: true,
      }),
    ).toEqual([]);
    expect(
      validateAlertSettings({ webhookUrl: 'https://example.com/h', failedRecordRate: 0.05 }),
    ).toEqual([]);
  });

  it.each([undefined, 'https://example.com', 42, true, [], [{ webhookUrl: 'https://x.io' }]])(
    'rejects %p as a whole',
    (value) => {
      expect(validateAlertSettings(value)).toEqual([
        {
          path: 'alerts',
          problem:
            'must be null or an object with webhookUrl (and failedRecordRate, anomalyFactor)',
        },
      ]);
    },
  );

  it('requires webhookUrl', () => {
    expect(validateAlertSettings({})).toEqual([{ path: 'alerts.webhookUrl', problem: 'required' }]);
    expect(validateAlertSettings({ failedRecordRate: 0.1 })).toEqual([
      { path: 'alerts.webhookUrl', problem: 'required' },
    ]);
  });

  it.each([
    [null, 'must be a string: an absolute https URL'],
    [42, 'must be a string: an absolute https URL'],
    ['', 'must be an absolute https URL'],
    ['hooks.slack.com/services/x', 'must be an absolute https URL'],
    ['/relative/path', 'must be an absolute https URL'],
    ['ftp://example.com/hook', 'must be an https URL'],
    ['javascript:alert(1)', 'must be an https URL'],
    ['file:///etc/passwd', 'must be an https URL'],
    ['http://alerts.internal:8080/hook', 'must be an https URL'],
    ['https://192.168.1.10/hook', 'must be on a public address'],
    ['https://[fd00::1]/hook', 'must be on a public address'],
    [
      `https://example.com/${'a'.repeat(MAX_WEBHOOK_URL_LENGTH)}`,
      `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`,
    ],
  ])('rejects webhookUrl %p', (webhookUrl, problem) => {
    expect(validateAlertSettings({ webhookUrl })).toEqual([{ path: 'alerts.webhookUrl', problem }]);
  });

  it('accepts a webhookUrl of exactly the maximum length', () => {
    const prefix = 'https://example.com/';
    const webhookUrl = prefix + 'a'.repeat(MAX_WEBHOOK_URL_LENGTH - prefix.length);
    expect(webhookUrl).toHaveLength(MAX_WEBHOOK_URL_LENGTH);
    expect(validateAlertSettings({ webhookUrl })).toEqual([]);
  });

  it.each([0, -0.1, 1.01, Number.NaN, Number.POSITIVE_INFINITY, '0.5', null, true])(
    'rejects failedRecordRate %p',
    (failedRecordRate) => {
      expect(validateAlertSettings({ webhookUrl: 'https://x.io/h', failedRecordRate })).toEqual([
        {
          path: 'alerts.failedRecordRate',
          problem: 'must be a number greater than 0 and at most 1 (a share of the records read)',
        },
      ]);
    },
  );

  it.each([1.99, 1001, Number.NaN, '5', null])('rejects anomalyFactor %p', (anomalyFactor) => {
    expect(validateAlertSettings({ webhookUrl: 'https://x.io/h', anomalyFactor })).toEqual([
      {
        path: 'alerts.anomalyFactor',
        problem:
          "must be a number from 2 to 1000 (times a run's usual number of creates or deletes)",
      },
    ]);
  });

  it.each([2, 5, 1000])('accepts anomalyFactor %p', (anomalyFactor) => {
    expect(validateAlertSettings({ webhookUrl: 'https://x.io/h', anomalyFactor })).toEqual([]);
  });

  it('reports unknown keys and every other problem together, under the given path', () => {
    expect(
      validateAlertSettings(
        { webhookUrl: 'ftp://x', failedRecordRate: 2, channel: '#ops', email: 'a@b.c' },
        'body.alerts',
      ),
    ).toEqual([
      { path: 'body.alerts.channel', problem: 'unknown' },
      { path: 'body.alerts.email', problem: 'unknown' },
      { path: 'body.alerts.webhookUrl', problem: 'must be an https URL' },
      {
        path: 'body.alerts.failedRecordRate',
        problem: 'must be a number greater than 0 and at most 1 (a share of the records read)',
      },
    ]);
  });

  it('never echoes the (secret) URL in a problem', () => {
    const secret = 'ftp://hooks.example.com/services/T000/B000/SECRETTOKEN';
    const problems = validateAlertSettings({ webhookUrl: secret });
    expect(problems).toHaveLength(1);
    expect(JSON.stringify(problems)).not.toContain('SECRETTOKEN');
  });
});
