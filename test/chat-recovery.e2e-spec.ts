import type { Socket } from 'socket.io-client';
import { createRoom, emitAck, guest, nextEvent, type Ack } from './utils/clients.js';
import { useChatApp, type ChatHarness } from './utils/harness.js';

type Message = Record<string, any>;

const send = async (socket: Socket, roomId: string, content: string): Promise<void> => {
  expect(await emitAck(socket, 'message:send', { roomId, content })).toMatchObject({ ok: true });
};

/**
 * `missMessages(n)` on the app of `t`: ada stays online; bob reads messages 1–3, disconnects,
 * misses `n` messages and comes back with a fresh socket.
 */
function recovery(t: ChatHarness) {
  const missMessages = async (missed: number) => {
    const [ada, bob] = await Promise.all([guest(t.url, 'ada'), guest(t.url, 'bob')]);
    const room = await createRoom(t.url, ada.accessToken);
    const roomId = room.id as string;
    const [a, b] = await Promise.all([t.open(ada), t.open(bob)]);
    await emitAck(a, 'room:join', { roomId });
    const joined = await emitAck(b, 'room:join', { roomId });
    const epoch = (joined.room as { epoch: string }).epoch;
    const third = nextEvent<Message>(b, 'message:new', (m) => m.seq === 3);
    for (let i = 1; i <= 3; i++) {
      await send(a, roomId, `seen ${i}`);
    }
    const lastSeen = (await third).seq as number;
    const gone = nextEvent(a, 'room:member-left');
    b.disconnect();
    await gone;
    for (let i = 1; i <= missed; i++) {
      await send(a, roomId, `missed ${i}`);
    }
    return { roomId, epoch, lastSeen, b: await t.open(bob) };
  };
  return { missMessages };
}

const seqsOf = (ack: Ack): number[] => (ack.messages as Message[]).map((m) => m.seq as number);
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** API.md §5: a client that rejoins with `since` gets what it missed, or recovered:false. */
describe('/chat recovery', () => {
  const { missMessages } = recovery(useChatApp());

  it('returns exactly the missed messages and recovered:true', async () => {
    const { roomId, epoch, lastSeen, b } = await missMessages(5);
    const ack = await emitAck(b, 'room:join', { roomId, since: { seq: lastSeen, epoch } });
    expect(ack).toMatchObject({ ok: true, recovered: true, room: { lastSeq: 8, epoch } });
    expect(seqsOf(ack)).toEqual([4, 5, 6, 7, 8]);
    expect((ack.messages as Message[]).map((m) => m.content)).toEqual(range(1, 5).map((i) => `missed ${i}`));
  });

  it('recovers an empty gap when nothing was missed', async () => {
    const { roomId, epoch, lastSeen, b } = await missMessages(0);
    const ack = await emitAck(b, 'room:join', { roomId, since: { seq: lastSeen, epoch } });
    expect(ack).toMatchObject({ ok: true, recovered: true, messages: [] });
  });

  it('answers recovered:false for another epoch', async () => {
    const { roomId, lastSeen, b } = await missMessages(2);
    const ack = await emitAck(b, 'room:join', { roomId, since: { seq: lastSeen, epoch: 'not-the-epoch' } });
    expect(ack).toMatchObject({ ok: true, recovered: false });
    expect(seqsOf(ack)).toEqual([1, 2, 3, 4, 5]);
  });

  it('answers recovered:false for a seq the room never reached', async () => {
    const { roomId, epoch, b } = await missMessages(1);
    const ack = await emitAck(b, 'room:join', { roomId, since: { seq: 99, epoch } });
    expect(ack).toMatchObject({ ok: true, recovered: false });
  });
});

describe('/chat recovery with HISTORY_SIZE=10', () => {
  const { missMessages } = recovery(useChatApp({ HISTORY_SIZE: '10' }));

  it('recovers when the missed messages exactly fill the history', async () => {
    const { roomId, epoch, lastSeen, b } = await missMessages(10);
    const ack = await emitAck(b, 'room:join', { roomId, since: { seq: lastSeen, epoch } });
    expect(ack).toMatchObject({ ok: true, recovered: true, room: { lastSeq: 13 } });
    expect(seqsOf(ack)).toEqual(range(4, 13));
  });

  it('answers recovered:false when more messages were missed than history holds', async () => {
    const { roomId, epoch, lastSeen, b } = await missMessages(12);
    const ack = await emitAck(b, 'room:join', { roomId, since: { seq: lastSeen, epoch } });
    expect(ack).toMatchObject({ ok: true, recovered: false, room: { lastSeq: 15 } });
    expect(seqsOf(ack)).toEqual(range(6, 15));
  });
});
