import type { ChatSocket } from './chat-socket.js';

const settled = (): void => undefined;

/**
 * Runs a socket's events one after another, in the order they arrived, so that a `room:leave` or
 * `user:rename` sent while a `room:join` is still being checked applies after that join. The
 * queue keeps no result: holding the last ack (a join's member list) cost every idle connection
 * a copy of its room's members.
 */
export function serially<T>(socket: ChatSocket, task: () => Promise<T>): Promise<T> {
  const previous = socket.data.queue ?? Promise.resolve();
  const run = previous.then(task);
  socket.data.queue = run.then(settled, settled);
  return run;
}
