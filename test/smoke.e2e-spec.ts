import request from 'supertest';
import { startApp, type TestApp } from './utils/app.js';
import { connect, createRoom, emitAck, guest, nextEvent } from './utils/clients.js';

describe('smoke', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates a room, joins it and chats', async () => {
    const ada = await guest(t.url, 'ada');
    const bob = await guest(t.url, 'bob');
    const room = await createRoom(t.url, ada.accessToken);
    const a = await connect(t.url, ada.accessToken);
    const b = await connect(t.url, bob.accessToken);
    expect((await emitAck(a, 'room:join', { roomId: room.id })).ok).toBe(true);
    const joined = nextEvent(a, 'room:member-joined');
    expect((await emitAck(b, 'room:join', { roomId: room.id })).ok).toBe(true);
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
    a.close();
    b.close();
  });
});
