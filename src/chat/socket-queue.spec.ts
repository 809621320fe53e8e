import type { ChatSocket } from './chat-socket.js';
import { serially } from './socket-queue.js';

const socketStub = (): ChatSocket => ({ data: {} }) as unknown as ChatSocket;

describe('serially', () => {
  it("runs a socket's tasks in arrival order, a failed one included", async () => {
    const socket = socketStub();
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = serially(socket, async () => {
      await gate;
      order.push('join');
      throw new Error('refused');
    });
    const next = serially(socket, () => {
      order.push('leave');
      return Promise.resolve('left');
    });
    release();
    await expect(slow).rejects.toThrow('refused');
    await expect(next).resolves.toBe('left');
    expect(order).toEqual(['join', 'leave']);
  });

  it('keeps nothing on the socket once its tasks are done (a join ack holds the whole member list)', async () => {
    const socket = socketStub();
    const members = Array.from({ length: 1000 }, (_, i) => ({ id: `u${i}` }));
    const first = serially(socket, () => Promise.resolve({ ok: true, members }));
    const queued = socket.data.queue;
    const second = serially(socket, () => Promise.reject(new Error('refused')));
    await first;
    await queued;
    // The second task was queued behind the first: the queue is still there until it is done.
    expect(socket.data.queue).toBeDefined();
    await expect(second).rejects.toThrow('refused');
    await socket.data.queue;
    expect(socket.data.queue).toBeUndefined();
  });
});
