import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ChatError } from '../common/errors/chat-error.js';
import { isValidUsername } from '../common/username.js';
import { AppConfig } from '../config/app-config.js';
import type { UserKind } from '../engine/engine.types.js';
import { ADMIN_AUDIENCE, USER_AUDIENCE, type AuthUser } from './auth-user.js';

/** Who an admin token speaks for. */
export interface AdminIdentity {
  username: string;
  /** When the token expires (seconds since the epoch). */
  expiresAt: number;
}

interface UserClaims {
  sub?: unknown;
  name?: unknown;
  kind?: unknown;
  exp?: unknown;
  aud?: unknown;
}

const KINDS: readonly UserKind[] = ['guest', 'member', 'external'];

/** Signs and verifies JWTs exactly as API.md §2: HS256 only, `exp` required, audience checked. */
@Injectable()
export class TokenService {
  /**
   * The key of each audience comes from the module's secretOrKeyProvider (see jwt-keys.ts): admin
   * tokens are signed with a key derived from JWT_SECRET and the admin password.
   */
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  /** An admin token (`aud: "chat-admin"`) with the short admin lifetime, or `expiresIn` seconds. */
  signAdmin(
    admin: Pick<AdminIdentity, 'username'>,
    expiresIn = this.config.auth.adminTokenTtlSeconds,
  ): { accessToken: string; expiresIn: number } {
    const accessToken = this.jwt.sign(
      { name: admin.username },
      {
        subject: `admin:${admin.username}`,
        audience: ADMIN_AUDIENCE,
        expiresIn,
        algorithm: 'HS256',
      },
    );
    return { accessToken, expiresIn };
  }

  /** The admin of a valid admin token; anything else (a user token included) is UNAUTHORIZED. */
  verifyAdmin(token: string): AdminIdentity {
    const claims = this.verify(token, ADMIN_AUDIENCE);
    if (typeof claims.name !== 'string' || claims.name.length === 0) {
      throw ChatError.unauthorized('Admin token claims are incomplete');
    }
    return { username: claims.name, expiresAt: claims.exp as number };
  }

  /**
   * A user token valid for the configured lifetime, or until `expiresAt` (seconds since the epoch)
   * when given: a token re-issued for a session never outlives the one it replaces.
   */
  signUser(user: AuthUser, expiresAt?: number): { accessToken: string; expiresIn: number } {
    const now = Math.floor(Date.now() / 1000);
    const exp = expiresAt ?? now + this.config.auth.tokenTtlSeconds;
    const accessToken = this.jwt.sign(
      { name: user.username, kind: user.kind, iat: now, exp },
      { subject: user.id, audience: USER_AUDIENCE, algorithm: 'HS256' },
    );
    return { accessToken, expiresIn: Math.max(0, exp - now) };
  }

  /** The user of a valid user token (`aud: "chat"`); anything else is UNAUTHORIZED. */
  verifyUser(token: string): AuthUser {
    return this.verifySession(token).user;
  }

  /** The user and the token's expiry (seconds since the epoch). */
  verifySession(token: string): { user: AuthUser; expiresAt: number } {
    const claims = this.verify(token, USER_AUDIENCE);
    const { sub, name, kind } = claims;
    const validSub = typeof sub === 'string' && sub.length > 0 && sub.length <= 128;
    if (!validSub || typeof name !== 'string' || !isValidUsername(name) || !KINDS.includes(kind as UserKind)) {
      throw ChatError.unauthorized('Token claims are incomplete or invalid (sub, name, kind)');
    }
    return { user: { id: sub, username: name.trim(), kind: kind as UserKind }, expiresAt: claims.exp as number };
  }

  private verify(token: string, audience: string): UserClaims {
    let claims: UserClaims;
    try {
      claims = this.jwt.verify<UserClaims & object>(token, {
        algorithms: ['HS256'],
        audience,
      });
    } catch {
      throw ChatError.unauthorized('Token is invalid or expired');
    }
    // jsonwebtoken accepts an array audience when one element matches: one token could then be
    // both a user and an admin token. Only the exact string is accepted.
    if (claims.aud !== audience) {
      throw ChatError.unauthorized('Token audience is wrong');
    }
    if (typeof claims.exp !== 'number') {
      throw ChatError.unauthorized('Token has no expiry (exp is required)');
    }
    return claims;
  }
}
