import type { ChatSocket } from './chat-socket.js';

/**
 * Runs a socket's events one after another, in the order they arrived, so that a `room:leave` or
 * `user:rename` sent while a `room:join` is still being checked applies after that join.
 */
export function serially<T>(socket: ChatSocket, task: () => Promise<T>): Promise<T> {
  const previous = socket.data.queue ?? Promise.resolve();
  const run = previous.then(task);
  socket.data.queue = run.catch(() => undefined);
  return run;
}
