import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { ApiErrors } from '../common/decorators/api-errors.decorator.js';
import { CurrentUser } from '../common/decorators/current-user.decorator.js';
import { Public } from '../common/decorators/public.decorator.js';
import { UserDto } from '../common/dto/user.dto.js';
import { CreateRoomDto, HistoryDto, HistoryQueryDto, ListRoomsQueryDto, RoomDto, RoomPageDto } from './dto/room.dto.js';
import { toMessageDto, toRoomDto } from './room.mapper.js';
import { RoomsService } from './rooms.service.js';

@ApiTags('rooms')
@Controller('rooms')
export class RoomsController {
  constructor(private readonly rooms: RoomsService) {}

  @Post()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Create a room; the caller becomes its owner' })
  @ApiCreatedResponse({ type: RoomDto })
  @ApiErrors('VALIDATION_FAILED', 'UNAUTHORIZED', 'PAYLOAD_TOO_LARGE', 'RATE_LIMITED')
  async create(@CurrentUser() user: AuthUser, @Body() dto: CreateRoomDto): Promise<RoomDto> {
    return toRoomDto(await this.rooms.create(user, dto));
  }

  @Public()
  @Get()
  @ApiOperation({ summary: 'Public rooms, newest first, with cursor pagination' })
  @ApiOkResponse({ type: RoomPageDto })
  @ApiErrors('VALIDATION_FAILED')
  list(@Query() query: ListRoomsQueryDto): Promise<RoomPageDto> {
    return this.rooms.listPublic(query.limit, query.cursor);
  }

  @Public()
  @Get(':id')
  @ApiOperation({ summary: 'One room (private rooms too: the id is the invitation)' })
  @ApiOkResponse({ type: RoomDto })
  @ApiErrors('ROOM_NOT_FOUND')
  async get(@Param('id') id: string): Promise<RoomDto> {
    return toRoomDto(await this.rooms.get(id));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Delete a room (owner only); members get room:closed {reason:"deleted"}' })
  @ApiNoContentResponse()
  @ApiErrors('UNAUTHORIZED', 'FORBIDDEN', 'ROOM_NOT_FOUND')
  remove(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<void> {
    return this.rooms.deleteAsOwner(user, id);
  }

  @Get(':id/members')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Users online in the room now' })
  @ApiOkResponse({ type: [UserDto] })
  @ApiErrors('UNAUTHORIZED', 'NOT_A_MEMBER', 'ROOM_NOT_FOUND')
  members(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<UserDto[]> {
    return this.rooms.members(user, id);
  }

  @Get(':id/messages')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'History, ascending by seq: latest `limit`, or before/after a seq' })
  @ApiOkResponse({ type: HistoryDto })
  @ApiErrors('VALIDATION_FAILED', 'UNAUTHORIZED', 'NOT_A_MEMBER', 'ROOM_NOT_FOUND')
  async history(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Query() query: HistoryQueryDto,
  ): Promise<HistoryDto> {
    const { room, messages } = await this.rooms.history(user, id, query);
    return { items: messages.map(toMessageDto), epoch: room.epoch };
  }
}
