import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Admin } from '../common/decorators/admin.decorator.js';
import { ApiErrors } from '../common/decorators/api-errors.decorator.js';
import { Public } from '../common/decorators/public.decorator.js';
import { ClientIp } from '../common/client-ip.js';
import { StrictLimit } from '../rate-limit/rate-limit.decorators.js';
import { CurrentAdmin } from '../common/decorators/current-admin.decorator.js';
import { HistoryDto, HistoryQueryDto } from '../rooms/dto/room.dto.js';
import { AdminAuthService } from './admin-auth.service.js';
import { AdminModerationService } from './admin-moderation.service.js';
import {
  AdminLoginDto,
  AdminRoomDetailDto,
  AdminRoomPageDto,
  AdminRoomsQueryDto,
  AdminTokenDto,
  AnnouncementDto,
  CreateAnnouncementDto,
  InstancePageDto,
  OverviewDto,
} from './dto/admin.dto.js';
import { AdminStatsService } from './admin-stats.service.js';

/** Admin API (API.md §7). Every route but login needs an admin token. */
@ApiTags('admin')
@Controller('admin')
export class AdminController {
  constructor(
    private readonly auth: AdminAuthService,
    private readonly moderation: AdminModerationService,
    private readonly stats: AdminStatsService,
    private readonly clientIp: ClientIp,
  ) {}

  @Public()
  @StrictLimit()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Admin login; failed attempts are throttled per IP and per username' })
  @ApiOkResponse({ type: AdminTokenDto })
  @ApiErrors('VALIDATION_FAILED', 'INVALID_CREDENTIALS', 'RATE_LIMITED')
  login(@Body() dto: AdminLoginDto, @Req() request: Request): Promise<AdminTokenDto> {
    return this.auth.login(dto.username, dto.password, this.clientIp.of(request));
  }

  @Admin()
  @Get('overview')
  @ApiOperation({ summary: 'Cluster totals: instances, connections, users, rooms, messages in the last minute' })
  @ApiOkResponse({ type: OverviewDto })
  @ApiErrors('UNAUTHORIZED', 'UNAVAILABLE')
  overview(): Promise<OverviewDto> {
    return this.stats.overview();
  }

  @Admin()
  @Get('instances')
  @ApiOperation({ summary: 'Every live server instance of the cluster, from the registry heartbeats' })
  @ApiOkResponse({ type: InstancePageDto })
  @ApiErrors('UNAUTHORIZED', 'UNAVAILABLE')
  async instances(): Promise<InstancePageDto> {
    return { items: await this.stats.instances(), nextCursor: null };
  }

  @Admin()
  @Get('rooms')
  @ApiOperation({ summary: 'Every live room, private ones included, newest first; q filters by name' })
  @ApiOkResponse({ type: AdminRoomPageDto })
  @ApiErrors('VALIDATION_FAILED', 'UNAUTHORIZED', 'UNAVAILABLE')
  rooms(@Query() query: AdminRoomsQueryDto): Promise<AdminRoomPageDto> {
    return this.stats.listRooms(query);
  }

  @Admin()
  @Get('rooms/:id')
  @ApiOperation({ summary: 'One room, private or not: members online now and its figures' })
  @ApiOkResponse({ type: AdminRoomDetailDto })
  @ApiErrors('UNAUTHORIZED', 'ROOM_NOT_FOUND', 'UNAVAILABLE')
  room(@Param('id') id: string): Promise<AdminRoomDetailDto> {
    return this.stats.room(id);
  }

  @Admin()
  @Delete('rooms/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Close a room: members get room:closed {reason:"closed-by-admin"} and are removed' })
  @ApiNoContentResponse()
  @ApiErrors('UNAUTHORIZED', 'ROOM_NOT_FOUND', 'UNAVAILABLE')
  closeRoom(@Param('id') id: string, @CurrentAdmin() admin: string): Promise<void> {
    return this.moderation.closeRoom(id, admin);
  }

  @Admin()
  @Get('rooms/:id/messages')
  @ApiOperation({ summary: "A room's history, password or not (same paging as GET /rooms/:id/messages)" })
  @ApiOkResponse({ type: HistoryDto })
  @ApiErrors('VALIDATION_FAILED', 'UNAUTHORIZED', 'ROOM_NOT_FOUND', 'UNAVAILABLE')
  messages(@Param('id') id: string, @Query() query: HistoryQueryDto): Promise<HistoryDto> {
    return this.stats.messages(id, query);
  }

  @Admin()
  @Delete('rooms/:id/messages/:messageId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete one message from history; members get message:deleted' })
  @ApiNoContentResponse()
  @ApiErrors('UNAUTHORIZED', 'ROOM_NOT_FOUND', 'NOT_FOUND', 'UNAVAILABLE')
  deleteMessage(
    @Param('id') id: string,
    @Param('messageId') messageId: string,
    @CurrentAdmin() admin: string,
  ): Promise<void> {
    return this.moderation.deleteMessage(id, messageId, admin);
  }

  @Admin()
  @Post('announcements')
  @ApiOperation({ summary: 'System announcement to one room (stored in its history) or to everyone' })
  @ApiCreatedResponse({ type: AnnouncementDto })
  @ApiErrors('VALIDATION_FAILED', 'UNAUTHORIZED', 'ROOM_NOT_FOUND', 'PAYLOAD_TOO_LARGE', 'UNAVAILABLE')
  announce(@Body() dto: CreateAnnouncementDto, @CurrentAdmin() admin: string): Promise<AnnouncementDto> {
    return this.moderation.announce(dto.content, dto.roomId, admin);
  }
}
