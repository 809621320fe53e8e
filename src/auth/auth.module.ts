import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AuthController } from './auth.controller.js';
import { AppConfig } from '../config/app-config.js';
import { AuthService } from './auth.service.js';
import { jwtModuleOptions } from './jwt-keys.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { PasswordHasher } from './password-hasher.js';
import { TokenService } from './token.service.js';

const providers = [AuthService, PasswordHasher, TokenService, { provide: APP_GUARD, useClass: JwtAuthGuard }];

@Global()
@Module({
  imports: [JwtModule.registerAsync({ inject: [AppConfig], useFactory: jwtModuleOptions })],
  controllers: [AuthController],
  providers,
  exports: [AuthService, TokenService, PasswordHasher],
})
export class AuthModule {}
