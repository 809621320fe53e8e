import { apiRequest } from './api';
import type {
  AdminRoom,
  Ban,
  Client,
  Instance,
  MessageHistory,
  ModerationEntry,
  NewBan,
  Overview,
  Page,
  RoomDetail,
  TokenResponse,
} from './types';

// One function per admin endpoint (API.md §7). Path segments are always encoded.
const segment = encodeURIComponent;

export function login(username: string, password: string): Promise<TokenResponse> {
  return apiRequest('POST', '/login', { body: { username, password }, auth: false });
}

export function getOverview(): Promise<Overview> {
  return apiRequest('GET', '/overview');
}

export function listInstances(): Promise<Page<Instance>> {
  return apiRequest('GET', '/instances');
}

export function listRooms(q: string, cursor?: string): Promise<Page<AdminRoom>> {
  return apiRequest('GET', '/rooms', { query: { q, cursor } });
}

export function getRoom(roomId: string): Promise<RoomDetail> {
  return apiRequest('GET', `/rooms/${segment(roomId)}`);
}

export function listRecentMessages(roomId: string, limit = 50): Promise<MessageHistory> {
  return apiRequest('GET', `/rooms/${segment(roomId)}/messages`, { query: { limit } });
}

export function closeRoom(roomId: string): Promise<void> {
  return apiRequest('DELETE', `/rooms/${segment(roomId)}`);
}

export function deleteMessage(roomId: string, messageId: string): Promise<void> {
  return apiRequest('DELETE', `/rooms/${segment(roomId)}/messages/${segment(messageId)}`);
}

export interface ClientFilter {
  q: string;
  roomId: string;
}

export function listClients(filter: ClientFilter, cursor?: string): Promise<Page<Client>> {
  return apiRequest('GET', '/clients', { query: { q: filter.q, roomId: filter.roomId, cursor } });
}

export function kickClient(socketId: string, reason: string): Promise<void> {
  return apiRequest('DELETE', `/clients/${segment(socketId)}`, { query: { reason } });
}

export function listBans(cursor?: string): Promise<Page<Ban>> {
  return apiRequest('GET', '/bans', { query: { cursor } });
}

export function createBan(ban: NewBan): Promise<Ban> {
  return apiRequest('POST', '/bans', { body: ban });
}

export function liftBan(banId: string): Promise<void> {
  return apiRequest('DELETE', `/bans/${segment(banId)}`);
}

export function listModerationLog(cursor?: string): Promise<Page<ModerationEntry>> {
  return apiRequest('GET', '/moderation-log', { query: { cursor } });
}

/** A system message to one room, or to everyone when roomId is empty. */
export function sendAnnouncement(content: string, roomId: string): Promise<unknown> {
  return apiRequest('POST', '/announcements', { body: roomId ? { content, roomId } : { content } });
}
