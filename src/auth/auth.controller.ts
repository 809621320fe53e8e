import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ClientIp } from '../common/client-ip.js';
import { StrictLimit } from '../rate-limit/rate-limit.decorators.js';
import { ApiErrors } from '../common/decorators/api-errors.decorator.js';
import { CurrentUser } from '../common/decorators/current-user.decorator.js';
import { Public } from '../common/decorators/public.decorator.js';
import { UserDto } from '../common/dto/user.dto.js';
import type { AuthUser } from './auth-user.js';
import { AuthService } from './auth.service.js';
import { AuthResponseDto, GuestDto, LoginDto, RegisterDto } from './dto/auth.dto.js';

@ApiTags('auth')
@StrictLimit()
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly clientIp: ClientIp,
  ) {}

  @Public()
  @Post('guest')
  @ApiOperation({ summary: 'Get a guest token (no account; the name need not be unique); refused to banned IPs' })
  @ApiCreatedResponse({ type: AuthResponseDto })
  @ApiErrors('VALIDATION_FAILED', 'BANNED', 'PAYLOAD_TOO_LARGE', 'RATE_LIMITED')
  guest(@Body() dto: GuestDto, @Req() request: Request): Promise<AuthResponseDto> {
    return this.auth.guest(dto.username, this.clientIp.of(request));
  }

  @Public()
  @Post('register')
  @ApiOperation({ summary: 'Create an account and get a member token' })
  @ApiCreatedResponse({ type: AuthResponseDto })
  @ApiErrors('VALIDATION_FAILED', 'USERNAME_TAKEN', 'PAYLOAD_TOO_LARGE', 'RATE_LIMITED')
  register(@Body() dto: RegisterDto): Promise<AuthResponseDto> {
    return this.auth.register(dto.username, dto.password);
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in to an account' })
  @ApiOkResponse({ type: AuthResponseDto })
  @ApiErrors('VALIDATION_FAILED', 'INVALID_CREDENTIALS', 'PAYLOAD_TOO_LARGE', 'RATE_LIMITED')
  login(@Body() dto: LoginDto): Promise<AuthResponseDto> {
    return this.auth.login(dto.username, dto.password);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The user the token speaks for' })
  @ApiOkResponse({ type: UserDto })
  @ApiErrors('UNAUTHORIZED')
  me(@CurrentUser() user: AuthUser): Promise<UserDto> {
    return this.auth.current(user);
  }
}
