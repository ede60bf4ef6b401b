import { ConfigError, loadConfig } from './environment';

describe('loadConfig', () => {
  it('fills in the defaults when nothing is set', () => {
    expect(loadConfig({})).toEqual({
      env: undefined,
      host: '127.0.0.1',
      port: 3000,
      databaseUrl: undefined,
      databasePoolSize: 10,
      dataDir: './.syncline/data',
      logLevel: 'info',
      logFormat: 'auto',
      alertWebhookAllowPrivate: false,
      expressionTimeoutMs: 1000,
      firstRunMaxUnmatched: 0.5,
      adminKey: undefined,
      secretKey: undefined,
      allowSandbox: false,
      apiRateLimit: 600,
      workerConcurrency: 2,
      pageSize: 500,
      tickSeconds: 5,
      runLeaseSeconds: 30,
      runRetrySeconds: 60,
      unhealthyAfter: 3,
      webhookDebounceSeconds: 10,
      logRetentionDays: 90,
      publicUrl: undefined,
      sandbox: 'auto',
      sandboxActivity: true,
      configDir: undefined,
      configForce: false,
    });
  });

  it('reads the sandbox variables and refuses unknown modes', () => {
    expect(
      loadConfig({
        SYNCLINE_SANDBOX: 'off',
        SYNCLINE_SANDBOX_ACTIVITY: 'off',
        SYNCLINE_CONFIG_DIR: './config',
      }),
    ).toMatchObject({ sandbox: 'off', sandboxActivity: false, configDir: './config' });
    expect(loadConfig({ SYNCLINE_SANDBOX: 'on' }).sandbox).toBe('on');
    expect(() => loadConfig({ SYNCLINE_SANDBOX: 'yes' })).toThrow(
      /SYNCLINE_SANDBOX: must be one of auto, on, off \(got "yes"\)/,
    );
    expect(() => loadConfig({ SYNCLINE_SANDBOX_ACTIVITY: 'sometimes' })).toThrow(
      /SYNCLINE_SANDBOX_ACTIVITY: must be on or off/,
    );
  });

  it('reads the scheduling variables and refuses out-of-range ones', () => {
    expect(
      loadConfig({
        SYNCLINE_WORKER_CONCURRENCY: '0',
        SYNCLINE_PAGE_SIZE: '1000',
        SYNCLINE_TICK_SECONDS: '1',
        SYNCLINE_RUN_LEASE_SECONDS: '10',
        SYNCLINE_PUBLIC_URL: 'https://syncline.example.com/',
      }),
    ).toMatchObject({
      workerConcurrency: 0,
      pageSize: 1000,
      tickSeconds: 1,
      runLeaseSeconds: 10,
      publicUrl: 'https://syncline.example.com',
    });
    expect(() => loadConfig({ SYNCLINE_PAGE_SIZE: '10' })).toThrow(
      /SYNCLINE_PAGE_SIZE: must be a whole number from 50 to 5000/,
    );
    expect(() => loadConfig({ SYNCLINE_RUN_LEASE_SECONDS: '1' })).toThrow(
      /SYNCLINE_RUN_LEASE_SECONDS: must be a whole number from 3 to 3600/,
    );
    expect(() => loadConfig({ SYNCLINE_PUBLIC_URL: 'syncline.example.com' })).toThrow(
      /SYNCLINE_PUBLIC_URL: must be the http\(s\) URL/,
    );
  });

  it('takes the values given, empty strings counting as unset', () => {
    const config = loadConfig({
      NODE_ENV: 'development',
      HOST: '0.0.0.0',
      PORT: '8080',
      DATABASE_URL: 'postgres://syncline:pw@db.internal:5432/syncline?sslmode=require',
      DATABASE_POOL_SIZE: '',
      SYNCLINE_DATA_DIR: '/var/lib/syncline',
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'json',
    });
    expect(config).toMatchObject({
      env: 'development',
      host: '0.0.0.0',
      port: 8080,
      databaseUrl: 'postgres://syncline:pw@db.internal:5432/syncline?sslmode=require',
      databasePoolSize: 10,
      dataDir: '/var/lib/syncline',
      logLevel: 'debug',
      logFormat: 'json',
    });
    expect(loadConfig({}).logFormat).toBe('auto');
  });

  it('names every wrong variable in one message', () => {
    let error: unknown;
    try {
      loadConfig({
        DATABASE_URL: 'not-a-url',
        PORT: '70000',
        LOG_LEVEL: 'loud',
        LOG_FORMAT: 'xml',
        DATABASE_POOL_SIZE: 'many',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('DATABASE_URL: must be a postgres:// URL');
    expect(message).toContain('(got "not-a-url")');
    expect(message).toContain('PORT: must be a whole number from 0 to 65535 (got 70000)');
    expect(message).toContain(
      'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
    );
    expect(message).toContain(
      'DATABASE_POOL_SIZE: must be a whole number from 1 to 100 (got "many")',
    );
    expect(message).toContain('LOG_FORMAT: must be one of auto, pretty, json (got "xml")');
  });

  it.each(['mysql://db/x', 'postgres://', 'http://host/db', 'postgres://host/db name'])(
    'refuses DATABASE_URL=%s',
    (url) => {
      expect(() => loadConfig({ DATABASE_URL: url })).toThrow(/DATABASE_URL/);
    },
  );

  it('checks SYNCLINE_ADMIN_KEY without ever printing it', () => {
    expect(() => loadConfig({ SYNCLINE_ADMIN_KEY: 'hunter2-not-a-key' })).toThrow(
      /SYNCLINE_ADMIN_KEY: must be an API key/,
    );
    expect(() => loadConfig({ SYNCLINE_ADMIN_KEY: 'hunter2-not-a-key' })).not.toThrow(/hunter2/);
    const key = `sl_0123456789_${'a'.repeat(43)}`;
    expect(loadConfig({ SYNCLINE_ADMIN_KEY: key }).adminKey).toBe(key);
  });

  it('takes SYNCLINE_API_RATE_LIMIT as requests per minute per key, and refuses nonsense', () => {
    expect(loadConfig({ SYNCLINE_API_RATE_LIMIT: '120' }).apiRateLimit).toBe(120);
    expect(() => loadConfig({ SYNCLINE_API_RATE_LIMIT: '0' })).toThrow(
      /SYNCLINE_API_RATE_LIMIT: must be a whole number from 1 to 1000000/,
    );
    expect(() => loadConfig({ SYNCLINE_API_RATE_LIMIT: 'lots' })).toThrow(
      /SYNCLINE_API_RATE_LIMIT/,
    );
  });
});
