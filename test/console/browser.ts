/**
 * A real browser for the console's tests: playwright-core driving Chromium, headless, in a fresh
 * profile folder, with no network of its own beyond the app under test. Which Chromium:
 * `SYNCLINE_CHROMIUM` (a path, or `npm` for the packaged one); else the system's
 * (`/usr/bin/chromium`, Debian's) when there is one; else the Chromium that npm delivers with
 * `@sparticuz/chromium` (unpacked to the temporary folder on first use, a couple of seconds), so
 * `npm install && npm test` needs no browser installed by hand.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS_DIR = join(__dirname, '..', 'artifacts');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The Chromium to drive, as the header says. */
export async function chromiumPath(): Promise<string> {
  const configured = process.env.SYNCLINE_CHROMIUM ?? '';
  if (configured !== '' && configured !== 'npm') {
    if (!existsSync(configured)) throw new Error(`SYNCLINE_CHROMIUM: no Chromium at ${configured}`);
    return configured;
  }
  if (configured === '' && existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  const packaged = (await import('@sparticuz/chromium')).default;
  return packaged.executablePath();
}

export interface ConsoleBrowser {
  /** A new tab: its session storage starts empty, so it starts signed out. */
  newPage(): Promise<Page>;
  /** Saves a full-page screenshot as test/artifacts/<name>.png. */
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<ConsoleBrowser> {
  const executablePath = await chromiumPath();
  const profile = mkdtempSync(join(tmpdir(), 'syncline-chromium-'));
  const launch = (): Promise<BrowserContext> =>
    chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
      locale: 'en-US',
      timezoneId: 'UTC',
    });
  let context: BrowserContext;
  try {
    context = await launch().catch(async (error: unknown) => {
      // A Chromium that died while starting (seen once as a SIGSEGV on a loaded machine, beside
      // another test run's browser) gets one more try; any other failure is the test's.
      if (!(error instanceof Error) || !/SIGSEGV|has been closed/.test(error.message)) throw error;
      console.warn(`Chromium died while starting; trying once more: ${error.message}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return launch();
    });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  context.setDefaultTimeout(20_000);
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return {
    newPage: () => context.newPage(),
    async screenshot(page, name) {
      const path = join(ARTIFACTS_DIR, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs `page` in with `key` at the app's root, and waits for the overview. */
export async function signIn(appUrl: string, page: Page, key: string): Promise<void> {
  await page.goto(`${appUrl}/`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
}
