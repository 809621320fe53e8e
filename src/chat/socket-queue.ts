import type { ChatSocket } from './chat-socket.js';

/**
 * Runs a socket's events one after another, in the order they arrived, so that a `room:leave` or
 * `user:rename` sent while a `room:join` is still being checked applies after that join. An idle
 * socket keeps no queue at all: holding the last ack (a join's member list) cost every idle
 * connection a copy of its room's members, and even a settled Promise costs one per connection.
 */
export function serially<T>(socket: ChatSocket, task: () => Promise<T>): Promise<T> {
  const previous = socket.data.queue ?? Promise.resolve();
  const run = previous.then(task);
  const tail: Promise<void> = run.then(
    () => release(socket, tail),
    () => release(socket, tail),
  );
  socket.data.queue = tail;
  return run;
}

/** Forgets the queue once its last task is done, unless another task was queued meanwhile. */
function release(socket: ChatSocket, tail: Promise<void>): void {
  if (socket.data.queue === tail) {
    socket.data.queue = undefined;
  }
}
