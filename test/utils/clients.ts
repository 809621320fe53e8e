import { io, type Socket } from 'socket.io-client';
import request from 'supertest';

export interface AuthBody {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: { id: string; username: string; kind: string };
}

export interface Ack {
  ok: boolean;
  error?: { code: string; message: string; details?: unknown };
  [key: string]: unknown;
}

export async function guest(url: string, username = 'tester'): Promise<AuthBody> {
  const res = await request(url).post('/api/v1/auth/guest').send({ username }).expect(201);
  return res.body as AuthBody;
}

export async function createRoom(
  url: string,
  token: string,
  body: Record<string, unknown> = {},
): Promise<Record<string, any>> {
  const res = await request(url)
    .post('/api/v1/rooms')
    .set('Authorization', `Bearer ${token}`)
    .send({ name: 'test room', ...body })
    .expect(201);
  return res.body as Record<string, any>;
}

/** Connects to /chat and resolves once the `session` event arrived (or rejects on connect_error). */
export function connect(
  url: string,
  token: string | undefined,
  options: Record<string, unknown> = {},
): Promise<Socket> {
  const socket = io(`${url}/chat`, {
    auth: token === undefined ? {} : { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...options,
  });
  return new Promise((resolve, reject) => {
    socket.once('session', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** Emits with an acknowledgement and resolves with it. */
export function emitAck(socket: Socket, event: string, payload?: unknown): Promise<Ack> {
  return socket.timeout(5000).emitWithAck(event, payload) as Promise<Ack>;
}

/** Resolves with the next `event` payload that satisfies `match`. */
export function nextEvent<T = any>(
  socket: Socket,
  event: string,
  match: (payload: T) => boolean = () => true,
  timeoutMs = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler);
      reject(new Error(`timed out waiting for ${event}`));
    }, timeoutMs);
    const handler = (payload: T): void => {
      if (match(payload)) {
        clearTimeout(timer);
        socket.off(event, handler);
        resolve(payload);
      }
    };
    socket.on(event, handler);
  });
}

/** Collects every `event` payload the socket receives from now on. */
export function record<T = any>(socket: Socket, event: string): T[] {
  const seen: T[] = [];
  socket.on(event, (payload: T) => seen.push(payload));
  return seen;
}

/** The room's history as a member reads it over REST. */
export async function history(url: string, roomId: string, user: AuthBody): Promise<Array<Record<string, any>>> {
  const res = await request(url)
    .get(`/api/v1/rooms/${roomId}/messages`)
    .set('Authorization', `Bearer ${user.accessToken}`)
    .expect(200);
  return res.body.items as Array<Record<string, any>>;
}

/** Sends a message, expects it stored, and returns it. */
export async function sendOk(socket: Socket, roomId: string, content: string): Promise<Record<string, any>> {
  const ack = await emitAck(socket, 'message:send', { roomId, content });
  expect(ack).toMatchObject({ ok: true });
  return ack.message as Record<string, any>;
}
