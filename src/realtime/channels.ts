/** Socket.IO room names. A chat room's sockets are in `room:<id>`, a user's sockets in `user:<id>`. */
export const roomChannel = (roomId: string): string => `room:${roomId}`;
export const USER_CHANNEL_PREFIX = 'user:';
export const userChannel = (userId: string): string => `${USER_CHANNEL_PREFIX}${userId}`;
export const isUserChannel = (channel: string): boolean => channel.startsWith(USER_CHANNEL_PREFIX);

/** The chat-room id of a Socket.IO room name, or null for other rooms (the socket's own, users'). */
export function roomIdOfChannel(channel: string): string | null {
  return channel.startsWith('room:') ? channel.slice('room:'.length) : null;
}
