import type { ServerOptions } from 'socket.io';
import type {
  AccountRecord,
  AppendQuota,
  AppendResult,
  HistoryQuery,
  JoinResult,
  LeaveResult,
  MessageRecord,
  Page,
  QuotaAppendResult,
  RoomRecord,
  AttemptCount,
  InstanceInfo,
  ReapedSeat,
  RoomListQuery,
  RoomState,
  RoomStats,
  UserRef,
} from './engine.types.js';
import type { BanStore, ClientRegistry, ModerationLog } from './moderation.port.js';
import type { RateLimitStore } from './rate-limit.port.js';

/** DI token of the {@link ChatEngine} in use. */
export const CHAT_ENGINE = Symbol('CHAT_ENGINE');

/** DI token of the Socket.IO adapter that goes with the engine (null: Socket.IO's in-memory one). */
export const SOCKET_ADAPTER = Symbol('SOCKET_ADAPTER');

/** What Socket.IO's `adapter` option takes. */
export type SocketAdapterFactory = NonNullable<ServerOptions['adapter']>;

/**
 * The one interface through which services read and write chat state. Every method is atomic on
 * its own: a caller never has to read, decide and write in two calls. The memory engine serves a
 * single node; other engines must pass the same contract suite (test/engine/engine.contract.ts).
 * "Now" is always passed in by the caller so that expiry is decided in one place.
 */
export interface ChatEngine {
  /** Every connected `/chat` socket of the cluster. */
  readonly clients: ClientRegistry;

  /** Bans by user id or IP. */
  readonly bans: BanStore;

  /** What admins did. */
  readonly moderationLog: ModerationLog;

  /** Sliding-window rate limits that hold across instances. */
  readonly rateLimits: RateLimitStore;

  /** Stores a new room with an empty history and a fresh epoch. Ids are unique (caller-made). */
  createRoom(room: RoomRecord): Promise<RoomState>;

  /** The room, or null when it does not exist or `expiresAt <= now`. */
  getRoom(roomId: string, now: number): Promise<RoomState | null>;

  /**
   * Unexpired rooms, newest first, `limit` per page. `cursor` is an opaque position from an earlier
   * page (still valid when rooms were created or deleted since); a malformed cursor rejects with
   * ChatError VALIDATION_FAILED. `nextCursor` is null exactly when no further room matches. With
   * `nameContains`, only rooms whose name contains it, ignoring the case of A–Z (see asciiLower).
   */
  listRooms(query: RoomListQuery): Promise<Page<RoomState>>;

  /**
   * Removes the room with its history, presence, grants and idempotency keys. Returns the room
   * when this call removed it and null when it was already gone, so exactly one caller closes it.
   */
  deleteRoom(roomId: string): Promise<RoomRecord | null>;

  /** How many rooms are live (not expired) at `now`. */
  countRooms(now: number): Promise<number>;

  /** Ids of rooms whose `expiresAt <= now`, earliest first, at most `limit`. */
  dueRooms(now: number, limit: number): Promise<string[]>;

  /** The earliest `expiresAt` of any stored room, or null when there is none. */
  nextExpiry(): Promise<number | null>;

  /**
   * Seats `socketId` of `user` in the room. A user already seated through another socket takes no
   * new seat; otherwise a seat is taken only if fewer than `maxUsers` users are seated, and two
   * racing calls can never both take the last seat. Joining again with the same socket is a no-op.
   * The socket is recorded as held by this engine's instance, so that it can be reaped.
   */
  joinRoom(roomId: string, user: UserRef, socketId: string, now: number): Promise<JoinResult>;

  /** Removes one socket of a user from the room; the user leaves with their last socket. */
  leaveRoom(roomId: string, userId: string, socketId: string): Promise<LeaveResult>;

  /** Participants and last activity of the room, or null when it does not exist. */
  roomStats(roomId: string): Promise<RoomStats | null>;

  /** Users seated in the room now, in the order they joined. */
  listMembers(roomId: string): Promise<UserRef[]>;

  /** Whether the user is seated in the room through any socket. */
  isMember(roomId: string, userId: string): Promise<boolean>;

  /**
   * Updates the user's name wherever they are seated. Returns the ids of the rooms they are in.
   */
  renameMember(userId: string, username: string): Promise<string[]>;

