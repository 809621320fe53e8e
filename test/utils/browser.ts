import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page, type Response } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { ADMIN } from './admin.js';
import { connect } from './clients.js';

/** Where the real-browser tests leave their screenshots (gitignored). */
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../test-artifacts/screenshots/', import.meta.url));

/** The session key the console keeps its admin token under (sessionStorage only). */
export const TOKEN_KEY = 'parley.adminToken';

/** What the login page says after the server refused the stored token. */
export const SESSION_EXPIRED = 'Your session has expired. Please log in again.';

/** How long a browser step may wait for what it expects before the test fails (Jest allows 30 s). */
const STEP_TIMEOUT_MS = 10_000;

export interface BrowserHarness {
  /**
   * A page in a fresh context (1280×800). Uncaught page errors and console errors that mention the
   * Content Security Policy are collected; the test fails on any of them after it ends.
   */
  newPage(): Promise<Page>;
}

/**
 * Declares the Jest hooks of the enclosing describe (or file): one headless Chromium for all its
 * tests, each page in its own context, closed (and checked for page errors) after each test.
 */
export function useBrowser(): BrowserHarness {
  let browser: Browser | undefined;
  const opened: Array<{ context: BrowserContext; problems: string[] }> = [];

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  afterEach(async () => {
    const problems: string[] = [];
    for (const { context, problems: seen } of opened.splice(0)) {
      problems.push(...seen);
      await context.close();
    }
    expect(problems).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    browser = undefined;
  });

  return {
    newPage: async () => {
      if (browser === undefined) {
        throw new Error('useBrowser: the browser is not running (use it inside a test or hook)');
      }
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      context.setDefaultTimeout(STEP_TIMEOUT_MS);
      const problems: string[] = [];
      opened.push({ context, problems });
      const page = await context.newPage();
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error' && /content security policy/i.test(message.text())) {
          problems.push(`CSP: ${message.text()}`);
        }
      });
      return page;
    },
  };
}

/** Opens the console at /admin/ and returns the response to the page request. */
export async function openConsole(page: Page, url: string, hash = ''): Promise<Response> {
  const response = await page.goto(`${url}/admin/${hash}`);
  if (response === null) {
    throw new Error('no response for /admin/');
  }
  return response;
}

/** Fills the login form and submits it (the caller checks the outcome). */
export async function submitLogin(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** Opens the console and logs in as the test admin; resolves once the dashboard shows. */
export async function logIn(page: Page, url: string): Promise<void> {
  await openConsole(page, url);
  await submitLogin(page, ADMIN.username, ADMIN.password);
  await heading(page, 'Dashboard').waitFor();
}

/** The page's main heading (h1) with exactly this text. */
export function heading(page: Page, name: string): Locator {
  return page.getByRole('heading', { level: 1, name, exact: true });
}

/** Follows a header navigation link and waits for the page's heading. */
export async function navigateTo(page: Page, link: string, title = link): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }).click();
  await heading(page, title).waitFor();
}

/** A regular expression matching exactly `text` (surrounding white space allowed). */
export function exactly(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

/** Waits until the element's whole text is `text`. */
export async function waitForText(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: exactly(text) }).waitFor();
}

/** The success message of the current page (role="status"). */
export function statusMessage(page: Page, text: string): Locator {
  return page.getByRole('status').filter({ hasText: exactly(text) });
}

/**
 * For lists that do not update by themselves: runs `refresh` (e.g. clicks "Search") until `target`
 * is visible, each time waiting a little for the answer; fails after `timeoutMs`.
 */
export async function refreshUntilVisible(
  target: Locator,
  refresh: () => Promise<void>,
  timeoutMs = STEP_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await refresh();
    try {
      await target.waitFor({ state: 'visible', timeout: 500 });
      return;
    } catch (error) {
      if (Date.now() >= deadline) {
        throw error;
      }
    }
  }
}

/** The rows whose data-testid starts with `prefix` (e.g. "ban-row-"). */
export function rowsOf(page: Page, prefix: string): Locator {
  return page.locator(`[data-testid^="${prefix}"]`);
}

