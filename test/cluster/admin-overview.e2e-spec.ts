import { adminToken, overview, overviewRequest, pollOverview, type Overview } from '../utils/admin.js';
import { createRoom, emitAck, guest } from '../utils/clients.js';
import { useCluster } from '../utils/cluster.js';

/** Re-reads the overview until it equals `expected`. */
const pollMatching = (url: string, token: string, expected: Overview): Promise<Overview> =>
  pollOverview(url, token, (o) =>
    (Object.keys(expected) as (keyof Overview)[]).every((key) => o[key] === expected[key]),
  );

describe('GET /admin/overview across a cluster of two', () => {
  const cluster = useCluster({ HEARTBEAT_INTERVAL_MS: '200', INSTANCE_TTL_MS: '1000' });
  const [a, b] = cluster.nodes;

  it('refuses a missing or user token on either instance: 401', async () => {
    for (const node of [a, b]) {
      const user = await guest(node.url, 'not-an-admin');
      for (const res of [await overviewRequest(node.url), await overviewRequest(node.url, user.accessToken)]) {
        expect(res.status).toBe(401);
        expect(res.body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
      }
    }
  });

  it('reports 2 instances on either instance, with exactly the overview keys', async () => {
    for (const node of [a, b]) {
      const body = await overview(node.url, await adminToken(node.url));
      expect(Object.keys(body).sort()).toEqual(['connections', 'instances', 'messagesLastMinute', 'rooms', 'users']);
      for (const value of Object.values(body)) {
        expect(typeof value).toBe('number');
      }
      expect(body.instances).toBe(2);
    }
  });

  it('sums connections, users and messages over both instances and counts a room once', async () => {
    const adminA = await adminToken(a.url);
    const adminB = await adminToken(b.url);
    const before = await overview(a.url, adminA);
    expect(before.instances).toBe(2);

    const owner = await guest(a.url, 'owner');
    const room = await createRoom(a.url, owner.accessToken, { name: 'shared' });
    const roomId = room.id as string;
    // rooms comes from the shared store: counted once, at once, on both instances.
    expect((await overview(a.url, adminA)).rooms).toBe(before.rooms + 1);
    expect((await overview(b.url, adminB)).rooms).toBe(before.rooms + 1);

    // A: 2 sockets of alice, 1 of bob; B: 1 socket of carol (distinct users on each instance).
    const alice = await guest(a.url, 'alice');
    const bob = await guest(a.url, 'bob');
    const carol = await guest(b.url, 'carol');
    const onA = await a.open(alice);
    await a.open(alice);
    await a.open(bob);
    const onB = await b.open(carol);
    await cluster.join(onA, roomId);
    await cluster.join(onB, roomId);

    // 2 messages stored through A, 3 through B.
    for (const [socket, count] of [
      [onA, 2],
      [onB, 3],
    ] as const) {
      for (let i = 1; i <= count; i += 1) {
        expect(await emitAck(socket, 'message:send', { roomId, content: `m${i}` })).toMatchObject({ ok: true });
      }
    }

    const expected: Overview = {
      instances: 2,
      connections: before.connections + 4,
      users: before.users + 3,
      rooms: before.rooms + 1,
      messagesLastMinute: before.messagesLastMinute + 5,
    };
    expect(await pollMatching(a.url, adminA, expected)).toEqual(expected);
    expect(await pollMatching(b.url, adminB, expected)).toEqual(expected);

    // One of alice's two sockets and carol's only one close: alice still counts, carol no longer.
    onA.close();
    onB.close();
    const afterClosing: Overview = { ...expected, connections: before.connections + 2, users: before.users + 2 };
    expect(await pollMatching(a.url, adminA, afterClosing)).toEqual(afterClosing);
  });
});
