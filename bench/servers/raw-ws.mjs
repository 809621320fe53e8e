// Baseline "limit of Node": a raw `ws` server with the same frame limits and no compression that
// keeps rooms in a Map and broadcasts one serialized frame to each member. Frames are JSON arrays:
// client ["join", id, roomId] | ["send", id, roomId, content, clientMsgId]; server ["ack", id, result]
// | ["message:new", message]. Run as a process: PORT, HOST.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { memoryEndpoint, messageOf } from './baseline-common.mjs';

const port = Number(process.env.PORT);
const host = process.env.HOST ?? '127.0.0.1';

const http = createServer(memoryEndpoint);
const wss = new WebSocketServer({ server: http, perMessageDeflate: false, maxPayload: 16_384 });
/** @type {Map<string, Set<import('ws').WebSocket>>} */
const rooms = new Map();
/** @type {Map<string, number>} */
const seqs = new Map();
let nextUser = 0;

wss.on('connection', (ws) => {
  const userId = `u${++nextUser}`;
  /** @type {Set<string>} */
  const joined = new Set();
  ws.on('message', (data) => {
    const [type, id, roomId, content, clientMsgId] = JSON.parse(String(data));
    if (type === 'join') {
      const members = rooms.get(roomId) ?? new Set();
      rooms.set(roomId, members.add(ws));
      joined.add(roomId);
      ws.send(JSON.stringify(['ack', id, { ok: true }]));
    } else if (type === 'send') {
      const seq = (seqs.get(roomId) ?? 0) + 1;
      seqs.set(roomId, seq);
      const message = messageOf(roomId, seq, userId, { content, clientMsgId });
      // Serialized and encoded once, sent as a text frame to every member.
      const frame = Buffer.from(JSON.stringify(['message:new', message]));
      for (const member of rooms.get(roomId) ?? []) {
        member.send(frame, { binary: false });
      }
      ws.send(JSON.stringify(['ack', id, { ok: true, message }]));
    }
  });
  ws.on('close', () => {
    for (const roomId of joined) {
      rooms.get(roomId)?.delete(ws);
    }
  });
});

process.on('SIGTERM', () => {
  wss.close();
  process.exit(0);
});
http.listen(port, host, () => console.log(`Listening on http://${host}:${port}`));
