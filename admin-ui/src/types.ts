// Shapes of the admin API (API.md §7), as the server sends them.

export interface Page<T> {
  items: T[];
  /** null on the last page */
  nextCursor: string | null;
}

export interface TokenResponse {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export interface User {
  id: string;
  username: string;
  kind: string;
}

export interface Overview {
  instances: number;
  connections: number;
  users: number;
  rooms: number;
  messagesLastMinute: number;
}

export interface Instance {
  id: string;
  host: string;
  pid: number;
  version: string;
  startedAt: string;
  lastHeartbeat: string;
  connections: number;
  memory: { rss: number; heapUsed: number };
  eventLoopLagMs: number;
  users: number;
  messagesLastMinute: number;
  overloadRefusalsLastMinute: number;
}

export interface StatsSample {
  at: string;
  messagesLastMinute: number;
  connections: number;
}

/** Payload of the `admin:stats` event on the /admin namespace. */
export interface AdminStats {
  at: string;
  overview: Overview;
  instances: Instance[];
  /** The last samples, oldest first. */
  series: StatsSample[];
}

export interface Room {
  id: string;
  name: string;
  topic: string | null;
  visibility: 'public' | 'private';
  hasPassword: boolean;
  maxUsers: number;
  ownerId: string;
  createdAt: string;
  expiresAt: string | null;
  memberCount: number;
  epoch: string;
  lastSeq: number;
}

export interface AdminRoom extends Room {
  messageCount: number;
}

export interface RoomDetail {
  room: AdminRoom;
  members: User[];
  stats: { messageCount: number; participantCount: number; createdBy: string; lastActivityAt: string };
}

export interface Message {
  id: string;
  roomId: string;
  seq: number;
  userId: string;
  username: string;
  kind: 'user' | 'system';
  content: string;
  sentAt: string;
  clientMsgId?: string;
}

export interface MessageHistory {
  items: Message[];
  epoch: string;
}

export interface Client {
  socketId: string;
  user: User;
  ip: string;
  instanceId: string;
  rooms: string[];
  connectedAt: string;
}

export interface Ban {
  id: string;
  userId?: string;
  ip?: string;
  reason: string;
  createdAt: string;
  /** null = permanent */
  until: string | null;
  createdBy: string;
}

export interface NewBan {
  userId?: string;
  ip?: string;
  reason: string;
  /** Left out = permanent. */
  durationSeconds?: number;
}

export type ModerationAction =
  'room.closed' | 'message.deleted' | 'announcement' | 'client.kicked' | 'ban.created' | 'ban.lifted';

export interface ModerationTarget {
  roomId?: string;
  messageId?: string;
  socketId?: string;
  userId?: string;
  ip?: string;
  banId?: string;
  username?: string;
}

export interface ModerationEntry {
  id: string;
  at: string;
  actor: string;
  action: ModerationAction;
  target: ModerationTarget;
  reason: string | null;
}
