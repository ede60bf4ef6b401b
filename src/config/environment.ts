/**
 * Configuration from environment variables, validated once at boot. A bad value stops the process
 * with one message naming every variable that is wrong (see main.ts).
 */
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
  type ValidationError,
} from 'class-validator';
import { API_KEY_FORMAT, API_KEY_PATTERN } from '../auth/api-key-secret';
import { DEFAULT_PAGE_SIZE } from '../engine/run-sync';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const LOG_FORMATS = ['auto', 'pretty', 'json'] as const;
const NODE_ENVS = ['development', 'production', 'test'] as const;
const SANDBOX_MODES = ['auto', 'on', 'off'] as const;
const SWITCHES = ['on', 'off', 'true', 'false', '1', '0'] as const;
const VARIABLES = [
  'NODE_ENV',
  'HOST',
  'PORT',
  'DATABASE_URL',
  'DATABASE_POOL_SIZE',
  'SYNCLINE_DATA_DIR',
  'LOG_LEVEL',
  'LOG_FORMAT',
  'SYNCLINE_ADMIN_KEY',
  'SYNCLINE_SECRET_KEY',
  'SYNCLINE_ALLOW_SANDBOX',
  'SYNCLINE_ALERT_WEBHOOK_ALLOW_PRIVATE',
  'SYNCLINE_API_RATE_LIMIT',
  'SYNCLINE_WORKER_CONCURRENCY',
  'SYNCLINE_PAGE_SIZE',
  'SYNCLINE_TICK_SECONDS',
  'SYNCLINE_RUN_LEASE_SECONDS',
  'SYNCLINE_RUN_RETRY_SECONDS',
  'SYNCLINE_FIRST_RUN_MAX_UNMATCHED_PERCENT',
  'SYNCLINE_UNHEALTHY_AFTER',
  'SYNCLINE_EXPRESSION_TIMEOUT_MS',
  'SYNCLINE_WEBHOOK_DEBOUNCE_SECONDS',
  'SYNCLINE_PUBLIC_URL',
  'SYNCLINE_SANDBOX',
  'SYNCLINE_SANDBOX_ACTIVITY',
  'SYNCLINE_CONFIG_DIR',
  'SYNCLINE_CONFIG_FORCE',
  'SYNCLINE_LOG_RETENTION_DAYS',
] as const;

