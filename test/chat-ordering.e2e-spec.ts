import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import { TEST_ENV } from './utils/app.js';
import { createRoom, emitAck, guest, type Ack } from './utils/clients.js';
import { useChatApp } from './utils/harness.js';

const jwt = new JwtService({});
const decode = (token: string): { exp: number } => jwt.decode(token);

/** Events of one socket apply in the order they were sent; tokens and unknown events. */
describe('/chat event order, re-issued tokens and unknown events', () => {
  const t = useChatApp({ SCRYPT_COST: String(2 ** 14) });

  it('applies a rename sent right behind a (slow) join to that room too', async () => {
    const [owner, bob] = await Promise.all([guest(t.url, 'owner'), guest(t.url, 'bob')]);
    const room = await createRoom(t.url, owner.accessToken, { password: 'open sesame' });
    const socket = await t.open(bob);
    const [joined, renamed] = await Promise.all([
      emitAck(socket, 'room:join', { roomId: room.id, password: 'open sesame' }),
      emitAck(socket, 'user:rename', { username: 'bobby' }),
    ]);
    expect(joined).toMatchObject({ ok: true, members: [{ username: 'bob' }] });
    expect(renamed).toMatchObject({ ok: true, user: { username: 'bobby' } });
    const members = await request(t.url)
      .get(`/api/v1/rooms/${room.id}/members`)
      .set('Authorization', `Bearer ${bob.accessToken}`)
      .expect(200);
    expect(members.body.map((u: { username: string }) => u.username)).toEqual(['bobby']);
  });

  it('applies a leave sent right behind a (slow) join: the user is not left in the room', async () => {
    const [owner, cy] = await Promise.all([guest(t.url, 'owner'), guest(t.url, 'cy')]);
    const room = await createRoom(t.url, owner.accessToken, { password: 'open sesame' });
    const socket = await t.open(cy);
    const acks = await Promise.all([
      emitAck(socket, 'room:join', { roomId: room.id, password: 'open sesame' }),
      emitAck(socket, 'room:leave', { roomId: room.id }),
    ]);
    expect(acks.map((a: Ack) => a.ok)).toEqual([true, true]);
    const after = await request(t.url).get(`/api/v1/rooms/${room.id}`).expect(200);
    expect(after.body.memberCount).toBe(0);
    expect((await emitAck(socket, 'message:send', { roomId: room.id, content: 'hi' })).error?.code).toBe(
      'NOT_A_MEMBER',
    );
  });

  it('never re-issues a token that outlives the one the socket connected with', async () => {
    const exp = Math.floor(Date.now() / 1000) + 120;
    const token = jwt.sign(
      { sub: 'ext-1', name: 'Ext', kind: 'external', aud: 'chat', exp },
      { secret: TEST_ENV.JWT_SECRET, algorithm: 'HS256' },
    );
    const socket = await t.open(token);
    const renamed = await emitAck(socket, 'user:rename', { username: 'Ext Two' });
    expect(renamed.ok).toBe(true);
    expect(decode(renamed.accessToken as string).exp).toBe(exp);
    expect(renamed.expiresIn).toBeLessThanOrEqual(120);
    const same = await emitAck(socket, 'user:rename', { username: 'Ext Two' });
    expect(decode(same.accessToken as string).exp).toBe(exp);
    const me = await request(t.url)
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${renamed.accessToken as string}`)
      .expect(200);
    expect(me.body).toEqual({ id: 'ext-1', username: 'Ext Two', kind: 'external' });
  });

  it('refuses a token whose audience is a list, even one that contains "chat"', async () => {
    const token = jwt.sign(
      { sub: 'u1', name: 'Eve', kind: 'guest', aud: ['chat-admin', 'chat'] },
      { secret: TEST_ENV.JWT_SECRET, algorithm: 'HS256', expiresIn: 60 },
    );
    const res = await request(t.url).get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
    expect(res.body.code).toBe('UNAUTHORIZED');
    await expect(t.open(token)).rejects.toMatchObject({ message: 'UNAUTHORIZED' });
  });

  it('answers an unknown event that asks for an ack with VALIDATION_FAILED', async () => {
    const socket = await t.open(await guest(t.url, 'dora'));
    const ack = await emitAck(socket, 'room:teleport', { roomId: 'x' });
    expect(ack).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: 'Unknown event "room:teleport"' },
    });
  });

  it('refuses null for a field that may only be left out', async () => {
    const [owner, fay] = await Promise.all([guest(t.url, 'owner'), guest(t.url, 'fay')]);
    const room = await createRoom(t.url, owner.accessToken);
    const socket = await t.open(fay);
    await t.join(socket, room.id);
    const payloads: Array<[string, object]> = [
      ['message:send', { roomId: room.id, content: 'hi', clientMsgId: null }],
      ['room:history', { roomId: room.id, after: null }],
      ['room:join', { roomId: room.id, password: null }],
    ];
    for (const [event, payload] of payloads) {
      expect(await emitAck(socket, event, payload)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    }
    const res = await request(t.url)
      .post('/api/v1/rooms')
      .set('Authorization', `Bearer ${owner.accessToken}`)
      .send({ name: 'r', password: null })
      .expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    // Nothing was stored by the refused send.
    expect(await emitAck(socket, 'message:send', { roomId: room.id, content: 'one' })).toMatchObject({
      message: { seq: 1 },
    });
  });

  it('names a payload that is not an object as such', async () => {
    const socket = await t.open(await guest(t.url, 'eve'));
    const ack = await emitAck(socket, 'message:send', 'hello');
    expect(ack).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: 'The payload must be an object' },
    });
  });
});
