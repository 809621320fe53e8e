import { randomBytes } from 'node:crypto';

/** An unguessable id: 96 random bits, URL-safe (16 characters). */
export function newId(): string {
  return randomBytes(12).toString('base64url');
}
