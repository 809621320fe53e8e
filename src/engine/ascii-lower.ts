/**
 * Lower-cases A–Z only. Room-name search folds case this way in every engine (Redis scripts can
 * only fold ASCII), so both engines find the same rooms.
 */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}
