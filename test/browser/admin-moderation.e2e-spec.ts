import type { Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import {
  cellTexts,
  eventsUntil,
  heading,
  logIn,
  navigateTo,
  refreshUntilVisible,
  refusedHandshake,
  rowId,
  rowsOf,
  screenshot,
  statusMessage,
  useBrowser,
  waitForText,
} from '../utils/browser.js';
import { createRoom, guest, nextEvent, sendOk, type AuthBody } from '../utils/clients.js';
import { useChatApp } from '../utils/harness.js';

// An admin moderates through the console in a real browser while chat users see the effects on
// their sockets. The tests run in order: the moderation log test checks the actions of the
// tests before it. Announcements: admin-console.e2e-spec.ts.

const t = useChatApp({ ADMIN_LIVE_INTERVAL_MS: '250', HEARTBEAT_INTERVAL_MS: '200' });
const browser = useBrowser();
const TIMEOUT = 30_000;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** What the earlier tests did, for the moderation log test. */
const done = {
  deletedMessageId: '',
  kickedSocketId: '',
  kickReason: 'Please keep it civil',
  bannedUserId: '',
  banReason: 'Spamming the lobby',
  banId: '',
  closedRoomId: '',
};

async function loggedInPage(): Promise<Page> {
  const page = await browser.newPage();
  await logIn(page, t.url);
  return page;
}

/** On the Rooms page: searches for `name` until the room's row shows. */
async function findRoom(page: Page, roomId: string, name: string): Promise<void> {
  await page.getByLabel('Search rooms by name').fill(name);
  await refreshUntilVisible(page.getByTestId(`room-row-${roomId}`), () =>
    page.getByRole('button', { name: 'Search', exact: true }).click(),
  );
}

/** On the Clients page: searches for `username` until the socket's row shows. */
async function findClient(page: Page, socket: Socket, username: string): Promise<void> {
  await page.getByLabel('Search clients (username, user id or IP)').fill(username);
  await refreshUntilVisible(page.getByTestId(`client-row-${socket.id}`), () =>
    page.getByRole('button', { name: 'Search', exact: true }).click(),
  );
}

/** A user with a room they created and joined, and a socket in it. */
async function userInRoom(username: string, roomName: string) {
  const user = await guest(t.url, username);
  const room = await createRoom(t.url, user.accessToken, { name: roomName });
  const socket = await t.open(user);
  await t.join(socket, room.id);
  return { user, room, socket };
}

describe('admin console: rooms', () => {
  it(
    'shows a room created while the page is open, its members and messages, and deletes a message',
    async () => {
      const page = await loggedInPage();
      await navigateTo(page, 'Rooms');
      await page.getByText('No room.', { exact: true }).waitFor();

      const ada = await guest(t.url, 'ada');
      const room = await createRoom(t.url, ada.accessToken, { name: 'Design review', topic: 'Weekly sync' });
      await findRoom(page, room.id, 'Design');
      const row = page.getByTestId(`room-row-${room.id}`);
      expect((await cellTexts(row)).slice(0, 5)).toEqual(['Design review', 'public', '0', '0', expect.any(String)]);

      const socket = await t.open(ada);
      await t.join(socket, room.id);
      const kept = await sendOk(socket, room.id, 'Morning, everyone!');
      const doomed = await sendOk(socket, room.id, 'My password is hunter2');
      // Members and Messages are read again on Search.
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await waitForText(row.locator('td').nth(3), '2');
      expect((await cellTexts(row)).slice(0, 4)).toEqual(['Design review', 'public', '1', '2']);
      await screenshot(page, 'rooms');

      await row.getByRole('button', { name: 'Open' }).click();
      await heading(page, 'Room: Design review').waitFor();
      const member = page.getByTestId(`member-${ada.user.id}`);
      await member.getByText('ada', { exact: true }).waitFor();
      const doomedRow = page.getByTestId(`message-row-${doomed.id}`);
      await doomedRow.getByText('My password is hunter2', { exact: true }).waitFor();
      expect(await cellTexts(page.getByTestId(`message-row-${kept.id}`))).toEqual([
        '1',
        expect.any(String),
        'ada',
        'Morning, everyone!',
        'Delete',
      ]);
      await screenshot(page, 'room-detail');

      const deleted = nextEvent(socket, 'message:deleted');
      await doomedRow.getByRole('button', { name: 'Delete' }).click();
      expect(await deleted).toEqual({ roomId: room.id, messageId: doomed.id });
      await statusMessage(page, 'Message #2 deleted.').waitFor();
      await doomedRow.waitFor({ state: 'detached' });

      // Reloaded from the server (with a message sent since), the deleted one stays gone.
      const later = await sendOk(socket, room.id, 'Oops, never mind');
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.getByTestId(`message-row-${later.id}`).waitFor();
      const ids = await rowsOf(page, 'message-row-').evaluateAll((rows) =>
        rows.map((row) => row.getAttribute('data-testid')),
      );
      expect(ids).toEqual([`message-row-${kept.id}`, `message-row-${later.id}`]);
      done.deletedMessageId = doomed.id;
    },
    TIMEOUT,
  );

  it(
    'closes a room from its page: members get room:closed (closed-by-admin) and it leaves the list',
    async () => {
      const { room, socket } = await userInRoom('eve', 'Old project');
      const page = await loggedInPage();
      await navigateTo(page, 'Rooms');
      await findRoom(page, room.id, 'Old project');
      await page.getByTestId(`room-row-${room.id}`).getByRole('button', { name: 'Open' }).click();
      await heading(page, 'Room: Old project').waitFor();

      let question = '';
      page.once('dialog', (dialog) => {
        question = dialog.message();
        void dialog.accept();
      });
      const closed = nextEvent(socket, 'room:closed');
      await page.getByRole('button', { name: 'Close room' }).click();
      expect(await closed).toEqual({ roomId: room.id, reason: 'closed-by-admin' });
      expect(question).toBe('Close the room “Old project”? Everyone in it will be removed.');
      await statusMessage(page, 'Room “Old project” closed.').waitFor();
      expect(await page.getByRole('button', { name: 'Close room' }).count()).toBe(0);

      await page.getByRole('link', { name: 'Back to rooms' }).click();
      await heading(page, 'Rooms').waitFor();
      await page.getByLabel('Search rooms by name').fill('Old project');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByText('No room matches.', { exact: true }).waitFor();
      done.closedRoomId = room.id;
    },
    TIMEOUT,
  );
});

describe('admin console: clients and bans', () => {
  let bea: AuthBody;

  beforeAll(async () => {
    bea = await guest(t.url, 'bea');
  });

  it(
    'kicks a client: it gets moderation:kicked with the reason, then is disconnected',
    async () => {
      const page = await loggedInPage();
      await navigateTo(page, 'Clients');
      const socket = await t.open(bea);
      await findClient(page, socket, 'bea');
      const socketId = socket.id ?? '';
      const row = page.getByTestId(`client-row-${socketId}`);
      expect((await cellTexts(row)).slice(0, 3)).toEqual(['bea', bea.user.id, 'guest']);
      await screenshot(page, 'clients');

      await page.getByLabel('Kick reason (optional)').fill(done.kickReason);
      const seen = eventsUntil(socket, ['moderation:kicked', 'disconnect'], 'disconnect');
      await row.getByRole('button', { name: 'Kick' }).click();
      expect(await seen).toEqual([
        ['moderation:kicked', { reason: done.kickReason }],
        ['disconnect', 'io server disconnect'],
      ]);
      await statusMessage(page, `Kicked bea (${socketId}).`).waitFor();
      await row.waitFor({ state: 'detached' });
      done.kickedSocketId = socketId;
    },
    TIMEOUT,
  );

  it(
    'bans a user from the Clients page, then lifts the ban on the Bans page',
    async () => {
      const page = await loggedInPage();
      await navigateTo(page, 'Clients');
      // A kicked client may come back.
      const socket = await t.open(bea);
      await findClient(page, socket, 'bea');
      const row = page.getByTestId(`client-row-${socket.id}`);
      const ip = (await cellTexts(row))[3];

      await row.getByRole('button', { name: 'Ban' }).click();
      const form = page.getByRole('form', { name: 'Ban bea' });
      expect(await form.getByLabel('Duration (minutes)').inputValue()).toBe('60');
      expect(await form.getByLabel('Permanent').isChecked()).toBe(false);
      expect(await form.getByLabel(`Ban the IP address ${ip} instead of the user`).isChecked()).toBe(false);
      await form.getByLabel('Reason').fill(done.banReason);
      const seen = eventsUntil(socket, ['moderation:banned', 'disconnect'], 'disconnect');
      const before = Date.now();
      await form.getByRole('button', { name: 'Ban', exact: true }).click();

      const events = await seen;
      expect(events).toEqual([
        ['moderation:banned', { reason: done.banReason, until: expect.stringMatching(ISO) }],
        ['disconnect', 'io server disconnect'],
      ]);
      const until = Date.parse((events[0][1] as { until: string }).until);
      expect(until).toBeGreaterThanOrEqual(before + 59 * 60_000);
      expect(until).toBeLessThanOrEqual(Date.now() + 61 * 60_000);
      await statusMessage(
        page,
        `Banned bea until ${await page.evaluate((ms) => new Date(ms).toLocaleString(), until)}.`,
      ).waitFor();
      await form.waitFor({ state: 'detached' });
      await row.waitFor({ state: 'detached' });
      expect((await refusedHandshake(t.url, bea.accessToken)).message).toBe('BANNED');

      await navigateTo(page, 'Bans');
      await page.getByRole('heading', { level: 2, name: 'In force' }).waitFor();
      const banRow = rowsOf(page, 'ban-row-').filter({ hasText: bea.user.id });
      await banRow.waitFor();
      const cells = await cellTexts(banRow);
      expect([cells[0], cells[1], cells[2], cells[5]]).toEqual([bea.user.id, '—', done.banReason, 'admin']);
      await screenshot(page, 'bans');

      done.banId = await rowId(banRow, 'ban-row-');
      await banRow.getByRole('button', { name: 'Lift' }).click();
      await statusMessage(page, `Ban on ${bea.user.id} lifted.`).waitFor();
      await banRow.waitFor({ state: 'detached' });
      const back = await t.open(bea);
      expect(back.connected).toBe(true);
      done.bannedUserId = bea.user.id;
    },
    TIMEOUT,
  );
});

describe('admin console: moderation log', () => {
  it(
    'lists the deleted message, the closed room, the kick, the ban and its lift, done by "admin"',
    async () => {
      expect(Object.values(done).every((value) => value !== '')).toBe(true);
      const page = await loggedInPage();
      await navigateTo(page, 'Moderation log');
      const entry = (action: string, target: string) =>
        rowsOf(page, 'log-row-')
          .filter({ has: page.locator('code').getByText(action, { exact: true }) })
          .filter({ hasText: target });
      const expected: Array<[string, string, string]> = [
        ['message.deleted', `message ${done.deletedMessageId}`, '—'],
        ['room.closed', `room ${done.closedRoomId}`, '—'],
        ['client.kicked', `socket ${done.kickedSocketId}`, done.kickReason],
        ['ban.created', `ban ${done.banId}`, done.banReason],
        ['ban.lifted', `ban ${done.banId}`, done.banReason],
      ];
      for (const [action, target, reason] of expected) {
        const row = entry(action, target);
        await row.waitFor();
        const [, who, shownAction, shownTarget, shownReason] = await cellTexts(row);
        expect({ who, shownAction, reason: shownReason }).toEqual({ who: 'admin', shownAction: action, reason });
        expect(shownTarget).toContain(target);
      }
      expect(await cellTexts(entry('ban.created', done.banId))).toEqual([
        expect.any(String),
        'admin',
        'ban.created',
        `user id ${done.bannedUserId}, ban ${done.banId}`,
        done.banReason,
      ]);
      // Newest first.
      const actions = await rowsOf(page, 'log-row-').locator('td:nth-child(3)').allTextContents();
      expect(actions).toEqual(['ban.lifted', 'ban.created', 'client.kicked', 'room.closed', 'message.deleted']);
      await screenshot(page, 'moderation-log');
    },
    TIMEOUT,
  );
});
