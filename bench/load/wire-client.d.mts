// Types of wire-client.mjs, for the TypeScript tests that drive it (test/bench/), and the one
// declaration of the load workers' connection types (clients.mjs and worker.mjs refer to them).

export interface Conn {
  /** Rejects with the refusal's code, or an error saying no answer came in time (JOIN_TIMEOUT here). */
  join(roomId: string, timeoutMs: number): Promise<void>;
  /** done(null) on success, else the refusal's code, ACK_TIMEOUT, or DISCONNECTED. */
  send(
    roomId: string,
    content: string,
    clientMsgId: string,
    timeoutMs: number,
    done: (error: string | null) => void,
  ): void;
  connected(): boolean;
  /** An intended close (not reported to `closed`). */
  close(): void;
}

export interface ConnHandlers {
  /** A message:new arrived (its content). */
  message(content: string): void;
  /** The connection dropped without close() being called. */
  closed(reason: string): void;
}

export interface ConnSpec {
  url: string;
  token?: string;
  localAddress: string;
  timeoutMs: number;
}

export function parsePacket(text: string): { type: string; id: number; json: string } | null;

export function openSocketIoWire(spec: ConnSpec, handlers: ConnHandlers): Promise<Conn>;
