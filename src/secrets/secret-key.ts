/**
 * Where the credentials key comes from: SYNCLINE_SECRET_KEY, or, outside production, a key file
 * generated once in the data folder (0600).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SECRET_KEY_BYTES } from './secret-box';

export interface SecretKeySource {
  key: Buffer;
  /** Where it came from, for the start-up log (never the key itself). */
  origin: 'environment' | 'generated' | 'data-folder';
  path?: string;
}

export class SecretKeyError extends Error {
  override readonly name = 'SecretKeyError';
}

export function decodeSecretKey(value: string): Buffer | undefined {
  const key = Buffer.from(value, 'base64');
  return key.length === SECRET_KEY_BYTES &&
    key.toString('base64').replace(/=+$/, '') === value.replace(/=+$/, '')
    ? key
    : undefined;
}

export function resolveSecretKey(options: {
  configured: string | undefined;
  production: boolean;
  dataDir: string;
}): SecretKeySource {
  if (options.configured !== undefined) {
    const key = decodeSecretKey(options.configured);
    if (key === undefined)
      throw new SecretKeyError('SYNCLINE_SECRET_KEY must be 32 bytes, base64-encoded');
    return { key, origin: 'environment' };
  }
  if (options.production) {
    throw new SecretKeyError(
      'SYNCLINE_SECRET_KEY is required when NODE_ENV=production (32 random bytes, base64: `openssl rand -base64 32`)',
    );
  }
  const dir = resolve(options.dataDir);
  const path = join(dir, 'secret.key');
  if (existsSync(path)) {
    const key = decodeSecretKey(readFileSync(path, 'utf8').trim());
    if (key === undefined) throw new SecretKeyError(`${path} does not hold a valid key`);
    return { key, origin: 'data-folder', path };
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = randomBytes(SECRET_KEY_BYTES);
  writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return { key, origin: 'generated', path };
}
