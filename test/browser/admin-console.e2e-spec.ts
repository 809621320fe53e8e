import type { Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { ADMIN, shortLivedAdminToken } from '../utils/admin.js';
import {
  heading,
  localStorageDump,
  logIn,
  navigateTo,
  openConsole,
  replaceStoredToken,
  rowsOf,
  screenshot,
  SESSION_EXPIRED,
  statusMessage,
  storedToken,
  submitLogin,
  useBrowser,
  waitForText,
} from '../utils/browser.js';
import { createRoom, emitAck, guest, nextEvent, sendOk } from '../utils/clients.js';
import { useChatApp } from '../utils/harness.js';
import { stall } from '../utils/timing.js';

// The admin console in a real browser: login, the live dashboard, announcements, the end of a
// session and the page's Content-Security-Policy. Rooms, clients, bans and the moderation log:
// admin-moderation.e2e-spec.ts; hostile text: admin-xss.e2e-spec.ts.

/** Fast pushes and heartbeats so that the live figures move within a test. */
const t = useChatApp({ ADMIN_LIVE_INTERVAL_MS: '250', HEARTBEAT_INTERVAL_MS: '200' });
const browser = useBrowser();
const TIMEOUT = 30_000;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Every URL the page goes to or loads (documents, fetches, WebSockets), from now on. */
function recordUrls(page: Page): string[] {
  const urls: string[] = [];
  page.on('framenavigated', (frame) => urls.push(frame.url()));
  page.on('request', (request) => urls.push(request.url()));
  page.on('websocket', (socket) => urls.push(socket.url()));
  return urls;
}

describe('admin console: login and dashboard', () => {
  it(
    'refuses a wrong password, logs in, and shows live cluster figures',
    async () => {
      const page = await browser.newPage();
      await openConsole(page, t.url);
      await heading(page, 'Log in').waitFor();

      await submitLogin(page, ADMIN.username, 'not-the-password');
      await page.getByRole('alert').filter({ hasText: 'Wrong admin username or password' }).waitFor();
      expect(await storedToken(page)).toBeNull();

      await submitLogin(page, ADMIN.username, ADMIN.password);
      await heading(page, 'Dashboard').waitFor();
      const nav = page.getByRole('navigation', { name: 'Main' });
      for (const link of ['Dashboard', 'Rooms', 'Clients', 'Bans', 'Moderation log', 'Announcements']) {
        await nav.getByRole('link', { name: link, exact: true }).waitFor();
      }
      await waitForText(page.getByTestId('live-status'), 'live');
      await waitForText(page.getByTestId('counter-instances'), '1');
      await waitForText(page.getByTestId('counter-connections'), '0');

      // Chat users come online and talk, one step at a time so that the charts show the steps; the
      // figures are heartbeat-driven, so each step waits for the text.
      const ada = await guest(t.url, 'ada');
      const bob = await guest(t.url, 'bob');
      const cy = await guest(t.url, 'cy');
      const design = await createRoom(t.url, ada.accessToken, { name: 'Design review' });
      await createRoom(t.url, bob.accessToken, { name: 'Release planning' });
      const adaSocket = await t.open(ada);
      await waitForText(page.getByTestId('counter-connections'), '1');
      const bobSocket = await t.open(bob);
      await waitForText(page.getByTestId('counter-connections'), '2');
      await t.open(cy);
      await waitForText(page.getByTestId('counter-connections'), '3');
      await t.join(adaSocket, design.id);
      await t.join(bobSocket, design.id);
      const talk: Array<[Socket, string]> = [
        [adaSocket, 'Morning!'],
        [bobSocket, 'Slides are up'],
        [adaSocket, 'Looks good'],
        [bobSocket, 'Ship it?'],
        [adaSocket, 'Ship it'],
      ];
      for (const [index, [socket, content]] of talk.entries()) {
        await sendOk(socket, design.id, content);
        await waitForText(page.getByTestId('counter-messages-last-minute'), String(index + 1));
      }
      await waitForText(page.getByTestId('counter-users'), '3');
      await waitForText(page.getByTestId('counter-rooms'), '2');
      await waitForText(page.getByTestId('counter-messages-last-minute'), '5');
      await rowsOf(page, 'instance-row-').first().waitFor();
      expect(await rowsOf(page, 'instance-row-').count()).toBe(1);
      // Both charts draw a line once a few samples came in, the latest one with the 3 connections.
      await page.getByRole('img', { name: /^Connections: 3 now, (1[5-9]|[2-9]\d) samples/ }).waitFor();
      await page.getByRole('img', { name: /^Messages per minute: 5 now/ }).waitFor();
      expect(await page.locator('svg polyline').count()).toBe(2);

      await screenshot(page, 'dashboard');

      // A client leaves: the dashboard notices without a reload.
      adaSocket.close();
      await waitForText(page.getByTestId('counter-connections'), '2');

      // Log out ends the session: the login page again, and no token kept anywhere.
      await page.getByRole('button', { name: 'Log out' }).click();
      await heading(page, 'Log in').waitFor();
      expect(await storedToken(page)).toBeNull();
    },
    TIMEOUT,
  );
});

describe('admin console: an overloaded instance', () => {
  const overloaded = useChatApp({
    OVERLOAD_LAG_MS: '200',
    ADMIN_LIVE_INTERVAL_MS: '250',
    HEARTBEAT_INTERVAL_MS: '200',
  });

  it(
    'shows how many messages the instance refused because it was overloaded',
    async () => {
      const page = await browser.newPage();
      await logIn(page, overloaded.url);
      await page.getByRole('columnheader', { name: 'Overload refusals last minute' }).waitFor();
      await waitForText(page.getByTestId('instance-overload-refusals'), '0');

      const ada = await guest(overloaded.url, 'ada');
      const room = await createRoom(overloaded.url, ada.accessToken, { name: 'Busy' });
      const socket = await overloaded.open(ada);
      await overloaded.join(socket, room.id);
      // The server's event loop stalls (as in a long turn under load) while the message is on its way.
      const sent = emitAck(socket, 'message:send', { roomId: room.id, content: 'while behind' });
      stall(600);
      expect((await sent).error?.code).toBe('RATE_LIMITED');
      await waitForText(page.getByTestId('instance-overload-refusals'), '1');
    },
    TIMEOUT,
  );
});

describe('admin console: announcements', () => {
  it(
    'sends an announcement to everyone, then to one room',
    async () => {
      const cleo = await guest(t.url, 'cleo');
      const room = await createRoom(t.url, cleo.accessToken, { name: 'Town hall' });
      const inRoom = await t.open(cleo);
      await t.join(inRoom, room.id);
      const elsewhere = await t.open(await guest(t.url, 'dan'));
      const page = await browser.newPage();
      await logIn(page, t.url);
      await navigateTo(page, 'Announcements');

      const content = 'Maintenance at 22:00 UTC';
      const received = [nextEvent(inRoom, 'system:announcement'), nextEvent(elsewhere, 'system:announcement')];
      await page.getByLabel('Announcement', { exact: true }).fill(content);
      await page.getByRole('button', { name: 'Send announcement' }).click();
      await statusMessage(page, 'Announcement sent to everyone.').waitFor();
      for (const announcement of await Promise.all(received)) {
        expect(announcement).toEqual({ content, sentAt: expect.stringMatching(ISO) });
      }
      expect(await page.getByLabel('Announcement', { exact: true }).inputValue()).toBe('');
      await screenshot(page, 'announcements');

      // To one room: its member gets it, the other client does not (the next announcement it gets
      // is the one to everyone that follows).
      const toRoom = nextEvent(inRoom, 'system:announcement');
      const nextElsewhere = nextEvent(elsewhere, 'system:announcement');
      await page.getByLabel('Announcement', { exact: true }).fill('This room closes at noon');
      await page.getByLabel('Room id (optional: everyone when empty)').fill(room.id);
      await page.getByRole('button', { name: 'Send announcement' }).click();
      await statusMessage(page, `Announcement sent to room ${room.id}.`).waitFor();
      expect(await toRoom).toEqual({
        content: 'This room closes at noon',
        roomId: room.id,
        sentAt: expect.any(String),
      });
      await page.getByLabel('Announcement', { exact: true }).fill('Thanks!');
      await page.getByLabel('Room id (optional: everyone when empty)').fill('');
      await page.getByRole('button', { name: 'Send announcement' }).click();
      await statusMessage(page, 'Announcement sent to everyone.').waitFor();
      expect(await nextElsewhere).toMatchObject({ content: 'Thanks!' });
    },
    TIMEOUT,
  );
});

describe('admin console: the end of a session', () => {
  it(
    'sends the admin back to the login page when the API refuses the stored token (HTTP 401)',
    async () => {
      const page = await browser.newPage();
      const urls = recordUrls(page);
      await logIn(page, t.url);
      const token = await storedToken(page);
      expect(token).toEqual(expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/));
      expect(await localStorageDump(page)).not.toContain(token);

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Rooms' }).click();
      await heading(page, 'Rooms').waitFor();
      await replaceStoredToken(page, 'garbage.token.value');
      await page.reload();

      await heading(page, 'Log in').waitFor();
      await statusMessage(page, SESSION_EXPIRED).waitFor();
      expect(await storedToken(page)).toBeNull();

      // Logging in again works, and the token never showed in a URL or in localStorage.
      await submitLogin(page, ADMIN.username, ADMIN.password);
      await heading(page, 'Rooms').waitFor();
      const second = await storedToken(page);
      expect(second).not.toBeNull();
      expect(await localStorageDump(page)).toBe('{}');
      expect(urls.length).toBeGreaterThan(0);
      for (const secret of [token ?? '', second ?? '', 'garbage.token.value']) {
        expect(page.url()).not.toContain(secret);
        expect(urls.filter((url) => url.includes(secret))).toEqual([]);
      }
    },
    TIMEOUT,
  );

  it(
    'sends the admin back to the login page when the live socket refuses the stored token',
    async () => {
      const page = await browser.newPage();
      const urls = recordUrls(page);
      await logIn(page, t.url);
      await waitForText(page.getByTestId('live-status'), 'live');

      await replaceStoredToken(page, 'garbage.token.value');
      await page.reload();

      await heading(page, 'Log in').waitFor();
      await statusMessage(page, SESSION_EXPIRED).waitFor();
      expect(await storedToken(page)).toBeNull();
      expect(await localStorageDump(page)).toBe('{}');
      expect(urls.filter((url) => url.includes('garbage.token.value'))).toEqual([]);
    },
    TIMEOUT,
  );
});