function toInt({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string' || value.trim() === '') return value;
  return /^-?\d+$/.test(value.trim()) ? Number(value) : value;
}

export class EnvironmentVariables {
  @IsOptional()
  @IsIn(NODE_ENVS, { message: `must be one of ${NODE_ENVS.join(', ')}` })
  NODE_ENV?: (typeof NODE_ENVS)[number];

  @IsOptional()
  @IsString()
  @MinLength(1)
  HOST?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number from 0 to 65535' })
  @Min(0, { message: 'must be a whole number from 0 to 65535' })
  @Max(65535, { message: 'must be a whole number from 0 to 65535' })
  PORT?: number;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/[^\s/]+(\/[^\s?]*)?(\?\S*)?$/, {
    message: 'must be a postgres:// URL, e.g. postgres://user:password@host:5432/database',
  })
  DATABASE_URL?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number from 1 to 100' })
  @Min(1, { message: 'must be a whole number from 1 to 100' })
  @Max(100, { message: 'must be a whole number from 1 to 100' })
  DATABASE_POOL_SIZE?: number;

  @IsOptional()
  @IsString()
  @MinLength(1)
  SYNCLINE_DATA_DIR?: string;

  @IsOptional()
  @IsIn(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL?: (typeof LOG_LEVELS)[number];

  @IsOptional()
  @IsIn(LOG_FORMATS, { message: `must be one of ${LOG_FORMATS.join(', ')}` })
  LOG_FORMAT?: (typeof LOG_FORMATS)[number];

  @IsOptional()
  @Matches(API_KEY_PATTERN, { message: `must be an API key: ${API_KEY_FORMAT}` })
  SYNCLINE_ADMIN_KEY?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=?$/, {
    message: 'must be 32 bytes, base64-encoded (openssl rand -base64 32)',
  })
  SYNCLINE_SECRET_KEY?: string;

  @IsOptional()
  @IsIn(['true', 'false', '1', '0', 'on', 'off'], { message: 'must be true or false' })
  SYNCLINE_ALLOW_SANDBOX?: string;

  @IsOptional()
  @IsIn(['true', 'false', '1', '0', 'on', 'off'], { message: 'must be true or false' })
  SYNCLINE_ALERT_WEBHOOK_ALLOW_PRIVATE?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number from 1 to 1000000' })
  @Min(1, { message: 'must be a whole number from 1 to 1000000' })
  @Max(1_000_000, { message: 'must be a whole number from 1 to 1000000' })
  SYNCLINE_API_RATE_LIMIT?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number from 0 to 64' })
  @Min(0, { message: 'must be a whole number from 0 to 64' })
  @Max(64, { message: 'must be a whole number from 0 to 64' })
  SYNCLINE_WORKER_CONCURRENCY?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number from 50 to 5000' })
  @Min(50, { message: 'must be a whole number from 50 to 5000' })
  @Max(5000, { message: 'must be a whole number from 50 to 5000' })
  SYNCLINE_PAGE_SIZE?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number from 1 to 3600' })
  @Min(1, { message: 'must be a whole number from 1 to 3600' })
  @Max(3600, { message: 'must be a whole number from 1 to 3600' })
  SYNCLINE_TICK_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number from 3 to 3600' })
  @Min(3, { message: 'must be a whole number from 3 to 3600' })
  @Max(3600, { message: 'must be a whole number from 3 to 3600' })
  SYNCLINE_RUN_LEASE_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number from 1 to 86400' })
  @Min(1, { message: 'must be a whole number from 1 to 86400' })
  @Max(86400, { message: 'must be a whole number from 1 to 86400' })
  SYNCLINE_RUN_RETRY_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number from 0 to 100' })
  @Min(0, { message: 'must be a whole number from 0 to 100' })
  @Max(100, { message: 'must be a whole number from 0 to 100' })
  SYNCLINE_FIRST_RUN_MAX_UNMATCHED_PERCENT?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number from 1 to 100' })
  @Min(1, { message: 'must be a whole number from 1 to 100' })
  @Max(100, { message: 'must be a whole number from 1 to 100' })
  SYNCLINE_UNHEALTHY_AFTER?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number from 10 to 60000' })
  @Min(10, { message: 'must be a whole number from 10 to 60000' })
  @Max(60_000, { message: 'must be a whole number from 10 to 60000' })
  SYNCLINE_EXPRESSION_TIMEOUT_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number from 0 to 3600' })
  @Min(0, { message: 'must be a whole number from 0 to 3600' })
  @Max(3600, { message: 'must be a whole number from 0 to 3600' })
  SYNCLINE_WEBHOOK_DEBOUNCE_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number of days from 0 (keep everything) to 36500' })
  @Min(0, { message: 'must be a whole number of days from 0 (keep everything) to 36500' })
  @Max(36_500, { message: 'must be a whole number of days from 0 (keep everything) to 36500' })
  SYNCLINE_LOG_RETENTION_DAYS?: number;

  @IsOptional()
  @Matches(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, {
    message: 'must be the http(s) URL Syncline is reached at, e.g. https://syncline.example.com',
  })
  SYNCLINE_PUBLIC_URL?: string;

  @IsOptional()
  @IsIn(SANDBOX_MODES, { message: `must be one of ${SANDBOX_MODES.join(', ')}` })
  SYNCLINE_SANDBOX?: (typeof SANDBOX_MODES)[number];

  @IsOptional()
  @IsIn(SWITCHES, { message: 'must be on or off' })
  SYNCLINE_SANDBOX_ACTIVITY?: (typeof SWITCHES)[number];

  @IsOptional()
  @IsString()
  @MinLength(1)
  SYNCLINE_CONFIG_DIR?: string;

  @IsOptional()
  @IsIn(['true', 'false', '1', '0', 'on', 'off'], { message: 'must be true or false' })
  SYNCLINE_CONFIG_FORCE?: string;
}

const SECRET_VARIABLES = new Set(['SYNCLINE_ADMIN_KEY', 'SYNCLINE_SECRET_KEY']);

export interface AppConfig {
  /** NODE_ENV as given; unset is neither development nor production. */
  env: (typeof NODE_ENVS)[number] | undefined;
  host: string;
  port: number;
  /** A server's URL, or undefined for the embedded database. */
  databaseUrl: string | undefined;
  databasePoolSize: number;
  dataDir: string;
  logLevel: (typeof LOG_LEVELS)[number];
  /**
   * `json`: one JSON object per line (log pipelines); `pretty`: one readable line per entry, reads
   * that succeeded left out (a person at a terminal); `auto`: pretty when standard output is a
   * terminal or NODE_ENV is development, JSON otherwise.
   */
  logFormat: (typeof LOG_FORMATS)[number];
  /** An admin API key to register at start-up (SYNCLINE_ADMIN_KEY). */
  adminKey: string | undefined;
  /** SYNCLINE_SECRET_KEY (base64); unset outside production: a key file in the data folder. */
  secretKey: string | undefined;
  /** Whether connections flagged as sandbox may point at loopback emulators. */
  allowSandbox: boolean;
  /** Whether alert webhooks may use http and reach loopback and private addresses. */
  alertWebhookAllowPrivate: boolean;
  /** API requests per minute per API key (SYNCLINE_API_RATE_LIMIT). */
  apiRateLimit: number;
  /** Runs this replica's worker executes at once; 0: this replica only serves the API. */
  workerConcurrency: number;
  /** Records a run reads, writes and commits at a time (capped by each vendor's page size). */
  pageSize: number;
  /** How often the scheduler looks for due runs and expired leases (seconds). */
  tickSeconds: number;
  /** A run's lease; a worker that misses heartbeats this long loses the run to another. */
  runLeaseSeconds: number;
  /** First backoff after a failed run (seconds); doubles per consecutive failure, up to 1 h. */
  runRetrySeconds: number;
  /** A first run creating more than this share (0 to 1) of a side's sample unmatched waits. */
  firstRunMaxUnmatched: number;
  /** Consecutive failed runs after which a sync is unhealthy and no longer retried early. */
  unhealthyAfter: number;
  /** The longest one evaluation of a mapping expression (JSONata) may take. */
  expressionTimeoutMs: number;
  /** Webhook events within this window become one run (seconds). */
  webhookDebounceSeconds: number;
  /** Days the sync log keeps its lines; older ones are pruned every hour. 0: kept for ever. */
  logRetentionDays: number;
  /** The URL vendors call (webhook signatures cover it); unset: taken from the request. */
  publicUrl: string | undefined;
  /**
   * The sandbox (emulators, sandbox connections, example syncs): `auto` runs it on the embedded
   * database while there is no real (non-sandbox) connection.
   */
  sandbox: (typeof SANDBOX_MODES)[number];
  /** In the sandbox: random edits in the emulators every few seconds. */
  sandboxActivity: boolean;
  /** A folder of sync definitions applied at boot; unset: none (the repo's config/ in the sandbox). */
  configDir: string | undefined;
  /**
   * Apply the folder at boot even over syncs changed since the last apply (through the API, the
   * CLI or the console); off: such a sync is kept as it is, with a warning.
   */
  configForce: boolean;
}

