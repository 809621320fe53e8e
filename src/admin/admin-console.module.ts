import { Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import type { ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';

/** The console's build output (admin-ui/dist), two levels up from src/admin and dist/admin alike. */
export const ADMIN_UI_DIST = fileURLToPath(new URL('../../admin-ui/dist', import.meta.url));

/**
 * What the console may load: its own scripts and styles only (no inline script, no eval, no
 * third-party origin), API calls and the live socket to this server, and it may not be framed.
 */
export const ADMIN_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

function consoleHeaders(res: ServerResponse, path: string): void {
  res.setHeader('Content-Security-Policy', ADMIN_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  // Vite puts a content hash in every asset name; the page itself must always be fresh.
  res.setHeader('Cache-Control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
}

/** Serves the admin console (admin-ui/) at /admin. */
@Module({
  imports: [
    ServeStaticModule.forRoot({
      rootPath: ADMIN_UI_DIST,
      serveRoot: '/admin',
      // Only the page itself: a missing asset is a 404, not the page (routes live in the hash).
      renderPath: '/',
      serveStaticOptions: { setHeaders: consoleHeaders, index: 'index.html' },
    }),
  ],
})
export class AdminConsoleModule {}
