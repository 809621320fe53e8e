import { Inject, Injectable } from '@nestjs/common';
import { ChatError } from '../common/errors/chat-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { newId } from '../common/ids.js';
import { CHAT_ENGINE, type ChatEngine } from '../engine/engine.port.js';
import { BansService } from '../moderation/bans.service.js';
import type { AuthUser } from './auth-user.js';
import type { AuthResponseDto } from './dto/auth.dto.js';
import { PasswordHasher } from './password-hasher.js';
import { TokenService } from './token.service.js';

@Injectable()
export class AuthService {
  constructor(
    @Inject(CHAT_ENGINE) private readonly engine: ChatEngine,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly bans: BansService,
  ) {}

  /** A guest token, unless the address is banned (403 BANNED). */
  async guest(username: string, ip: string): Promise<AuthResponseDto> {
    await this.bans.assertNotBanned(null, ip);
    return this.issue({ id: newId(), username, kind: 'guest' });
  }

  async register(username: string, password: string): Promise<AuthResponseDto> {
    const account = { id: newId(), username, passwordHash: await this.hasher.hash(password), createdAt: Date.now() };
    if (!(await this.engine.createAccount(account))) {
      throw new ChatError(ErrorCode.USERNAME_TAKEN, `Username "${username}" is taken`);
    }
    return this.issue({ id: account.id, username, kind: 'member' });
  }

  async login(username: string, password: string): Promise<AuthResponseDto> {
    const account = await this.engine.findAccountByUsername(username.trim());
    const valid = account
      ? await this.hasher.verify(password, account.passwordHash)
      : await this.hasher.verifyDecoy(password);
    if (!account || !valid) {
      throw new ChatError(ErrorCode.INVALID_CREDENTIALS, 'Wrong username or password');
    }
    return this.issue({ id: account.id, username: account.username, kind: 'member' });
  }

  /** The user of a token, with a member's current account name (it may have been renamed). */
  async current(user: AuthUser): Promise<AuthUser> {
    if (user.kind !== 'member') {
      return user;
    }
    const account = await this.engine.findAccountById(user.id);
    return account ? { ...user, username: account.username } : user;
  }

  private issue(user: AuthUser): AuthResponseDto {
    return { ...this.tokens.signUser(user), tokenType: 'Bearer', user };
  }
}
