// The benchmark's lean Socket.IO client (bench/load/wire-client.mjs) against the real Parley app and
// a real Socket.IO server: it must be heard by them as socket.io-client is, or the benchmark would
// measure something else.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { WebSocketServer } from 'ws';
import { openSocketIoWire, parsePacket, type Conn } from '../../bench/load/wire-client.mjs';
import { adminApi, adminToken } from '../utils/admin.js';
import { createRoom, guest } from '../utils/clients.js';
import { useChatApp } from '../utils/harness.js';

/** A wire client with what it heard: message:new contents, and a promise of an unasked-for close. */
async function openWire(url: string, token?: string) {
  const messages: string[] = [];
  const waiters: Array<() => void> = [];
  let closedWith: (reason: string) => void = () => undefined;
  const closed = new Promise<string>((resolve) => {
    closedWith = resolve;
  });
  const conn = await openSocketIoWire(
    { url, token, localAddress: '127.0.0.1', timeoutMs: 5000 },
    {
      message(content) {
        messages.push(content);
        waiters.splice(0).forEach((wake) => wake());
      },
      closed: (reason) => closedWith(reason),
    },
  );
  /** Resolves once `count` messages arrived. */
  const received = async (count: number): Promise<string[]> => {
    while (messages.length < count) {
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
    return messages;
  };
  return { conn, messages, received, closed };
}

/** Sends and resolves with what `done` was given (null: acknowledged). */
function send(conn: Conn, roomId: string, content: string, timeoutMs = 5000): Promise<string | null> {
  return new Promise((resolve) => conn.send(roomId, content, `m-${content}`, timeoutMs, resolve));
}

describe('bench wire client: packet parsing', () => {
  it('splits a /chat packet into type, ack id and JSON', () => {
    expect(parsePacket('43/chat,12[{"ok":true}]')).toEqual({ type: '3', id: 12, json: '[{"ok":true}]' });
    expect(parsePacket('42/chat,["message:new",{"content":"a"}]')).toEqual({
      type: '2',
      id: -1,
      json: '["message:new",{"content":"a"}]',
    });
    expect(parsePacket('41/chat,')).toEqual({ type: '1', id: -1, json: '' });
    expect(parsePacket('40/chat,{"sid":"x"}')).toEqual({ type: '0', id: -1, json: '{"sid":"x"}' });
  });

  it('ignores packets of other namespaces', () => {
    expect(parsePacket('42["message:new",{}]')).toBeNull();
    expect(parsePacket('42/chatty,["message:new",{}]')).toBeNull();
    expect(parsePacket('42/admin,0["x"]')).toBeNull();
  });
});

describe('bench wire client against Parley', () => {
  const chat = useChatApp();
  const opened: Conn[] = [];
  afterEach(() => opened.splice(0).forEach((conn) => conn.close()));
  const open = async (token?: string) => {
    const client = await openWire(chat.url, token);
    opened.push(client.conn);
    return client;
  };

  it('connects with a token, joins, and sends with acks; every member receives the message', async () => {
    const alice = await guest(chat.url, 'alice');
    const bob = await guest(chat.url, 'bob');
    const room = await createRoom(chat.url, alice.accessToken);
    const a = await open(alice.accessToken);
    const b = await open(bob.accessToken);
    await a.conn.join(room.id, 5000);
    await b.conn.join(room.id, 5000);

    expect(await send(a.conn, room.id, 'one')).toBeNull();
    expect(await send(b.conn, room.id, 'two')).toBeNull();
    expect(await a.received(2)).toEqual(['one', 'two']);
    expect(await b.received(2)).toEqual(['one', 'two']);
    expect(a.conn.connected()).toBe(true);
  });

  it("is refused a handshake with Parley's code", async () => {
    await expect(openWire(chat.url, 'not-a-token')).rejects.toThrow('UNAUTHORIZED');
    await expect(openWire(chat.url)).rejects.toThrow('UNAUTHORIZED');
  });

  it("reports refused joins and sends with Parley's codes", async () => {
    const alice = await guest(chat.url, 'alice');
    const room = await createRoom(chat.url, alice.accessToken);
    const a = await open(alice.accessToken);
    await expect(a.conn.join('no-such-room', 5000)).rejects.toThrow('ROOM_NOT_FOUND');
    expect(await send(a.conn, room.id, 'not a member yet')).toBe('NOT_A_MEMBER');
    await a.conn.join(room.id, 5000);
    expect(await send(a.conn, room.id, '')).toBe('VALIDATION_FAILED');
    expect(await send(a.conn, room.id, 'now')).toBeNull();
  });

  it('reports a kick as a drop, and the server sees an intended close as a disconnect', async () => {
    const admin = adminApi(chat.url, await adminToken(chat.url));
    const alice = await guest(chat.url, 'kick-me');
    const bob = await guest(chat.url, 'leaves');
    const a = await open(alice.accessToken);
    const b = await open(bob.accessToken);
    const listed = async (username: string) =>
      ((await admin.get(`/clients?q=${username}`).expect(200)).body.items as Array<{ socketId: string }>).length;
    expect(await listed('kick-me')).toBe(1);
    expect(await listed('leaves')).toBe(1);

    const [client] = (await admin.get('/clients?q=kick-me').expect(200)).body.items as Array<{ socketId: string }>;
    await admin.delete(`/clients/${client.socketId}`).expect(204);
    expect(await a.closed).toBe('io server disconnect');
    expect(a.conn.connected()).toBe(false);
    expect(await send(a.conn, 'any-room', 'after the kick')).toBe('DISCONNECTED');

    let reported = false;
    void b.closed.then(() => (reported = true));
    b.conn.close();
    const deadline = Date.now() + 5000;
    while ((await listed('leaves')) > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await listed('leaves')).toBe(0);
    expect(reported).toBe(false);
  });
});

describe('bench wire client against a bare Socket.IO server', () => {
  let http: HttpServer;
  let io: Server;
  let url: string;
  const opened: Conn[] = [];

  beforeAll(async () => {
    http = createServer();
    // Pings every 50 ms, 100 ms to answer: a client that does not pong is dropped within a test.
    io = new Server(http, { transports: ['websocket'], pingInterval: 50, pingTimeout: 100 });
    io.of('/chat').on('connection', (socket) => {
      socket.emit('session', { user: { id: socket.id } });
      socket.on('room:join', (_payload: unknown, ack: (answer: unknown) => void) => ack({ ok: true }));
      // message:send is never answered: the client's own deadline must end the wait.
      socket.on('message:send', () => undefined);
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  afterEach(() => opened.splice(0).forEach((conn) => conn.close()));
  afterAll(async () => {
    await io.close();
  });

  it('answers pings, so the server keeps it connected', async () => {
    const client = await openWire(url);
    opened.push(client.conn);
    const [socket] = await io.of('/chat').fetchSockets();
    const server = io.of('/chat').sockets.get(socket.id);
    let pongs = 0;
    // Five pongs in a row, or the server's reason for dropping it (ping timeout) if it does not answer.
    await new Promise<void>((resolve, reject) => {
      server?.on('disconnect', (reason) => reject(new Error(`the server dropped it: ${reason}`)));
      server?.conn.on('packet', (packet: { type: string }) => {
        if (packet.type === 'pong' && ++pongs === 5) {
          resolve();
        }
      });
    });
    expect(server?.connected).toBe(true);
    expect(client.conn.connected()).toBe(true);
  });

  it('ends a send that is never answered with ACK_TIMEOUT', async () => {
    const client = await openWire(url);
    opened.push(client.conn);
    await client.conn.join('r', 1000);
    expect(await send(client.conn, 'r', 'unanswered', 300)).toBe('ACK_TIMEOUT');
    expect(client.conn.connected()).toBe(true);
  });

  it('rejects when nothing listens', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    await expect(openWire(`http://127.0.0.1:${closedPort}`)).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('bench wire client: heartbeat', () => {
  it('drops a connection whose server stops pinging, as engine.io-client does ("ping timeout")', async () => {
    // A server that completes the handshake and then never pings: only a client that keeps the
    // Engine.IO deadline (pingInterval + pingTimeout) notices.
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', resolve));
    server.on('connection', (ws) => {
      ws.send('0{"sid":"s1","upgrades":[],"pingInterval":100,"pingTimeout":100,"maxPayload":1000000}');
      ws.on('message', (data: Buffer) => {
        if (data.toString().startsWith('40/chat,')) {
          ws.send('40/chat,{"sid":"n1"}');
          ws.send('42/chat,["session",{"user":{"id":"u"}}]');
        }
      });
    });
    try {
      const { port } = server.address() as AddressInfo;
      const client = await openWire(`http://127.0.0.1:${port}`);
      const started = Date.now();
      expect(await client.closed).toBe('ping timeout');
      expect(Date.now() - started).toBeGreaterThanOrEqual(150);
      expect(client.conn.connected()).toBe(false);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
