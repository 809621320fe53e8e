import type { Socket } from 'socket.io-client';
import { startApp, type TestApp } from './app.js';
import { connect, emitAck, type Ack, type AuthBody } from './clients.js';

export interface ChatHarness {
  /** Base URL of the running app, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** The running app. */
  readonly app: TestApp;
  /** Connects to /chat (see `connect`) and closes the socket after the current test. */
  open(authOrToken: AuthBody | string, options?: Record<string, unknown>): Promise<Socket>;
  /** Closes a socket made some other way after the current test; returns it. */
  track(socket: Socket): Socket;
  /** Emits `room:join` with an ack, expects `{ ok: true }` and returns the ack. */
  join(socket: Socket, roomId: string, extra?: Record<string, unknown>): Promise<Ack>;
}

/**
 * Declares the Jest hooks of the enclosing describe (or file): the app boots once before its tests
 * with `env` on top of TEST_ENV, sockets opened through the harness close after each test, and the
 * app closes after the last one.
 */
export function useChatApp(env: Record<string, string> = {}): ChatHarness {
  let running: TestApp | undefined;
  const sockets: Socket[] = [];

  const current = (): TestApp => {
    if (running === undefined) {
      throw new Error('useChatApp: the app is not running (use it inside a test or hook)');
    }
    return running;
  };
  const track = (socket: Socket): Socket => {
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    running = await startApp(env);
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) {
      socket.close();
    }
  });
  afterAll(async () => {
    await running?.close();
    running = undefined;
  });

  return {
    get url() {
      return current().url;
    },
    get app() {
      return current();
    },
    open: async (authOrToken, options = {}) => {
      const token = typeof authOrToken === 'string' ? authOrToken : authOrToken.accessToken;
      return track(await connect(current().url, token, options));
    },
    track,
    join: async (socket, roomId, extra = {}) => {
      const ack = await emitAck(socket, 'room:join', { roomId, ...extra });
      expect(ack).toMatchObject({ ok: true });
      return ack;
    },
  };
}
