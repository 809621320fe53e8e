import { Body, Controller, Get, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Admin } from '../common/decorators/admin.decorator.js';
import { ApiErrors } from '../common/decorators/api-errors.decorator.js';
import { Public } from '../common/decorators/public.decorator.js';
import { CHAT_ENGINE, type ChatEngine } from '../engine/engine.port.js';
import { AdminAuthService } from './admin-auth.service.js';
import { AdminLoginDto, AdminTokenDto, InstancePageDto } from './dto/admin.dto.js';

/** Admin API (API.md §7). Every route but login needs an admin token. */
@ApiTags('admin')
@Controller('admin')
export class AdminController {
  constructor(
    private readonly auth: AdminAuthService,
    @Inject(CHAT_ENGINE) private readonly engine: ChatEngine,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Admin login; failed attempts are throttled per IP and per username' })
  @ApiOkResponse({ type: AdminTokenDto })
  @ApiErrors('VALIDATION_FAILED', 'INVALID_CREDENTIALS', 'RATE_LIMITED')
  login(@Body() dto: AdminLoginDto, @Req() request: Request): Promise<AdminTokenDto> {
    return this.auth.login(dto.username, dto.password, request.ip ?? 'unknown');
  }

  @Admin()
  @Get('instances')
  @ApiOperation({ summary: 'Every live server instance of the cluster, from the registry heartbeats' })
  @ApiOkResponse({ type: InstancePageDto })
  @ApiErrors('UNAUTHORIZED', 'UNAVAILABLE')
  async instances(): Promise<InstancePageDto> {
    const live = await this.engine.listInstances(Date.now());
    const items = live.map((i) => ({
      ...i,
      startedAt: new Date(i.startedAt).toISOString(),
      lastHeartbeat: new Date(i.lastHeartbeat).toISOString(),
    }));
    return { items, nextCursor: null };
  }
}
