/** Data shapes stored by an engine. They are internal: services map them to the wire shapes. */

export type UserKind = 'guest' | 'member' | 'external';

export interface UserRef {
  id: string;
  username: string;
  kind: UserKind;
}

export type Visibility = 'public' | 'private';

/** A room as created; immutable apart from what the engine itself maintains. */
export interface RoomRecord {
  id: string;
  name: string;
  topic: string | null;
  visibility: Visibility;
  /** scrypt hash of the room password, or null for an open room. */
  passwordHash: string | null;
  maxUsers: number;
  ownerId: string;
  createdAt: number;
  expiresAt: number;
}

/** A room together with what the engine maintains about it. */
export interface RoomState extends RoomRecord {
  /** Users online in the room now (one per user, however many sockets). */
  memberCount: number;
  /** Changes only when the room's history was lost. */
  epoch: string;
  /** The seq of the last message appended, 0 before the first. */
  lastSeq: number;
}

export type MessageKind = 'user' | 'system';

export interface MessageRecord {
  id: string;
  roomId: string;
  seq: number;
  userId: string;
  username: string;
  kind: MessageKind;
  content: string;
  sentAt: number;
  clientMsgId?: string;
}

/** A message before the engine gives it a seq. */
export type MessageDraft = Omit<MessageRecord, 'seq' | 'roomId'>;

export interface AccountRecord {
  id: string;
  username: string;
  passwordHash: string;
  createdAt: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface HistoryQuery {
  /** Only messages with seq < before. */
  before?: number;
  /** Only messages with seq > after. */
  after?: number;
  limit: number;
}

export type JoinResult =
  { status: 'joined'; firstSocket: boolean; memberCount: number } | { status: 'full' } | { status: 'missing' };

export interface LeaveResult {
  /** True when this was the user's last socket in the room: the user has left. */
  lastSocket: boolean;
  /** False when the socket was not in the room. */
  wasMember: boolean;
  memberCount: number;
}

export type AppendResult =
  | { status: 'appended'; message: MessageRecord }
  | { status: 'duplicate'; message: MessageRecord }
  | { status: 'missing' };

/** An append with a quota may also be refused by it. */
export type QuotaAppendResult = AppendResult | { status: 'rate-limited'; retryAfterMs: number };

/**
 * A sliding-window limit checked in the same atomic step as an append (see
 * ChatEngine.appendMessage): the window is the one RateLimitStore.hit keeps under `key`.
 */
export interface AppendQuota {
  key: string;
  limit: number;
  windowMs: number;
  /** Unique per call (caller-made), as RateLimitStore.hit's hitId. */
  hitId: string;
}

/** One running server instance, as it last reported itself. */
export interface InstanceInfo {
  id: string;
  host: string;
  pid: number;
  version: string;
  startedAt: number;
  lastHeartbeat: number;
  connections: number;
  memory: { rss: number; heapUsed: number };
  eventLoopLagMs: number;
  /** Distinct users with a socket on this instance. */
  users: number;
  /** Messages stored through this instance in the last minute. */
  messagesLastMinute: number;
  /** `message:send` and `room:typing` events this instance refused for overload in the last minute (LoadShedder). */
  overloadRefusalsLastMinute: number;
}

/** A socket seat released because its instance died; `lastSocket` means the user left the room. */
export interface ReapedSeat {
  roomId: string;
  user: UserRef;
  lastSocket: boolean;
  memberCount: number;
}

/** Attempts counted in a window, and when the window ends (ms since the epoch). */
export interface AttemptCount {
  count: number;
  resetAt: number;
}

/** A page of the room listing (see ChatEngine.listRooms). */
export interface RoomListQuery {
  publicOnly: boolean;
  limit: number;
  cursor?: string;
  now: number;
  /** Only rooms whose name contains this, ignoring the case of A–Z. */
  nameContains?: string;
}

/** Figures about a room for the admin console. */
export interface RoomStats {
  /** Distinct users who ever took a seat in the room. */
  participantCount: number;
  /** The last join or message, or the creation when there was none (ms since the epoch). */
  lastActivityAt: number;
}
