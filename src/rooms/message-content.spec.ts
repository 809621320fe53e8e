import { ChatError } from '../common/errors/chat-error.js';
import { assertMessageContent } from './message-content.js';

/** The error code assertMessageContent throws for `content`, or null when it accepts it. */
function refusal(content: string, max: number): string | null {
  try {
    assertMessageContent(content, max);
    return null;
  } catch (error) {
    return error instanceof ChatError ? error.code : String(error);
  }
}

describe('assertMessageContent', () => {
  it('counts characters as code points: an emoji is one, though it takes two UTF-16 units', () => {
    expect(refusal('🎉'.repeat(10), 10)).toBeNull();
    expect(refusal('🎉'.repeat(11), 10)).toBe('VALIDATION_FAILED');
    expect(refusal(`${'🎉'.repeat(9)}a`, 10)).toBeNull();
    expect(refusal(`${'🎉'.repeat(10)}a`, 10)).toBe('VALIDATION_FAILED');
  });

  it('takes up to max plain characters, refuses one more, and refuses empty or blank content', () => {
    expect(refusal('a'.repeat(10), 10)).toBeNull();
    expect(refusal('a'.repeat(11), 10)).toBe('VALIDATION_FAILED');
    expect(refusal('', 10)).toBe('VALIDATION_FAILED');
    expect(refusal(' \n\t\u00a0', 10)).toBe('VALIDATION_FAILED');
    expect(refusal(' a ', 10)).toBeNull();
  });
});
