import type { Page } from 'playwright-core';
import request from 'supertest';
import {
  cellTexts,
  heading,
  injectionTraces,
  logIn,
  navigateTo,
  NO_INJECTION,
  refreshUntilVisible,
  rowsOf,
  screenshot,
  statusMessage,
  useBrowser,
} from '../utils/browser.js';
import { createRoom, guest, nextEvent, sendOk } from '../utils/clients.js';
import { useChatApp } from '../utils/harness.js';

// Hostile text from chat users and in moderation reasons is shown as text by the console: the
// payloads are visible literally, none of their markup reaches the DOM and no handler runs (the
// CSP would also refuse inline handlers: useBrowser fails a test on any CSP violation).

const t = useChatApp({ ADMIN_LIVE_INTERVAL_MS: '250', HEARTBEAT_INTERVAL_MS: '200' });
const browser = useBrowser();
const TIMEOUT = 30_000;

const HOSTILE_NAME = `<img src=x onerror="window.__xss='name'">`;
const ROOM_NAME = `<script>window.__xss='room'</script>`;
const TOPIC = `<img src=x onerror="window.__xss='topic'">`;
const MESSAGE = `<img src=x onerror="window.__xss='msg'"><b>bold</b>`;
const KICK_REASON = `<img src=x onerror="window.__xss='kick'"><b>kick</b>`;
const BAN_REASON = `<img src=x onerror="window.__xss='ban'"><b>ban</b>`;
const ANNOUNCEMENT = `<img src=x onerror="window.__xss='announce'"><b>news</b>`;

async function loggedInPage(): Promise<Page> {
  const page = await browser.newPage();
  await logIn(page, t.url);
  return page;
}

async function expectNoInjection(page: Page): Promise<void> {
  expect(await injectionTraces(page)).toEqual(NO_INJECTION);
}

describe('admin console: hostile text is shown as text', () => {
  it('the API refuses a username with markup characters', async () => {
    const res = await request(t.url).post('/api/v1/auth/guest').send({ username: HOSTILE_NAME });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
  });

  it(
    'a room name, topic and message with markup: Rooms page and room detail',
    async () => {
      const mallory = await guest(t.url, 'mallory');
      const room = await createRoom(t.url, mallory.accessToken, { name: ROOM_NAME, topic: TOPIC });
      const socket = await t.open(mallory);
      await t.join(socket, room.id);
      const message = await sendOk(socket, room.id, MESSAGE);

      const page = await loggedInPage();
      await navigateTo(page, 'Rooms');
      const row = page.getByTestId(`room-row-${room.id}`);
      await refreshUntilVisible(row, () => page.getByRole('button', { name: 'Search', exact: true }).click());
      expect((await cellTexts(row))[0]).toBe(ROOM_NAME);
      await page.getByText(ROOM_NAME, { exact: true }).waitFor();
      await expectNoInjection(page);

      await row.getByRole('button', { name: 'Open' }).click();
      await heading(page, `Room: ${ROOM_NAME}`).waitFor();
      await page.getByText(TOPIC, { exact: true }).waitFor();
      const content = page.getByTestId(`message-row-${message.id}`).locator('td.message-content');
      expect(await content.textContent()).toBe(MESSAGE);
      expect(await content.innerHTML()).toContain('&lt;img src=x');
      expect(await content.locator('*').count()).toBe(0);
      expect(await page.title()).toBe('Room · Parley admin');
      await expectNoInjection(page);
      await screenshot(page, 'xss');
    },
    TIMEOUT,
  );

  it(
    'a kick reason, a ban reason and an announcement with markup: Clients, Bans, moderation log',
    async () => {
      const trudy = await guest(t.url, 'trudy');
      const socket = await t.open(trudy);
      const page = await loggedInPage();

      await navigateTo(page, 'Clients');
      const socketId = socket.id ?? '';
      await page.getByLabel('Search clients (username, user id or IP)').fill('trudy');
      const clientRow = page.getByTestId(`client-row-${socketId}`);
      await refreshUntilVisible(clientRow, () => page.getByRole('button', { name: 'Search', exact: true }).click());
      await page.getByLabel('Kick reason (optional)').fill(KICK_REASON);
      const kicked = nextEvent(socket, 'moderation:kicked');
      await clientRow.getByRole('button', { name: 'Kick' }).click();
      expect(await kicked).toEqual({ reason: KICK_REASON });
      await expectNoInjection(page);

      // The Bans page's own form: a ban by user id with a hostile reason, then lifted.
      await navigateTo(page, 'Bans');
      const form = page.getByRole('form', { name: 'Create a ban' });
      await form.getByLabel('User id').fill(trudy.user.id);
      await form.getByLabel('Reason').fill(BAN_REASON);
      await form.getByLabel('Permanent').check();
      await form.getByRole('button', { name: 'Ban', exact: true }).click();
      await statusMessage(page, `Ban created for ${trudy.user.id}.`).waitFor();
      const banRow = rowsOf(page, 'ban-row-').filter({ hasText: trudy.user.id });
      await banRow.waitFor();
      const cells = await cellTexts(banRow);
      expect([cells[2], cells[4]]).toEqual([BAN_REASON, 'Permanent']);
      await expectNoInjection(page);
      await banRow.getByRole('button', { name: 'Lift' }).click();
      await banRow.waitFor({ state: 'detached' });

      await navigateTo(page, 'Announcements');
      const everyone = await t.open(await guest(t.url, 'walter'));
      const announced = nextEvent(everyone, 'system:announcement');
      await page.getByLabel('Announcement', { exact: true }).fill(ANNOUNCEMENT);
      await page.getByRole('button', { name: 'Send announcement' }).click();
      expect(await announced).toMatchObject({ content: ANNOUNCEMENT });

      await navigateTo(page, 'Moderation log');
      await rowsOf(page, 'log-row-').nth(3).waitFor();
      const reasons = await rowsOf(page, 'log-row-').locator('td:nth-child(5)').allTextContents();
      expect(reasons).toEqual([ANNOUNCEMENT, BAN_REASON, BAN_REASON, KICK_REASON]);
      for (const reason of [ANNOUNCEMENT, BAN_REASON, KICK_REASON]) {
        await page.getByText(reason, { exact: true }).first().waitFor();
      }
      await expectNoInjection(page);
      await screenshot(page, 'xss-moderation-log');
    },
    TIMEOUT,
  );
});
