import request from 'supertest';
import { InstanceIdentity } from '../../src/cluster/instance-identity.js';
import { CHAT_ENGINE, type ChatEngine } from '../../src/engine/engine.port.js';
import { adminToken } from '../utils/admin.js';
import { createRoom, guest, nextEvent } from '../utils/clients.js';
import { useCluster } from '../utils/cluster.js';

/**
 * An instance that could not reach Redis for a while may be taken for dead by the others, which
 * release its seats. When it is heard again, its sockets (still connected to it) are seated again.
 */
describe('cluster: an instance taken for dead comes back', () => {
  const cluster = useCluster({ HEARTBEAT_INTERVAL_MS: '200', INSTANCE_TTL_MS: '1000' });

  it('seats its sockets again and tells the room they are back', async () => {
    const [a, b] = cluster.nodes;
    const [ada, bob] = await Promise.all([guest(a.url, 'ada'), guest(b.url, 'bob')]);
    const room = await createRoom(a.url, ada.accessToken);
    const roomId = room.id as string;
    const onA = await a.open(ada);
    const onB = await b.open(bob);
    await cluster.join(onA, roomId);
    await cluster.join(onB, roomId);

    // What a peer does when B's heartbeats stop arriving: B's seats are released.
    const engine = b.app.app.get<ChatEngine>(CHAT_ENGINE);
    const reaped = await engine.reapInstance(b.app.app.get(InstanceIdentity).id);
    expect(reaped.map((seat) => seat.user)).toEqual([bob.user]);
    const admin = await adminToken(a.url);
    const client = (): request.Test =>
      request(a.url).get(`/api/v1/admin/clients/${onB.id}`).set('Authorization', `Bearer ${admin}`);
    await client().expect(404);
    const back = nextEvent(onA, 'room:member-joined', (e) => e.user.id === bob.user.id);

    // B's next heartbeat finds it was dropped from the registry and seats bob again.
    expect(await back).toEqual({ roomId, user: bob.user, memberCount: 2 });
    const members = await request(a.url)
      .get(`/api/v1/rooms/${roomId}/members`)
      .set('Authorization', `Bearer ${ada.accessToken}`)
      .expect(200);
    expect(members.body).toEqual([ada.user, bob.user]);
    // ...and registers bob's socket again, in the room it is in.
    const listed = await client().expect(200);
    expect(listed.body).toMatchObject({ socketId: onB.id, user: bob.user, rooms: [roomId] });
    const seen = nextEvent(onB, 'message:new', (m) => m.content === 'still here?');
    expect((await onA.emitWithAck('message:send', { roomId, content: 'still here?' })).ok).toBe(true);
    expect((await seen).content).toBe('still here?');
  });
});
