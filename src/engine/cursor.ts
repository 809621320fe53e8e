import { ChatError } from '../common/errors/chat-error.js';

/** A position in a list ordered by (time, id): shared by every engine so cursors look the same. */
export interface CursorPosition {
  time: number;
  id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(`${position.time}:${position.id}`, 'utf8').toString('base64url');
}

/** Decodes a cursor from a client; anything malformed is a VALIDATION_FAILED. */
export function decodeCursor(cursor: string): CursorPosition {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(\d{1,16}):([A-Za-z0-9_-]{1,64})$/.exec(text);
  if (!match) {
    throw ChatError.invalidField('cursor', 'cursor is malformed');
  }
  return { time: Number(match[1]), id: match[2] };
}

/** Orders (time, id) pairs ascending. */
export function comparePositions(a: CursorPosition, b: CursorPosition): number {
  if (a.time !== b.time) {
    return a.time - b.time;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
