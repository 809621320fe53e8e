// What the memory engine's history costs the JavaScript heap: `npm run build && node --expose-gc
// bench/history-heap.mjs [--rooms=1000] [--messages=300000]` appends the messages (100 characters,
// a clientMsgId each, as the benchmark's clients send them) round-robin over the rooms through
// MemoryEngine.appendMessage, then prints the heap used, the memory outside it, how long a full
// collection takes with all of it held (median of 5) and the time per append. Run it on two builds
// to compare them.
import { cliOption } from './cli.mjs';

if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc');
  process.exit(2);
}
const gc = /** @type {() => void} */ (globalThis.gc);
const { MemoryEngine } = await import('../dist/engine/memory/memory.engine.js');
const { newId } = await import('../dist/common/ids.js');

const rooms = Number(cliOption('rooms', '1000'));
const messages = Number(cliOption('messages', '300000'));
const engine = new MemoryEngine('history-heap');
const now = Date.now();
const roomIds = [];
for (let i = 0; i < rooms; i++) {
  const id = newId();
  roomIds.push(id);
  await engine.createRoom({
    id,
    name: `room ${i}`,
    topic: null,
    visibility: 'public',
    passwordHash: null,
    maxUsers: 100,
    ownerId: 'owner',
    createdAt: now,
    expiresAt: now + 86_400_000,
  });
}
const users = Array.from({ length: rooms * 10 }, (_, i) => ({ id: newId(), username: `guest-${i}` }));

const heap = () => {
  gc();
  gc();
  // external counts the ArrayBuffers' memory too (Buffers are ArrayBuffers).
  const { heapUsed, external } = process.memoryUsage();
  return { heapMiB: heapUsed / 2 ** 20, outsideMiB: external / 2 ** 20 };
};
const before = heap();
const appendStart = process.hrtime.bigint();
for (let i = 0; i < messages; i++) {
  const user = users[i % users.length];
  // As a packet's JSON gives them to the engine: fresh strings per message.
  const packet = JSON.parse(
    JSON.stringify({ roomId: roomIds[i % rooms], content: `${'x'.repeat(94)}${i}`.slice(-100), clientMsgId: newId() }),
  );
  await engine.appendMessage(
    packet.roomId,
    {
      id: newId(),
      userId: user.id,
      username: user.username,
      kind: 'user',
      content: packet.content,
      sentAt: now + i,
      clientMsgId: packet.clientMsgId,
    },
    1000,
  );
}
const appendMicros = Number(process.hrtime.bigint() - appendStart) / 1e3 / messages;
const after = heap();
const pauses = [];
for (let i = 0; i < 5; i++) {
  const start = process.hrtime.bigint();
  gc();
  pauses.push(Number(process.hrtime.bigint() - start) / 1e6);
}
pauses.sort((a, b) => a - b);
const fixed = (/** @type {number} */ n) => n.toFixed(1);
console.log(
  `${messages} messages in ${rooms} rooms: heap +${fixed(after.heapMiB - before.heapMiB)} MiB ` +
    `(${fixed(((after.heapMiB - before.heapMiB) * 2 ** 20) / messages)} B per message), ` +
    `outside the heap +${fixed(after.outsideMiB - before.outsideMiB)} MiB; ` +
    `full collection ${fixed(pauses[2])} ms (median of 5; ${fixed(pauses[0])}-${fixed(pauses[4])}); ` +
    `${appendMicros.toFixed(2)} µs per append (the packet's parse and the id included)`,
);
await engine.close();