/** The id part of a row's data-testid (`ban-row-<id>` → `<id>`). */
export async function rowId(row: Locator, prefix: string): Promise<string> {
  const testId = await row.getAttribute('data-testid');
  if (testId === null || !testId.startsWith(prefix)) {
    throw new Error(`not a ${prefix} row: ${testId}`);
  }
  return testId.slice(prefix.length);
}

/** The trimmed text of each cell of a table row. */
export async function cellTexts(row: Locator): Promise<string[]> {
  return (await row.locator('td').allTextContents()).map((text) => text.trim());
}

/** Saves a full-page screenshot as test-artifacts/screenshots/<name>.png; returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = `${SCREENSHOT_DIR}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The browser globals the helpers use in the page (the tests compile without the DOM library). */
interface InPage {
  sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
  localStorage: Record<string, string>;
  document: { querySelectorAll(selector: string): { length: number } };
  __xss?: unknown;
}

/** The admin token the console keeps in sessionStorage, or null. */
export function storedToken(page: Page): Promise<string | null> {
  return page.evaluate((key) => (globalThis as unknown as InPage).sessionStorage.getItem(key), TOKEN_KEY);
}

/** Replaces the stored admin token (as a stale or forged session would). */
export async function replaceStoredToken(page: Page, token: string): Promise<void> {
  await page.evaluate(([key, value]) => (globalThis as unknown as InPage).sessionStorage.setItem(key, value), [
    TOKEN_KEY,
    token,
  ] as const);
}

/** The whole of localStorage, as one JSON string. */
export function localStorageDump(page: Page): Promise<string> {
  return page.evaluate(() => JSON.stringify({ ...(globalThis as unknown as InPage).localStorage }));
}

/**
 * What injected markup would leave behind: the flag set by a payload's handler, `img src="x"`,
 * and `<b>` or `<script>` elements inside the app (the console itself renders neither).
 */
export async function injectionTraces(page: Page): Promise<Record<string, unknown>> {
  return page.evaluate(() => {
    const { document, __xss } = globalThis as unknown as InPage;
    return {
      xss: typeof __xss,
      imgX: document.querySelectorAll('img[src="x"]').length,
      bold: document.querySelectorAll('#root b').length,
      script: document.querySelectorAll('#root script').length,
    };
  });
}

/** No trace of injected markup (see injectionTraces). */
export const NO_INJECTION = { xss: 'undefined', imgX: 0, bold: 0, script: 0 };

/** Resolves with the socket's events in the order they come, once `last` arrived. */
export function eventsUntil(socket: Socket, names: string[], last: string, timeoutMs = 5000): Promise<unknown[][]> {
  const seen: unknown[][] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.offAny(listener);
      socket.off('disconnect', onDisconnect);
      reject(new Error(`no ${last} within ${timeoutMs} ms (saw ${JSON.stringify(seen)})`));
    }, timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      socket.offAny(listener);
      socket.off('disconnect', onDisconnect);
      resolve(seen);
    };
    const listener = (event: string, ...args: unknown[]): void => {
      if (names.includes(event)) {
        seen.push([event, ...args]);
        if (event === last) {
          done();
        }
      }
    };
    // `disconnect` is a reserved event: onAny does not see it.
    const onDisconnect = (reason: string): void => {
      if (names.includes('disconnect')) {
        seen.push(['disconnect', reason]);
        if (last === 'disconnect') {
          done();
        }
      }
    };
    socket.onAny(listener);
    socket.on('disconnect', onDisconnect);
  });
}

/** Opens /chat expecting the handshake to be refused; resolves with the connect_error. */
export async function refusedHandshake(url: string, token: string): Promise<Error & { data?: unknown }> {
  try {
    const socket = await connect(url, token);
    socket.close();
  } catch (error) {
    return error as Error & { data?: unknown };
  }
  throw new Error('the /chat handshake was accepted');
}
