import { ChatError } from '../common/errors/chat-error.js';

/** Message content (user messages and announcements): 1 to `max` characters, not blank. */
export function assertMessageContent(content: string, max: number): void {
  // A string has no more code points than UTF-16 units: only a longer one needs counting.
  if ((content.length > max && [...content].length > max) || content.trim().length === 0) {
    throw ChatError.invalidField('content', `content must be 1 to ${max} characters and not blank`);
  }
}
