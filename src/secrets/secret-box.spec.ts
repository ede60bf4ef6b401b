import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox } from './secret-box';
import { decodeSecretKey, resolveSecretKey, SecretKeyError } from './secret-key';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips secrets and never holds them in clear', () => {
    const sealed = box.seal({ accessToken: 'pat-na1-very-secret' });
    expect(sealed.toString('latin1')).not.toContain('very-secret');
    expect(box.open(sealed)).toEqual({ accessToken: 'pat-na1-very-secret' });
  });

  it('uses a fresh nonce per value', () => {
    expect(box.seal({ a: 'x' }).equals(box.seal({ a: 'x' }))).toBe(false);
  });

  it('refuses a tampered value or another key', () => {
    const sealed = box.seal({ a: 'x' });
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    expect(() => box.open(tampered)).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow();
  });
});

describe('resolveSecretKey', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'syncline-key-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes SYNCLINE_SECRET_KEY when it is 32 bytes of base64', () => {
    const value = randomBytes(32).toString('base64');
    expect(resolveSecretKey({ configured: value, production: true, dataDir: dir }).origin).toBe(
      'environment',
    );
    expect(() =>
      resolveSecretKey({ configured: 'c2hvcnQ=', production: false, dataDir: dir }),
    ).toThrow(SecretKeyError);
    expect(decodeSecretKey('not base64 at all!')).toBeUndefined();
  });

  it('refuses to start in production without a key', () => {
    expect(() =>
      resolveSecretKey({ configured: undefined, production: true, dataDir: dir }),
    ).toThrow(/SYNCLINE_SECRET_KEY is required/);
  });

  it('generates a key file (0600) once outside production, and reads it again', () => {
    const first = resolveSecretKey({ configured: undefined, production: false, dataDir: dir });
    expect(first.origin).toBe('generated');
    const path = join(dir, 'secret.key');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const again = resolveSecretKey({ configured: undefined, production: false, dataDir: dir });
    expect(again.origin).toBe('data-folder');
    expect(again.key.equals(first.key)).toBe(true);
    expect(readFileSync(path, 'utf8').trim()).toBe(first.key.toString('base64'));
  });
});