  /**
   * Appends a message and assigns it the next seq of the room (1, 2, 3, … without gaps), trimming
   * history to `historySize`. With a `clientMsgId` already used by the same user in the same room,
   * nothing is appended and the original message is returned as a duplicate. A room that is
   * unknown, or expired at `draft.sentAt` though not yet deleted, answers `missing`. An appended
   * message is published to the message listeners (see `subscribeMessages`) in the same atomic step.
   * With a `quota`, a hit is first taken on that sliding window (the one `rateLimits.hit` keeps
   * under the same key) in the same atomic step: when the window is full, nothing else happens and
   * the answer is `rate-limited` (one round trip per message on a shared store).
   */
  appendMessage(
    roomId: string,
    draft: Omit<MessageRecord, 'seq' | 'roomId'>,
    historySize: number,
  ): Promise<AppendResult>;
  appendMessage(
    roomId: string,
    draft: Omit<MessageRecord, 'seq' | 'roomId'>,
    historySize: number,
    quota: AppendQuota,
  ): Promise<QuotaAppendResult>;

  /**
   * Passes every message appended from now on, through this engine or any other instance sharing
   * its store, to `listener`: each message once and, per room, in seq order (storing and publishing
   * are one atomic step, so concurrent appends on several instances cannot overtake each other).
   * Duplicates (a repeated clientMsgId) are not published. Resolves once listening.
   */
  subscribeMessages(listener: (message: MessageRecord) => void): Promise<void>;

  /**
   * Messages still in history, ascending by seq (API.md §3): `limit` alone gives the latest;
   * `before` the latest below it; `after` the first above it; `after` with `before` the first
   * `limit` inside the window.
   */
  getMessages(roomId: string, query: HistoryQuery): Promise<MessageRecord[]>;

  /** The smallest seq still in history, or null when history is empty. */
  firstSeq(roomId: string): Promise<number | null>;

  /** Removes one message from history. Returns it, or null when it was not there. */
  deleteMessage(roomId: string, messageId: string): Promise<MessageRecord | null>;

  /** Records that the user gave the right password; lasts as long as the room. */
  grantAccess(roomId: string, userId: string): Promise<void>;

  hasAccess(roomId: string, userId: string): Promise<boolean>;

  /** Stores an account unless its username is taken (case-insensitive). Returns false if taken. */
  createAccount(account: AccountRecord): Promise<boolean>;

  findAccountByUsername(username: string): Promise<AccountRecord | null>;

  findAccountById(id: string): Promise<AccountRecord | null>;

  /** Renames an account unless the new name is taken by another account. */
  renameAccount(id: string, username: string): Promise<'renamed' | 'taken' | 'missing'>;

  /**
   * Records that an instance is alive; `wasRegistered` is false on its first heartbeat and after
   * it was reaped (its seats were released meanwhile). It counts as live until `lastHeartbeat + ttlMs`; after
   * that it is stale and its seats can be reaped.
   */
  heartbeat(instance: InstanceInfo, ttlMs: number): Promise<{ wasRegistered: boolean }>;

  /** Instances whose last heartbeat is within their TTL at `now`, in id order. */
  listInstances(now: number): Promise<InstanceInfo[]>;

  /** Ids of instances whose TTL ran out before `now` and that were not reaped yet. */
  staleInstances(now: number): Promise<string[]>;

  /**
   * Releases every seat that sockets of the instance held and forgets the instance and its
   * registered clients. Exactly one of several racing callers gets the seats; the others get an
   * empty list.
   */
  reapInstance(instanceId: string): Promise<ReapedSeat[]>;

  /**
   * Counts one attempt under `key` (for example a failed login) in a fixed window of `windowMs`
   * that starts with the first attempt. Returns the count so far and when the window ends.
   */
  countAttempt(key: string, windowMs: number, now: number): Promise<AttemptCount>;

  /** The attempts counted under `key` in its current window, or null when there are none. */
  getAttempts(key: string, now: number): Promise<AttemptCount | null>;

  /** Forgets the attempts under `key`. */
  clearAttempts(key: string): Promise<void>;

  /** Resolves when the backing store answers; rejects otherwise. */
  ping(): Promise<void>;

  /** Releases connections and timers. */
  close(): Promise<void>;
}
