import { io, type Socket } from 'socket.io-client';
import { adminApi, adminToken, shortLivedAdminToken } from './utils/admin.js';
import { createRoom, guest, nextEvent, sendOk } from './utils/clients.js';
import { useChatApp } from './utils/harness.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** Fast pushes and heartbeats keep the tests short (ADMIN_LIVE_INTERVAL_MS may not go below 250). */
const ENV = { ADMIN_LIVE_INTERVAL_MS: '250', HEARTBEAT_INTERVAL_MS: '200' };
/** The chart keeps this many samples. */
const SERIES_MAX = 30;

interface Overview {
  instances: number;
  connections: number;
  users: number;
  rooms: number;
  messagesLastMinute: number;
}
interface Stats {
  at: string;
  overview: Overview;
  instances: Array<Record<string, unknown> & { id: string }>;
  series: Array<{ at: string; messagesLastMinute: number; connections: number }>;
}

/** An admin console on /admin. */
function openConsole(url: string, auth: Record<string, unknown>, options: Record<string, unknown> = {}): Socket {
  return io(`${url}/admin`, { auth, transports: ['websocket'], reconnection: false, forceNew: true, ...options });
}

/** Resolves with the connect_error of a console whose handshake must be refused. */
function refusedConsole(
  url: string,
  auth: Record<string, unknown>,
  options: Record<string, unknown> = {},
): Promise<Error & { data?: unknown }> {
  const socket = openConsole(url, auth, options);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.close();
      reject(new Error('the /admin handshake was accepted'));
    });
    socket.once('connect_error', (err) => {
      socket.close();
      resolve(err);
    });
  });
}

/**
 * The Jest hooks of a describe with its own app: `open()` connects an admin console (closed after
 * the test) and returns it with its push on connect, listened to before it could come.
 */
function useConsoles(env: Record<string, string>) {
  const t = useChatApp(env);
  const consoles: Socket[] = [];
  let adminTok = '';

  beforeAll(async () => {
    adminTok = await adminToken(t.url);
  });
  afterEach(() => {
    for (const socket of consoles.splice(0)) {
      socket.close();
    }
  });

  const open = (): { socket: Socket; first: Promise<Stats> } => {
    const socket = openConsole(t.url, { token: adminTok });
    consoles.push(socket);
    return { socket, first: nextEvent<Stats>(socket, 'admin:stats') };
  };
  return { t, open, token: () => adminTok };
}

/**
 * Right after boot, with the default interval (2 s): the push a console gets on connect must
 * already count the instance that serves it, as GET /admin/overview does.
 */
describe('admin:stats on connect, right after boot', () => {
  const { t, open, token } = useConsoles({});

  it('is { at, overview, instances, series } and counts this instance, like GET /overview and /instances', async () => {
    const stats = await open().first;
    const api = adminApi(t.url, token());
    const overview = (await api.get('/overview').expect(200)).body as Overview;
    const instances = (await api.get('/instances').expect(200)).body as { items: Stats['instances'] };

    expect(Object.keys(stats).sort()).toEqual(['at', 'instances', 'overview', 'series']);
    expect(stats.at).toMatch(ISO);
    expect(overview).toEqual({ instances: 1, connections: 0, users: 0, rooms: 0, messagesLastMinute: 0 });
    expect(stats.overview).toEqual(overview);
    expect(stats.instances.map((i) => i.id)).toEqual(instances.items.map((i) => i.id));
    expect(Object.keys(stats.instances[0] ?? {}).sort()).toEqual(Object.keys(instances.items[0]).sort());
    expect(stats.series.length).toBeGreaterThanOrEqual(1);
    expect(stats.series.length).toBeLessThanOrEqual(SERIES_MAX);
    expect(stats.series.at(-1)).toEqual({ at: stats.at, messagesLastMinute: 0, connections: 0 });
    for (const sample of stats.series) {
      expect(sample).toEqual({
        at: expect.stringMatching(ISO),
        messagesLastMinute: expect.any(Number),
        connections: expect.any(Number),
      });
    }
  });
});

