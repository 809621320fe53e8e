import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsString, Length, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Optional } from '../../common/decorators/optional.decorator.js';
import { UserDto } from '../../common/dto/user.dto.js';
import { ListRoomsQueryDto } from '../../rooms/dto/room.dto.js';

/** Ten years: the longest timed ban (a longer one should be permanent). */
export const MAX_BAN_SECONDS = 10 * 365 * 24 * 3600;

/** `limit` (1–100, default 50) and `cursor` (nextCursor of the previous page). */
export class PageQueryDto extends ListRoomsQueryDto {}

export class ClientsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'Xb2k9QaLr0v7TfZc', description: 'Only sockets seated in this room' })
  @Optional()
  @IsString()
  @Length(1, 64)
  roomId?: string;

  @ApiPropertyOptional({
    example: 'ada',
    description: 'Only sockets whose username contains this (A–Z case ignored), or whose user id or IP equals it',
  })
  @Optional()
  @IsString()
  @Length(1, 64)
  q?: string;
}

export class KickQueryDto {
  @ApiPropertyOptional({ example: 'Flooding the room', description: 'Sent to the client in moderation:kicked' })
  @Optional()
  @IsString()
  @Length(1, 256)
  reason?: string;
}

export class ClientDto {
  @ApiProperty({ example: 'pV1n5d0Xq2ZkAAAB' }) socketId!: string;
  @ApiProperty({ type: UserDto }) user!: UserDto;
  @ApiProperty({ example: '203.0.113.7' }) ip!: string;
  @ApiProperty({ example: 'Kq2v9XbLr0a7TfZc', description: 'The instance holding the connection' })
  instanceId!: string;
  @ApiProperty({ type: [String], example: ['Xb2k9QaLr0v7TfZc'], description: 'Rooms the socket is in' })
  rooms!: string[];
  @ApiProperty({ example: '2026-11-24T10:00:00.000Z' }) connectedAt!: string;
}

export class ClientPageDto {
  @ApiProperty({ type: [ClientDto] }) items!: ClientDto[];
  @ApiProperty({ nullable: true, type: String, example: null }) nextCursor!: string | null;
}

export class CreateBanDto {
  @ApiPropertyOptional({ example: 'q3ZJxv8c0mTt1KpA', description: 'Ban this user (userId and/or ip)' })
  @Optional()
  @IsString()
  @Length(1, 64)
  userId?: string;

  @ApiPropertyOptional({ example: '203.0.113.7', description: 'Ban this IPv4 or IPv6 address' })
  @Optional()
  @IsString()
  @Length(2, 64)
  ip?: string;

  @ApiProperty({ example: 'Spam', description: '1–256 characters; sent to the banned client' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  reason!: string;

  @ApiPropertyOptional({ example: 3600, description: `Timed ban; permanent when left out (1–${MAX_BAN_SECONDS})` })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_BAN_SECONDS)
  durationSeconds?: number;
}

export class BanDto {
  @ApiProperty({ example: 'b7Qe1LpZx0cV9mRt' }) id!: string;
  @ApiPropertyOptional({ example: 'q3ZJxv8c0mTt1KpA' }) userId?: string;
  @ApiPropertyOptional({ example: '203.0.113.7' }) ip?: string;
  @ApiProperty({ example: 'Spam' }) reason!: string;
  @ApiProperty({ example: '2026-11-24T10:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ nullable: true, type: String, example: '2026-11-24T11:00:00.000Z', description: 'null: permanent' })
  until!: string | null;
  @ApiProperty({ example: 'admin', description: 'The admin who issued it' }) createdBy!: string;
}

export class BanPageDto {
  @ApiProperty({ type: [BanDto] }) items!: BanDto[];
  @ApiProperty({ nullable: true, type: String, example: null }) nextCursor!: string | null;
}

export class ModerationTargetDto {
  @ApiPropertyOptional() roomId?: string;
  @ApiPropertyOptional() messageId?: string;
  @ApiPropertyOptional() socketId?: string;
  @ApiPropertyOptional() userId?: string;
  @ApiPropertyOptional() username?: string;
  @ApiPropertyOptional() ip?: string;
  @ApiPropertyOptional() banId?: string;
}

export class ModerationEntryDto {
  @ApiProperty({ example: 'Zt0c8yQm1LxV2bNa' }) id!: string;
  @ApiProperty({ example: '2026-11-24T10:00:00.000Z' }) at!: string;
  @ApiProperty({ example: 'admin', description: 'The admin who acted' }) actor!: string;
  @ApiProperty({
    enum: ['room.closed', 'message.deleted', 'announcement', 'client.kicked', 'ban.created', 'ban.lifted'],
  })
  action!: string;
  @ApiProperty({ type: ModerationTargetDto }) target!: ModerationTargetDto;
  @ApiProperty({ nullable: true, type: String, example: 'Spam' }) reason!: string | null;
}

export class ModerationLogPageDto {
  @ApiProperty({ type: [ModerationEntryDto] }) items!: ModerationEntryDto[];
  @ApiProperty({ nullable: true, type: String, example: null }) nextCursor!: string | null;
}