describe('admin console: a token that runs out', () => {
  it(
    'leaves the live dashboard for the login page with the message when the token expires',
    async () => {
      const page = await browser.newPage();
      await openConsole(page, t.url);
      await replaceStoredToken(page, shortLivedAdminToken(t.app, 2));
      await page.reload();
      await waitForText(page.getByTestId('live-status'), 'live');

      // Nothing is clicked: the server ends the live socket at expiry and the console notices.
      await statusMessage(page, SESSION_EXPIRED).waitFor({ timeout: 10_000 });
      await heading(page, 'Log in').waitFor();
      expect(await storedToken(page)).toBeNull();
    },
    TIMEOUT,
  );
});

describe('admin console: page security', () => {
  it(
    'is served with a Content-Security-Policy that allows only its own scripts',
    async () => {
      const page = await browser.newPage();
      // /admin redirects to /admin/, the page itself.
      const response = await page.goto(`${t.url}/admin`);
      expect(response?.url()).toBe(`${t.url}/admin/`);
      expect(response?.status()).toBe(200);
      const csp = response?.headers()['content-security-policy'];
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      // The console runs under that policy (a violation would fail the test through useBrowser).
      await heading(page, 'Log in').waitFor();
      await submitLogin(page, ADMIN.username, ADMIN.password);
      await waitForText(page.getByTestId('live-status'), 'live');
    },
    TIMEOUT,
  );
});
