import request from 'supertest';
import { createRoom, emitAck, guest, nextEvent } from './utils/clients.js';
import { useChatApp } from './utils/harness.js';

describe('smoke', () => {
  const t = useChatApp();

  it('creates a room, joins it and chats', async () => {
    const ada = await guest(t.url, 'ada');
    const bob = await guest(t.url, 'bob');
    const room = await createRoom(t.url, ada.accessToken);
    const a = await t.open(ada);
    const b = await t.open(bob);
    await t.join(a, room.id);
    const joined = nextEvent(a, 'room:member-joined');
    await t.join(b, room.id);
    expect((await joined).user.username).toBe('bob');
    const got = nextEvent(b, 'message:new');
    const ack = await emitAck(a, 'message:send', { roomId: room.id, content: 'hi' });
    expect(ack).toMatchObject({ ok: true, message: { seq: 1, content: 'hi' } });
    expect(await got).toMatchObject({ seq: 1, content: 'hi', username: 'ada' });
    const bad = await emitAck(a, 'message:send', 'nope');
    expect(bad.error?.code).toBe('VALIDATION_FAILED');
    const res = await request(t.url)
      .get(`/api/v1/rooms/${room.id}/messages`)
      .set('Authorization', `Bearer ${bob.accessToken}`)
      .expect(200);
    expect(res.body.items).toHaveLength(1);
  });
});
