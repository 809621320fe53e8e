import { createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { JwtSecretRequestType, type JwtModuleOptions } from '@nestjs/jwt';
import { AppConfig } from '../config/app-config.js';
import { ADMIN_AUDIENCE } from './auth-user.js';

/** The HMAC keys of the two token audiences. */
export interface JwtKeys {
  user: KeyObject;
  /**
   * Derived from JWT_SECRET and the admin password: every instance derives the same key, but an
   * integrator backend that holds JWT_SECRET (to mint user tokens) cannot mint admin tokens, and
   * changing the admin password ends every admin session.
   */
  admin: KeyObject;
}

export function jwtKeys(config: AppConfig): JwtKeys {
  const { jwtSecret, adminPassword } = config.auth;
  // The admin key is the text of the derived bytes in base64url, as earlier versions used it, so
  // that instances of both versions accept each other's admin tokens during a rolling upgrade.
  const admin = Buffer.from(hkdfSync('sha256', jwtSecret, adminPassword, 'parley admin tokens', 32)).toString(
    'base64url',
  );
  return { user: createSecretKey(Buffer.from(jwtSecret, 'utf8')), admin: createSecretKey(Buffer.from(admin, 'utf8')) };
}

/**
 * The keys are KeyObjects built once: given a string, jsonwebtoken first tries to parse it as a
 * PEM public/private key on every sign and verify (a thrown error each time), which was the
 * largest cost of a handshake in the benchmark's CPU profile. The key is chosen by the token's
 * audience (`aud`), which every sign and verify of TokenService names.
 */
export function jwtModuleOptions(config: AppConfig): JwtModuleOptions {
  const keys = jwtKeys(config);
  return {
    secretOrKeyProvider: (_request: JwtSecretRequestType, _token: unknown, options?: { audience?: unknown }) =>
      options?.audience === ADMIN_AUDIENCE ? keys.admin : keys.user,
  };
}
