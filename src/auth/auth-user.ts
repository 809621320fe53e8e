import type { UserRef } from '../engine/engine.types.js';

/** The user a verified token speaks for. Same shape as the wire `User`. */
export type AuthUser = UserRef;

export const USER_AUDIENCE = 'chat';
export const ADMIN_AUDIENCE = 'chat-admin';
