/** The package version, read once (package.json sits two levels above src/ and dist/src/). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function readVersion(): string {
  for (const candidate of [
    join(__dirname, '..', 'package.json'),
    join(__dirname, '..', '..', 'package.json'),
  ]) {
    try {
      const parsed = JSON.parse(readFileSync(candidate, 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (parsed.name === 'syncline' && typeof parsed.version === 'string') return parsed.version;
    } catch {
      // Not at this level; try the next.
    }
  }
  return '0.0.0';
}

export const SYNCLINE_VERSION = readVersion();
