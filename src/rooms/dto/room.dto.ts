import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import type { Visibility } from '../../engine/engine.types.js';
import { Optional } from '../../common/decorators/optional.decorator.js';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class CreateRoomDto {
  @ApiProperty({ example: 'Design review', minLength: 1, maxLength: 64 })
  @Transform(trim)
  @IsString()
  @Length(1, 64)
  name!: string;

  @ApiPropertyOptional({ example: 'Weekly sync', maxLength: 256 })
  @Optional()
  @IsString()
  @MaxLength(256)
  topic?: string;

  @ApiPropertyOptional({ enum: ['public', 'private'], default: 'public' })
  @Optional()
  @IsIn(['public', 'private'])
  visibility?: Visibility;

  @ApiPropertyOptional({
    example: 'open sesame',
    minLength: 4,
    maxLength: 128,
    description: 'Stored only as a slow hash',
  })
  @Optional()
  @IsString()
  @Length(4, 128)
  password?: string;

  @ApiPropertyOptional({
    type: 'integer',
    example: 20,
    description: 'Default ROOM_DEFAULT_MAX_USERS (20); from 2 to ROOM_MAX_USERS_LIMIT (1000)',
  })
  @Optional()
  @IsInt()
  maxUsers?: number;

  @ApiPropertyOptional({
    type: 'integer',
    example: 600,
    description:
      'Self-destruct after this many seconds. Default ROOM_DEFAULT_TTL_SECONDS (600); from ROOM_MIN_TTL_SECONDS (60) to ROOM_MAX_TTL_SECONDS (604800)',
  })
  @Optional()
  @IsInt()
  ttlSeconds?: number;
}

export class ListRoomsQueryDto {
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 100 })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @Optional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export class HistoryQueryDto {
  @ApiPropertyOptional({ description: 'Only messages with seq < before', example: 120 })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  before?: number;

  @ApiPropertyOptional({ description: 'Only messages with seq > after', example: 100 })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 100 })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class RoomDto {
  @ApiProperty({ example: 'Xb2k9QaLr0v7TfZc' }) id!: string;
  @ApiProperty({ example: 'Design review' }) name!: string;
  @ApiProperty({ example: 'Weekly sync', nullable: true, type: String }) topic!: string | null;
  @ApiProperty({ enum: ['public', 'private'] }) visibility!: Visibility;
  @ApiProperty({ example: false }) hasPassword!: boolean;
  @ApiProperty({ example: 20 }) maxUsers!: number;
  @ApiProperty({ example: 'q3ZJxv8c0mTt1KpA' }) ownerId!: string;
  @ApiProperty({ example: '2026-11-24T10:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ example: '2026-11-24T10:10:00.000Z' }) expiresAt!: string;
  @ApiProperty({ example: 3, description: 'Users online in the room now' }) memberCount!: number;
  @ApiProperty({ example: '9f1c2a7b3d4e5f60', description: 'Changes only if the history was lost' }) epoch!: string;
  @ApiProperty({ example: 42, description: 'seq of the latest message (0 before the first)' }) lastSeq!: number;
}

export class RoomPageDto {
  @ApiProperty({ type: [RoomDto] }) items!: RoomDto[];
  @ApiProperty({ nullable: true, type: String, example: null }) nextCursor!: string | null;
}

export class MessageDto {
  @ApiProperty({ example: 'Vd0qU3mJfX1bA9sK' }) id!: string;
  @ApiProperty({ example: 'Xb2k9QaLr0v7TfZc' }) roomId!: string;
  @ApiProperty({ example: 42 }) seq!: number;
  @ApiProperty({ example: 'q3ZJxv8c0mTt1KpA' }) userId!: string;
  @ApiProperty({ example: 'ada' }) username!: string;
  @ApiProperty({ enum: ['user', 'system'] }) kind!: 'user' | 'system';
  @ApiProperty({ example: 'Hello!' }) content!: string;
  @ApiProperty({ example: '2026-11-24T10:01:00.000Z' }) sentAt!: string;
  @ApiPropertyOptional({ example: 'c-1' }) clientMsgId?: string;
}

export class HistoryDto {
  @ApiProperty({ type: [MessageDto] }) items!: MessageDto[];
  @ApiProperty({ example: '9f1c2a7b3d4e5f60' }) epoch!: string;
}
