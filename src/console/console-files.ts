/**
 * The built console (dist/console, written by `npm run build`): which file a path under /console
 * names, never one outside that folder.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve, sep } from 'node:path';

/** dist/console of this checkout or image: beside the package.json above this file. */
export function consoleDir(): string | undefined {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist', 'console');
  }
  return undefined;
}

export type ConsoleFile =
  /** A built file (a hashed asset, the favicon). */
  | { kind: 'file'; path: string; immutable: boolean }
  /** The page itself: the app's routes (deep links) all answer it, the SPA reads the URL. */
  | { kind: 'page'; path: string }
  | { kind: 'missing' }
  | { kind: 'not_built' };

const missing: ConsoleFile = { kind: 'missing' };

export class ConsoleFiles {
  private readonly root: string | undefined;

  constructor(root: string | undefined) {
    this.root = root === undefined ? undefined : resolve(root);
  }

  /** What to answer for `relative`, the URL path after /console/ (still percent-encoded). */
  lookup(relative: string): ConsoleFile {
    if (this.root === undefined) return { kind: 'not_built' };
    const page = join(this.root, 'index.html');
    if (!isFile(page)) return { kind: 'not_built' };
    let decoded: string;
    try {
      decoded = decodeURIComponent(relative);
    } catch {
      return missing;
    }
    if (decoded.includes('\0')) return missing;
    if (decoded === '') return { kind: 'page', path: page };
    const path = resolve(this.root, decoded);
    if (path !== this.root && !path.startsWith(this.root + sep)) return missing;
    if (isFile(path)) {
      return { kind: 'file', path, immutable: decoded.startsWith('assets/') };
    }
    // A missing file (it has an extension) is a 404; anything else is a route of the app.
    return extname(decoded) === '' ? { kind: 'page', path: page } : missing;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
