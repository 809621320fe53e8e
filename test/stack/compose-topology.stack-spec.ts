import { io, type Socket } from 'socket.io-client';
import request from 'supertest';
import { ADMIN } from '../utils/admin.js';
import { emitAck, guest, type AuthBody } from '../utils/clients.js';
import { startLoopbackStack, type LoopbackStack } from './loopback-stack.js';

interface Message {
  seq: number;
  content: string;
}

/**
 * A chat client through the load balancer, from its own loopback address (nginx pins an address to
 * an instance). It keeps every message it saw by seq and, after socket.io-client reconnects it,
 * joins its room again with `since` to recover what it missed.
 */
class StackClient {
  readonly socket: Socket;
  readonly seen = new Map<number, Message>();
  epoch = '';
  reconnects = 0;
  recoveries: boolean[] = [];
  private rejoined: Promise<void> = Promise.resolve();

  constructor(
    url: string,
    readonly user: AuthBody,
    readonly localAddress: string,
    private readonly roomId: string,
  ) {
    this.socket = io(`${url}/chat`, {
      auth: { token: user.accessToken },
      transports: ['websocket'],
      localAddress,
      reconnectionDelay: 100,
      reconnectionDelayMax: 500,
    } as Parameters<typeof io>[1]);
    this.socket.on('message:new', (m: Message) => this.seen.set(m.seq, m));
    this.socket.io.on('reconnect', () => {
      this.reconnects += 1;
      this.rejoined = this.join(true);
    });
  }

  async join(recovering = false): Promise<void> {
    const since = recovering ? { seq: Math.max(0, ...this.seen.keys()), epoch: this.epoch } : undefined;
    const ack = await emitAck(this.socket, 'room:join', { roomId: this.roomId, ...(since ? { since } : {}) });
    expect(ack).toMatchObject({ ok: true });
    this.epoch = (ack.room as { epoch: string }).epoch;
    for (const m of ack.messages as Message[]) {
      this.seen.set(m.seq, m);
    }
    if (recovering) {
      this.recoveries.push(ack.recovered as boolean);
    }
  }

  /** Resolves once the latest reconnection's join went through. */
  settled(): Promise<void> {
    return this.rejoined;
  }
}

const until = async (done: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out: ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

describe('the docker-compose topology on loopback: redis, two built instances, nginx', () => {
  let stack: LoopbackStack;
  const clients: StackClient[] = [];

  beforeAll(async () => {
    stack = await startLoopbackStack(2);
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) {
      client.socket.close();
    }
    await stack?.stop();
  }, 30_000);

  it('chats across both instances, and survives one of them stopping with nothing acknowledged lost', async () => {
    const api = (path: string, token: string) => request(stack.url).get(path).set('Authorization', `Bearer ${token}`);
    const admin = (await request(stack.url).post('/api/v1/admin/login').send(ADMIN).expect(200)).body
      .accessToken as string;
    expect((await api('/api/v1/admin/instances', admin).expect(200)).body.items).toHaveLength(2);
    const owner = await guest(stack.url, 'owner');
    const roomId = (
      await request(stack.url)
        .post('/api/v1/rooms')
        .set('Authorization', `Bearer ${owner.accessToken}`)
        .send({ name: 'stack', maxUsers: 100 })
        .expect(201)
    ).body.id as string;

    // Clients from 127.0.0.2, .3, … until both instances hold some (nginx hashes the address).
    const byInstance = new Map<string, StackClient[]>();
    for (let host = 2; host < 40 && (byInstance.size < 2 || clients.length < 8); host += 1) {
      const user = await guest(stack.url, `user${host}`);
      const client = new StackClient(stack.url, user, `127.0.0.${host}`, roomId);
      await new Promise((resolve) => client.socket.once('session', resolve));
      await client.join();
      clients.push(client);
      const listed = await api(`/api/v1/admin/clients/${client.socket.id}`, admin).expect(200);
      expect(listed.body.ip).toBe(`127.0.0.${host}`);
      byInstance.set(listed.body.instanceId, [...(byInstance.get(listed.body.instanceId) ?? []), client]);
    }
    expect(byInstance.size).toBe(2);

    // Everyone talks once; everyone hears everyone, whichever instance they are on.
    for (const client of clients) {
      await emitAck(client.socket, 'message:send', { roomId, content: `hello from ${client.localAddress}` });
    }
    await until(() => clients.every((c) => c.seen.size === clients.length), 'everyone heard everyone');

    // One instance stops (SIGTERM) mid-conversation while the others keep talking.
    const instances = (await api('/api/v1/admin/instances', admin).expect(200)).body.items as {
      id: string;
      pid: number;
    }[];
    const [stayingId, leavingId] = [...byInstance.keys()];
    const leaving = stack.instances.find((i) => i.proc.pid === instances.find((x) => x.id === leavingId)?.pid)!;
    const moved = byInstance.get(leavingId)!;
    const talkers = byInstance.get(stayingId)!;
    const acked = new Set<number>();
    let talking = true;
    const talk = (async () => {
      for (let n = 0; talking; n += 1) {
        const sender = talkers[n % talkers.length];
        const ack = await emitAck(sender.socket, 'message:send', { roomId, content: `during ${n}` });
        if (ack.ok) {
          acked.add((ack.message as Message).seq);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    await until(() => acked.size >= 10, 'some messages before the stop');
    const started = Date.now();
    const ended = await leaving.terminate();
    const shutdownMs = Date.now() - started;
    // Nest runs the shutdown hooks, then ends the process with the signal it got.
    expect([ended.code, ended.signal]).toEqual([null, 'SIGTERM']);
    expect(leaving.output()).toMatch(/Shutting down: handing \d+ client connection\(s\) over/);
    expect(leaving.output()).not.toMatch(/longer than|ERROR/);
    expect(shutdownMs).toBeLessThan(5000);
    await until(() => moved.every((c) => c.reconnects === 1 && c.socket.connected), 'the moved clients reconnected');
    await Promise.all(moved.map((c) => c.settled()));
    const afterMove = acked.size;
    await until(() => acked.size >= afterMove + 10, 'more messages after the move');
    talking = false;
    await talk;
    // The moved clients talk again, now through the instance that stayed.
    for (const client of moved) {
      const ack = await emitAck(client.socket, 'message:send', { roomId, content: `back ${client.localAddress}` });
      expect(ack).toMatchObject({ ok: true });
      acked.add((ack.message as Message).seq);
    }

    const last = Math.max(...acked);
    await until(
      () => clients.every((c) => [...acked].every((seq) => c.seen.has(seq))),
      'every acked message everywhere',
    );
    for (const client of clients) {
      // Nothing acknowledged is lost, and no seq is missing up to the last one.
      expect([...client.seen.keys()].filter((seq) => seq <= last).sort((a, b) => a - b)).toEqual(
        Array.from({ length: last }, (_, i) => i + 1),
      );
    }
    expect(moved.map((c) => c.reconnects)).toEqual(moved.map(() => 1));
    expect(moved.flatMap((c) => c.recoveries)).toEqual(moved.map(() => true));
    expect(talkers.every((c) => c.reconnects === 0)).toBe(true);
    const after = (await api('/api/v1/admin/instances', admin).expect(200)).body.items as { id: string }[];
    expect(after.map((i) => i.id)).toEqual([stayingId]);
    const listed = (await api('/api/v1/admin/clients?limit=100', admin).expect(200)).body.items as {
      instanceId: string;
    }[];
    expect(listed.filter((c) => c.instanceId !== stayingId)).toEqual([]);
    expect(listed).toHaveLength(clients.length);
  }, 90_000);
});
