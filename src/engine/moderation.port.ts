import type { Page, UserRef } from './engine.types.js';

/** A connected `/chat` socket as the cluster-wide registry knows it. */
export interface ClientRecord {
  socketId: string;
  user: UserRef;
  ip: string;
  /** The instance that holds the connection. */
  instanceId: string;
  connectedAt: number;
}

/** A registered socket together with the rooms it is seated in now. */
export interface ClientInfo extends ClientRecord {
  roomIds: string[];
}

/** Most sockets one user, and one IP address, may hold at once. */
export interface ClientCaps {
  perUser: number;
  perIp: number;
}

export type RegisterOutcome = 'registered' | 'user-full' | 'ip-full';

export interface ClientListQuery {
  limit: number;
  /** Opaque position from an earlier page; a malformed one rejects with VALIDATION_FAILED. */
  cursor?: string;
  /** Only sockets seated in this room. */
  roomId?: string;
  /** Only sockets whose username contains it (A–Z case ignored), or whose user id or IP equals it. */
  q?: string;
}

export interface BanRecord {
  id: string;
  userId: string | null;
  ip: string | null;
  reason: string;
  createdAt: number;
  /** When the ban ends (ms since the epoch), null when permanent. */
  until: number | null;
  /** The admin who issued it. */
  createdBy: string;
}

export type ModerationAction =
  'room.closed' | 'message.deleted' | 'announcement' | 'client.kicked' | 'ban.created' | 'ban.lifted';

/** What a moderation action was applied to; only the fields that apply are set. */
export interface ModerationTarget {
  roomId?: string;
  messageId?: string;
  socketId?: string;
  userId?: string;
  username?: string;
  ip?: string;
  banId?: string;
}

export interface ModerationEntry {
  id: string;
  at: number;
  /** The admin who acted. */
  actor: string;
  action: ModerationAction;
  target: ModerationTarget;
  reason: string | null;
}

/**
 * Every connected `/chat` socket of the cluster, so that admins list and find clients without
 * asking every instance (no `fetchSockets` broadcast). Instances register a socket once its
 * handshake is accepted and unregister it when it disconnects; the sockets of an instance that
 * died are dropped by whoever reaps it.
 */
export interface ClientRegistry {
  /**
   * Records a connected socket (registering the same socket again replaces it). With `caps`, the
   * socket is recorded only if the user and the IP hold fewer sockets than their cap, checked and
   * recorded in one atomic step (racing handshakes cannot both take the last slot).
   */
  register(client: ClientRecord, caps?: ClientCaps): Promise<RegisterOutcome>;

  /** Forgets a socket; forgetting an unknown one is a no-op. */
  unregister(socketId: string): Promise<void>;

  /** The socket with the rooms it is seated in, or null when it is not connected. */
  get(socketId: string): Promise<ClientInfo | null>;

  /**
   * Connected sockets, newest connection first, `limit` per page, filtered by `roomId` and `q`.
   * `nextCursor` is null exactly when no further socket matches.
   */
  list(query: ClientListQuery): Promise<Page<ClientInfo>>;

  /** How many sockets of the user, or from the IP address, are registered. */
  count(by: { userId: string } | { ip: string }): Promise<number>;

  /** Gives the user's registered sockets the new name. */
  rename(userId: string, username: string): Promise<void>;

  /** Forgets every socket that the instance held (it died or was reaped). */
  dropInstance(instanceId: string): Promise<void>;
}

/** Bans by user id and/or IP, permanent or until a time; ended bans are never returned. */
export interface BanStore {
  /** Stores a new ban (ids are unique, caller-made). */
  create(ban: BanRecord): Promise<void>;

  /** Bans in force at `now`, newest first, with cursors like every listing. */
  list(query: { limit: number; cursor?: string; now: number }): Promise<Page<BanRecord>>;

  /** Lifts a ban; returns it, or null when there was no such ban in force. */
  remove(banId: string, now: number): Promise<BanRecord | null>;

  /**
   * The ban in force at `now` against the user id or the IP (either may be null), or null. When
   * several apply, the one that ends last (a permanent one first).
   */
  match(userId: string | null, ip: string | null, now: number): Promise<BanRecord | null>;
}

/** The record of what admins did, newest first, capped to the most recent entries. */
export interface ModerationLog {
  /** Appends an entry, dropping the oldest ones beyond `keep`. */
  append(entry: ModerationEntry, keep: number): Promise<void>;

  /** Entries newest first, with cursors. */
  list(query: { limit: number; cursor?: string }): Promise<Page<ModerationEntry>>;
}
