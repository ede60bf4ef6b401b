import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleFiles } from './console-files';

describe('ConsoleFiles', () => {
  let root: string;
  let files: ConsoleFiles;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'console-files-'));
    mkdirSync(join(root, 'console', 'assets'), { recursive: true });
    writeFileSync(join(root, 'console', 'index.html'), '<html></html>');
    writeFileSync(join(root, 'console', 'favicon.svg'), '<svg/>');
    writeFileSync(join(root, 'console', 'assets', 'index-abc123.js'), '');
    writeFileSync(join(root, 'secret.txt'), 'outside');
    files = new ConsoleFiles(join(root, 'console'));
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  const page = (): { kind: string; path: string } => ({
    kind: 'page',
    path: join(root, 'console', 'index.html'),
  });

  it('answers the page for the root and for any route of the app', () => {
    for (const path of ['', 'syncs/123', 'runs/abc/', 'syncs/a%20b']) {
      expect({ path, found: files.lookup(path) }).toEqual({ path, found: page() });
    }
  });

  it('answers built files, hashed assets as immutable', () => {
    expect(files.lookup('assets/index-abc123.js')).toEqual({
      kind: 'file',
      path: join(root, 'console', 'assets', 'index-abc123.js'),
      immutable: true,
    });
    expect(files.lookup('favicon.svg')).toMatchObject({ kind: 'file', immutable: false });
  });

  it('never answers a file outside the folder, nor a missing file with an extension', () => {
    for (const path of [
      '../secret.txt',
      '..%2fsecret.txt',
      '%2e%2e/secret.txt',
      encodeURIComponent(join(root, 'secret.txt')),
      'assets/missing.js',
      'bad%zzencoding',
      'nul%00.js',
    ]) {
      expect({ path, found: files.lookup(path) }).toEqual({ path, found: { kind: 'missing' } });
    }
  });

  it('says when the console is not built', () => {
    expect(new ConsoleFiles(join(root, 'nowhere')).lookup('')).toEqual({ kind: 'not_built' });
    expect(new ConsoleFiles(undefined).lookup('syncs/1')).toEqual({ kind: 'not_built' });
  });
});
