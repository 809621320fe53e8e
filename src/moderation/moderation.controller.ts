import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { Admin } from '../common/decorators/admin.decorator.js';
import { ApiErrors } from '../common/decorators/api-errors.decorator.js';
import { CurrentAdmin } from '../common/decorators/current-admin.decorator.js';
import { BansService } from './bans.service.js';
import { ClientsService } from './clients.service.js';
import {
  BanDto,
  BanPageDto,
  ClientDto,
  ClientPageDto,
  ClientsQueryDto,
  CreateBanDto,
  KickQueryDto,
  ModerationLogPageDto,
  PageQueryDto,
} from './dto/moderation.dto.js';
import { ModerationLogService } from './moderation-log.service.js';

/** Admin API (API.md §7): connected clients, kicks, bans and the moderation log. */
@Admin()
@Controller('admin')
export class ModerationController {
  constructor(
    private readonly clients: ClientsService,
    private readonly bans: BansService,
    private readonly log: ModerationLogService,
  ) {}

  @Get('clients')
  @ApiOperation({ summary: 'Every connected socket of the cluster, newest first; filter by room or q' })
  @ApiOkResponse({ type: ClientPageDto })
  @ApiErrors('VALIDATION_FAILED', 'UNAUTHORIZED', 'UNAVAILABLE')
  listClients(@Query() query: ClientsQueryDto): Promise<ClientPageDto> {
    return this.clients.list(query);
  }

  @Get('clients/:socketId')
  @ApiOperation({ summary: 'One connection' })
  @ApiOkResponse({ type: ClientDto })
  @ApiErrors('UNAUTHORIZED', 'NOT_FOUND', 'UNAVAILABLE')
  client(@Param('socketId') socketId: string): Promise<ClientDto> {
    return this.clients.get(socketId);
  }

  @Delete('clients/:socketId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Kick: moderation:kicked, then disconnect (the client may come back)' })
  @ApiNoContentResponse()
  @ApiErrors('VALIDATION_FAILED', 'UNAUTHORIZED', 'NOT_FOUND', 'UNAVAILABLE')
  kick(
    @Param('socketId') socketId: string,
    @Query() query: KickQueryDto,
    @CurrentAdmin() admin: string,
  ): Promise<void> {
    return this.clients.kick(socketId, query.reason, admin);
  }

  @Get('bans')
  @ApiOperation({ summary: 'Bans in force, newest first' })
  @ApiOkResponse({ type: BanPageDto })
  @ApiErrors('VALIDATION_FAILED', 'UNAUTHORIZED', 'UNAVAILABLE')
  listBans(@Query() query: PageQueryDto): Promise<BanPageDto> {
    return this.bans.list(query);
  }

  @Post('bans')
  @ApiOperation({
    summary: 'Ban a user id and/or an IP, permanently or for durationSeconds',
    description:
      'Matching sockets on every instance get moderation:banned and are disconnected; their handshakes ' +
      '(connect_error BANNED with until), joins and guest tokens are refused until the ban ends or is lifted.',
  })
  @ApiCreatedResponse({ type: BanDto })
  @ApiErrors('VALIDATION_FAILED', 'UNAUTHORIZED', 'UNAVAILABLE')
  createBan(@Body() dto: CreateBanDto, @CurrentAdmin() admin: string): Promise<BanDto> {
    return this.bans.create(dto, admin);
  }

  @Delete('bans/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Lift a ban at once' })
  @ApiNoContentResponse()
  @ApiErrors('UNAUTHORIZED', 'NOT_FOUND', 'UNAVAILABLE')
  liftBan(@Param('id') id: string, @CurrentAdmin() admin: string): Promise<void> {
    return this.bans.lift(id, admin);
  }

  @Get('moderation-log')
  @ApiOperation({ summary: 'What admins did (who, what, when), newest first' })
  @ApiOkResponse({ type: ModerationLogPageDto })
  @ApiErrors('VALIDATION_FAILED', 'UNAUTHORIZED', 'UNAVAILABLE')
  moderationLog(@Query() query: PageQueryDto): Promise<ModerationLogPageDto> {
    return this.log.list(query);
  }
}
