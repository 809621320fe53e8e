import { ValidationPipe, type Type } from '@nestjs/common';
import { seededRandom } from '../../../test/utils/seeded-random.js';
import { AdminLoginDto, CreateAnnouncementDto } from '../../admin/dto/admin.dto.js';
import { GuestDto, LoginDto, RegisterDto } from '../../auth/dto/auth.dto.js';
import {
  JoinRoomDto,
  RenameDto,
  RoomHistoryDto,
  RoomRefDto,
  SendMessageDto,
  TypingDto,
} from '../../chat/dto/chat-events.dto.js';
import { CreateBanDto } from '../../moderation/dto/moderation.dto.js';
import { CreateRoomDto } from '../../rooms/dto/room.dto.js';
import { validationFailed } from '../errors/validation.js';
import { FlatDtoCheck } from './flat-dto-check.js';

/** Nest's pipe with the options of AppValidationPipe: what the check must agree with. */
const full = new ValidationPipe({
  transform: true,
  whitelist: true,
  forbidUnknownValues: true,
  exceptionFactory: validationFailed,
});

/** The shared seeded generator (mulberry32), as a plain function: a failure can be replayed. */
function random(seed: number): () => number {
  const r = seededRandom(seed);
  return () => r.next();
}

const VALUES: unknown[] = [
  null,
  '',
  ' ',
  'a',
  ' padded ',
  'x'.repeat(4),
  'x'.repeat(64),
  'x'.repeat(65),
  'x'.repeat(128),
  'x'.repeat(129),
  'x'.repeat(257),
  'bad/name',
  'public',
  'private',
  0,
  -1,
  1,
  1.5,
  2,
  100,
  101,
  Number.NaN,
  true,
  false,
  {},
  [],
  ['a'],
  { seq: 1, epoch: 'e' },
];

/** A payload with some of the DTO's fields (each any of VALUES) and sometimes unknown ones. */
function payload(next: () => number, fields: string[]): Record<string, unknown> {
  const pick = (): unknown => VALUES[Math.floor(next() * VALUES.length)];
  const body: Record<string, unknown> = {};
  for (const field of [...fields, 'extra', 'constructor']) {
    const roll = next();
    if (roll < 0.55 || (field !== 'extra' && field !== 'constructor' && roll < 0.3)) {
      continue;
    }
    body[field] = pick();
  }
  // Mostly valid-looking values too, so that both answers are exercised often.
  for (const field of fields) {
    if (next() < 0.4) {
      body[field] = ['roomId', 'content', 'epoch', 'username', 'password', 'reason', 'name'].includes(field)
        ? 'x'.repeat(1 + Math.floor(next() * 10))
        : field === 'typing'
          ? next() < 0.5
          : Math.floor(next() * 50) + 1;
    }
  }
  return body;
}

async function fullResult(dto: Type<unknown>, body: Record<string, unknown>): Promise<unknown> {
  try {
    return await full.transform(structuredClone(body), { type: 'body', metatype: dto });
  } catch {
    return undefined;
  }
}

const FIELDS = new Map<Type<unknown>, string[]>([
  [RoomRefDto, ['roomId']],
  [SendMessageDto, ['roomId', 'content', 'clientMsgId']],
  [TypingDto, ['roomId', 'typing']],
  [RoomHistoryDto, ['roomId', 'before', 'after', 'limit']],
  [AdminLoginDto, ['username', 'password']],
  [CreateAnnouncementDto, ['content']],
  [GuestDto, ['username']],
  [LoginDto, ['username', 'password']],
  [RegisterDto, ['username', 'password']],
  [JoinRoomDto, ['roomId', 'password', 'since']],
  [RenameDto, ['username']],
  [CreateRoomDto, ['name', 'topic', 'visibility', 'password', 'maxUsers', 'ttlSeconds']],
  [CreateBanDto, ['userId', 'ip', 'reason', 'durationSeconds']],
]);

describe('FlatDtoCheck', () => {
  it.each([...FIELDS.entries()].map(([dto, fields]) => [dto.name, dto, fields] as const))(
    '%s: accepts only what the full pipe accepts, and builds the same DTO',
    async (_name, dto, fields) => {
      const check = new FlatDtoCheck();
      const next = random(fields.length * 7919);
      for (let i = 0; i < 1500; i++) {
        const body = payload(next, fields);
        const accepted = check.accept(dto, structuredClone(body));
        if (accepted !== undefined) {
          const expected = await fullResult(dto, body);
          expect({ body, accepted }).toEqual({ body, accepted: expected });
          expect(Object.getPrototypeOf(accepted)).toBe(dto.prototype);
          expect(Object.keys(accepted).sort()).toEqual(Object.keys(expected as object).sort());
        }
      }
    },
  );

  it('accepts every valid payload of the socket events it covers, and of plain HTTP bodies', async () => {
    const covered = [RoomRefDto, SendMessageDto, TypingDto, RoomHistoryDto, AdminLoginDto, LoginDto];
    for (const dto of covered) {
      const check = new FlatDtoCheck();
      const fields = FIELDS.get(dto) ?? [];
      const next = random(17);
      let valid = 0;
      for (let i = 0; i < 1000; i++) {
        const body = payload(next, fields);
        const primitive = fields.every((field) => typeof body[field] !== 'object' || body[field] === null);
        if (primitive && (await fullResult(dto, body)) !== undefined) {
          valid += 1;
          expect({ dto: dto.name, body, accepted: check.accept(dto, structuredClone(body)) !== undefined }).toEqual({
            dto: dto.name,
            body,
            accepted: true,
          });
        }
      }
      expect(valid).toBeGreaterThan(50);
    }
  });

  it('leaves classes with nested rules or class-transformer decorators to the full pipe', () => {
    const check = new FlatDtoCheck();
    expect(check.accept(JoinRoomDto, { roomId: 'r1' })).toBeUndefined();
    expect(check.accept(RenameDto, { username: 'ada' })).toBeUndefined();
    expect(check.accept(CreateRoomDto, { name: 'room' })).toBeUndefined();
    expect(check.accept(CreateBanDto, { userId: 'u1', reason: 'spam' })).toBeUndefined();
    expect(check.accept(SendMessageDto, { roomId: 'r1', content: 'hi' })).toBeInstanceOf(SendMessageDto);
  });
});
