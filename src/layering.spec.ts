/**
 * The layering rules of .dependency-cruiser.cjs (run by `npm run lint`) fail on what they forbid:
 * a file cycle at run time, a folder cycle, persistence importing a feature. Each case writes a
 * few files into a scratch folder of the repository and runs the checker on it.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'node_modules', '.bin', 'depcruise');

async function check(files: Record<string, string>): Promise<{ failed: boolean; output: string }> {
  const scratch = join(ROOT, 'src', `layering-check-${String(process.pid)}`);
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(scratch, name, '..'), { recursive: true });
      writeFileSync(join(scratch, name), text);
    }
    const relative = `src/layering-check-${String(process.pid)}`;
    try {
      const { stdout } = await run(
        BIN,
        [relative, '--config', '.dependency-cruiser.cjs', '--output-type', 'err'],
        { cwd: ROOT },
      );
      return { failed: false, output: stdout };
    } catch (error) {
      const { stdout } = error as { stdout: string };
      return { failed: true, output: stdout.replaceAll(relative, '<scratch>') };
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

describe('layering rules', () => {
  it('pass on files that import one way only', async () => {
    const result = await check({
      'a.ts': "import { b } from './b';\nexport const a = b + 1;\n",
      'b.ts': 'export const b = 1;\n',
    });
    expect(result.failed).toBe(false);
    expect(result.output).toContain('no dependency violations');
  });

  it('fail on two files that import each other', async () => {
    const result = await check({
      'a.ts': "import { b } from './b';\nexport const a = (): number => b();\n",
      'b.ts': "import { a } from './a';\nexport const b = (): number => a();\n",
    });
    expect(result.failed).toBe(true);
    expect(result.output).toContain('no-circular');
  });

  it('fail on two folders that import each other', async () => {
    const result = await check({
      'one/a.ts': "import { b } from '../two/b';\nexport const a = b;\n",
      'one/c.ts': 'export const c = 3;\n',
      'two/b.ts': "import { c } from '../one/c';\nexport const b = c;\n",
    });
    expect(result.failed).toBe(true);
    expect(result.output).toContain('no-folder-cycle');
  }, 30_000);
});