describe('admin live figures (/admin namespace)', () => {
  const { t, open, token } = useConsoles(ENV);

  describe('handshake', () => {
    it.each([
      ['no token', {}],
      ['an empty token', { token: '' }],
      ['a garbage token', { token: 'not.a.jwt' }],
    ])('refuses %s with connect_error UNAUTHORIZED', async (_label, auth) => {
      const err = await refusedConsole(t.url, auth);
      expect(err.message).toBe('UNAUTHORIZED');
      expect(err.data).toMatchObject({ code: 'UNAUTHORIZED', message: expect.any(String) });
    });

    it('refuses a user token (audience "chat") with connect_error UNAUTHORIZED', async () => {
      const user = await guest(t.url, 'ada');
      const err = await refusedConsole(t.url, { token: user.accessToken });
      expect(err.message).toBe('UNAUTHORIZED');
      expect(err.data).toMatchObject({ code: 'UNAUTHORIZED', message: expect.any(String) });
    });

    it('disconnects a console when its token expires, and refuses the token from then on', async () => {
      // A JWT's expiry is in whole seconds: one signed for 1 s can have almost none of it left,
      // and expire before the console's first push (a flake under a loaded full run). 3 s leaves
      // at least 2, and the disconnect is listened for from the start.
      const expiring = shortLivedAdminToken(t.app, 3);
      const socket = openConsole(t.url, { token: expiring });
      const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
      await nextEvent(socket, 'admin:stats');
      expect(await disconnected).toBe('io server disconnect');
      const err = await refusedConsole(t.url, { token: expiring });
      expect(err.message).toBe('UNAUTHORIZED');
    });

    it('refuses an admin token given only in the URL query', async () => {
      const err = await refusedConsole(t.url, {}, { query: { token: token() } });
      expect(err.message).toBe('UNAUTHORIZED');
    });
  });

  describe('admin:stats', () => {
    it('a later push counts a newly connected chat client, then a message it sent', async () => {
      const { socket, first } = open();
      const before = (await first).overview;
      const ada = await guest(t.url, 'ada');
      const chat = await t.open(ada);
      const connected = await nextEvent<Stats>(
        socket,
        'admin:stats',
        (s) => s.overview.connections > before.connections,
      );
      expect(connected.overview.connections).toBe(before.connections + 1);
      expect(connected.overview.users).toBe(before.users + 1);

      const room = await createRoom(t.url, ada.accessToken);
      await t.join(chat, room.id);
      await sendOk(chat, room.id, 'counted');
      const sent = await nextEvent<Stats>(
        socket,
        'admin:stats',
        (s) => s.overview.messagesLastMinute > before.messagesLastMinute,
      );
      expect(sent.overview).toMatchObject({
        messagesLastMinute: before.messagesLastMinute + 1,
        rooms: before.rooms + 1,
        connections: before.connections + 1,
      });
      expect(sent.series.at(-1)).toEqual({
        at: sent.at,
        messagesLastMinute: sent.overview.messagesLastMinute,
        connections: sent.overview.connections,
      });
    });

    it('pushes again every interval; series grows by one sample per push up to 30, then slides', async () => {
      const { socket, first } = open();
      const pushes: Stats[] = [await first];
      socket.on('admin:stats', (s: Stats) => pushes.push(s));
      // 30 samples at 250 ms take at most 7.5 s from the app's start.
      await nextEvent<Stats>(socket, 'admin:stats', (s) => s.series.length === SERIES_MAX, 12_000);
      const full = pushes.length - 1;
      await nextEvent(socket, 'admin:stats');
      const [prev, next] = [pushes[full], pushes[full + 1]];

      for (let i = 1; i < pushes.length; i += 1) {
        expect(Date.parse(pushes[i].at)).toBeGreaterThan(Date.parse(pushes[i - 1].at));
        expect(pushes[i].series.length).toBe(Math.min(pushes[i - 1].series.length + 1, SERIES_MAX));
        expect(pushes[i].series.slice(0, -1)).toEqual(pushes[i - 1].series.slice(-(pushes[i].series.length - 1)));
      }
      expect(next.series).toHaveLength(SERIES_MAX);
      expect(next.series.slice(0, -1)).toEqual(prev.series.slice(1));
      expect(next.series.at(-1)?.at).toBe(next.at);
    });
  });
});
