import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length, MaxLength, MinLength } from 'class-validator';
import { Optional } from '../../common/decorators/optional.decorator.js';
import { UserDto } from '../../common/dto/user.dto.js';
import { ListRoomsQueryDto, MessageDto, RoomDto } from '../../rooms/dto/room.dto.js';

export class AdminLoginDto {
  @ApiProperty({ example: 'admin' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  username!: string;

  @ApiProperty({ example: 'a-long-admin-password' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password!: string;
}

export class AdminTokenDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…' })
  accessToken!: string;

  @ApiProperty({ example: 'Bearer', enum: ['Bearer'] })
  tokenType!: 'Bearer';

  @ApiProperty({ example: 900, description: 'Seconds until the token expires (ADMIN_JWT_EXPIRES_IN_SECONDS)' })
  expiresIn!: number;
}

export class InstanceMemoryDto {
  @ApiProperty({ example: 73400320, description: 'Resident set size, bytes' }) rss!: number;
  @ApiProperty({ example: 41943040, description: 'V8 heap in use, bytes' }) heapUsed!: number;
}

export class InstanceDto {
  @ApiProperty({ example: 'Kq2v9XbLr0a7TfZc' }) id!: string;
  @ApiProperty({ example: 'chat-1' }) host!: string;
  @ApiProperty({ example: 4242 }) pid!: number;
  @ApiProperty({ example: '0.1.0' }) version!: string;
  @ApiProperty({ example: '2026-11-24T10:00:00.000Z' }) startedAt!: string;
  @ApiProperty({ example: '2026-11-24T10:05:00.000Z' }) lastHeartbeat!: string;
  @ApiProperty({ example: 120, description: 'Socket.IO connections on /chat' }) connections!: number;
  @ApiProperty({ type: InstanceMemoryDto }) memory!: InstanceMemoryDto;
  @ApiProperty({ example: 1.25, description: 'Mean event-loop delay over the last heartbeat interval, ms' })
  eventLoopLagMs!: number;
  @ApiProperty({ example: 87, description: 'Distinct users with a socket on this instance' }) users!: number;
  @ApiProperty({ example: 340, description: 'Messages stored through this instance in the last minute' })
  messagesLastMinute!: number;
  @ApiProperty({
    example: 0,
    description:
      '`message:send` and `room:typing` events this instance refused `RATE_LIMITED` in the last minute because it ' +
      'was overloaded (its event loop more than OVERLOAD_LAG_MS behind)',
  })
  overloadRefusalsLastMinute!: number;
}

export class InstancePageDto {
  @ApiProperty({ type: [InstanceDto] }) items!: InstanceDto[];
  @ApiProperty({ nullable: true, type: String, example: null }) nextCursor!: string | null;
}

export class CreateAnnouncementDto {
  @ApiProperty({ example: 'Maintenance at 22:00 UTC', description: '1 to MESSAGE_MAX_LENGTH characters' })
  @IsString()
  @MinLength(1)
  content!: string;

  @ApiPropertyOptional({ example: 'Xb2k9QaLr0v7TfZc', description: 'One room; everyone when left out' })
  @Optional()
  @IsString()
  @Length(1, 64)
  roomId?: string;
}

export class AnnouncementDto {
  @ApiProperty({ example: 'Maintenance at 22:00 UTC' }) content!: string;
  @ApiPropertyOptional({ example: 'Xb2k9QaLr0v7TfZc' }) roomId?: string;
  @ApiProperty({ example: '2026-11-24T21:00:00.000Z' }) sentAt!: string;
  @ApiPropertyOptional({ type: MessageDto, description: 'The system message stored in the room history' })
  message?: MessageDto;
}

export class OverviewDto {
  @ApiProperty({ example: 2, description: 'Live instances' }) instances!: number;
  @ApiProperty({ example: 240, description: 'Socket.IO connections on /chat, all instances' }) connections!: number;
  @ApiProperty({ example: 170, description: 'Connected users, summed over instances' }) users!: number;
  @ApiProperty({ example: 35, description: 'Live rooms' }) rooms!: number;
  @ApiProperty({ example: 680, description: 'Messages stored in the last minute, all instances' })
  messagesLastMinute!: number;
}

export class AdminRoomsQueryDto extends ListRoomsQueryDto {
  @ApiPropertyOptional({ example: 'review', description: 'Only rooms whose name contains this (A–Z case ignored)' })
  @Optional()
  @IsString()
  @Length(1, 64)
  q?: string;
}

export class AdminRoomDto extends RoomDto {
  @ApiProperty({ example: 42, description: 'Messages sent in the room (its last seq)' }) messageCount!: number;
}

export class AdminRoomPageDto {
  @ApiProperty({ type: [AdminRoomDto] }) items!: AdminRoomDto[];
  @ApiProperty({ nullable: true, type: String, example: null }) nextCursor!: string | null;
}

export class RoomStatsDto {
  @ApiProperty({ example: 42, description: 'Messages sent in the room (its last seq)' }) messageCount!: number;
  @ApiProperty({ example: 7, description: 'Distinct users who ever joined' }) participantCount!: number;
  @ApiProperty({ example: 'q3ZJxv8c0mTt1KpA', description: 'Id of the user who created the room' }) createdBy!: string;
  @ApiProperty({ example: '2026-11-24T21:05:00.000Z', description: 'Last join or message (creation if none)' })
  lastActivityAt!: string;
}

export class AdminRoomDetailDto {
  @ApiProperty({ type: AdminRoomDto }) room!: AdminRoomDto;
  @ApiProperty({ type: [UserDto], description: 'Users online in the room now' }) members!: UserDto[];
  @ApiProperty({ type: RoomStatsDto }) stats!: RoomStatsDto;
}
