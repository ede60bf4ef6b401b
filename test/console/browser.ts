/**
 * A real browser for the console's tests: playwright-core driving Debian's Chromium (installed by
 * `apt-get install chromium`, as .ci/run does), headless, in a fresh profile folder, with no
 * network of its own beyond the app under test.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.SYNCLINE_CHROMIUM ?? '/usr/bin/chromium';
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

export interface ConsoleBrowser {
  /** A new tab: its session storage starts empty, so it starts signed out. */
  newPage(): Promise<Page>;
  /** Saves a full-page screenshot as test/artifacts/<name>.png. */
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<ConsoleBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `No Chromium at ${CHROMIUM_PATH}: install it with "apt-get install -y chromium" (.ci/run does), or set SYNCLINE_CHROMIUM`,
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'syncline-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
      locale: 'en-US',
      timezoneId: 'UTC',
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
