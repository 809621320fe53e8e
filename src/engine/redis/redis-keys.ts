/** Key names of the Redis engine, all under one prefix (REDIS_KEY_PREFIX). */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  room(roomId: string, sub = ''): string {
    return `${this.prefix}room:${roomId}${sub}`;
  }

  get expiry(): string {
    return `${this.prefix}rooms:expiry`;
  }

  index(which: 'all' | 'public'): string {
    return `${this.prefix}rooms:${which}`;
  }

  /** Lexicographically ordered index member: creation time (16 digits), then the id. */
  static indexMember(createdAt: number, roomId: string): string {
    return `${RedisKeys.indexTime(createdAt)}:${roomId}`;
  }

  /** A time as the 16 digits that start an index member. */
  static indexTime(time: number): string {
    return time.toString().padStart(16, '0');
  }

  /** The room id of an index member (after the 16 digits and the colon). */
  static roomIdOf(member: string): string {
    return member.slice(17);
  }

  get accountsByName(): string {
    return `${this.prefix}accounts:byname`;
  }

  account(id: string): string {
    return `${this.prefix}account:${id}`;
  }

  /** Pub/sub channel of appended messages (see SCRIPTS.appendMessage). */
  get messages(): string {
    return `${this.prefix}messages`;
  }

  get instances(): string {
    return `${this.prefix}instances`;
  }

  instance(id: string): string {
    return `${this.prefix}instance:${id}`;
  }
}