/** Raised with one line per wrong variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function describe(errors: ValidationError[]): string[] {
  return errors.map((e) => {
    const reasons = Object.values(e.constraints ?? {});
    // Never echo a secret back, even a malformed one.
    const got = SECRET_VARIABLES.has(e.property) ? '' : ` (got ${JSON.stringify(e.value)})`;
    return `${e.property}: ${reasons[0] ?? 'is invalid'}${got}`;
  });
}

/** Validates `env` and returns the configuration with defaults filled in. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // Empty strings count as unset, as in most twelve-factor apps.
  const given = Object.fromEntries(
    VARIABLES.map((name) => [name, env[name] === '' ? undefined : env[name]]),
  );
  const vars = plainToInstance(EnvironmentVariables, given);
  const errors = validateSync(vars, { skipMissingProperties: false });
  if (errors.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  ${describe(errors).join('\n  ')}`);
  }
  return {
    env: vars.NODE_ENV,
    host: vars.HOST ?? '127.0.0.1',
    port: vars.PORT ?? 3000,
    databaseUrl: vars.DATABASE_URL,
    databasePoolSize: vars.DATABASE_POOL_SIZE ?? 10,
    dataDir: vars.SYNCLINE_DATA_DIR ?? './.syncline/data',
    logLevel: vars.LOG_LEVEL ?? 'info',
    logFormat: vars.LOG_FORMAT ?? 'auto',
    adminKey: vars.SYNCLINE_ADMIN_KEY,
    secretKey: vars.SYNCLINE_SECRET_KEY,
    allowSandbox: ['true', '1', 'on'].includes(vars.SYNCLINE_ALLOW_SANDBOX ?? 'false'),
    alertWebhookAllowPrivate: ['true', '1', 'on'].includes(
      vars.SYNCLINE_ALERT_WEBHOOK_ALLOW_PRIVATE ?? 'false',
    ),
    apiRateLimit: vars.SYNCLINE_API_RATE_LIMIT ?? 600,
    workerConcurrency: vars.SYNCLINE_WORKER_CONCURRENCY ?? 2,
    pageSize: vars.SYNCLINE_PAGE_SIZE ?? DEFAULT_PAGE_SIZE,
    tickSeconds: vars.SYNCLINE_TICK_SECONDS ?? 5,
    runLeaseSeconds: vars.SYNCLINE_RUN_LEASE_SECONDS ?? 30,
    runRetrySeconds: vars.SYNCLINE_RUN_RETRY_SECONDS ?? 60,
    firstRunMaxUnmatched: (vars.SYNCLINE_FIRST_RUN_MAX_UNMATCHED_PERCENT ?? 50) / 100,
    unhealthyAfter: vars.SYNCLINE_UNHEALTHY_AFTER ?? 3,
    expressionTimeoutMs: vars.SYNCLINE_EXPRESSION_TIMEOUT_MS ?? 1000,
    webhookDebounceSeconds: vars.SYNCLINE_WEBHOOK_DEBOUNCE_SECONDS ?? 10,
    logRetentionDays: vars.SYNCLINE_LOG_RETENTION_DAYS ?? 90,
    publicUrl: vars.SYNCLINE_PUBLIC_URL?.replace(/\/$/, ''),
    sandbox: vars.SYNCLINE_SANDBOX ?? 'auto',
    sandboxActivity: ['on', 'true', '1'].includes(vars.SYNCLINE_SANDBOX_ACTIVITY ?? 'on'),
    configDir: vars.SYNCLINE_CONFIG_DIR,
    configForce: ['true', '1', 'on'].includes(vars.SYNCLINE_CONFIG_FORCE ?? 'false'),
  };
}
