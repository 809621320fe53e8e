// Baseline "limit of our stack": Socket.IO with Parley's versions and options (README, chat-io.adapter.ts)
// that only joins rooms and broadcasts. No auth, validation, rate limits or history.
// Run as a process: PORT, HOST, optional REDIS_URL (then the same Redis adapter as Parley's redis engine).
import { createServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { memoryEndpoint, messageOf } from './baseline-common.mjs';

const port = Number(process.env.PORT);
const host = process.env.HOST ?? '127.0.0.1';
const redisUrl = process.env.REDIS_URL;

/** The adapter Parley's engine module builds for CHAT_ENGINE=redis, or none (in-memory). */
async function adapter() {
  if (!redisUrl) {
    return {};
  }
  const pub = new Redis(redisUrl, { lazyConnect: true });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  return { adapter: createAdapter(pub, sub, { key: 'bench:socket.io' }) };
}

const http = createServer(memoryEndpoint);
const io = new Server(http, {
  path: '/socket.io',
  serveClient: false,
  maxHttpBufferSize: 16_384,
  perMessageDeflate: false,
  cors: { origin: true, credentials: false },
  ...(await adapter()),
});

const chat = io.of('/chat');
/** roomId → last seq handed out by this process */
const seqs = new Map();

chat.on('connection', (socket) => {
  const userId = socket.id;
  socket.emit('session', { user: { id: userId, username: userId, kind: 'guest' } });
  socket.on('room:join', async (/** @type {{ roomId: string }} */ payload, ack) => {
    await socket.join(payload.roomId);
    ack?.({ ok: true });
  });
  socket.on('message:send', (/** @type {{ roomId: string, content: string }} */ payload, ack) => {
    const seq = (seqs.get(payload.roomId) ?? 0) + 1;
    seqs.set(payload.roomId, seq);
    const message = messageOf(payload.roomId, seq, userId, payload);
    chat.to(payload.roomId).emit('message:new', message);
    ack?.({ ok: true, message });
  });
});

process.on('SIGTERM', () => {
  void io.close();
  process.exit(0);
});
http.listen(port, host, () => console.log(`Listening on http://${host}:${port}`));
