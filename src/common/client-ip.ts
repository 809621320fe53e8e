import { Global, Injectable, Module } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import proxyaddr from 'proxy-addr';
import { AppConfig } from '../config/app-config.js';

/**
 * One spelling per address: IPv4-mapped IPv6 (`::ffff:198.51.100.7`) as plain IPv4 and IPv6 in
 * lower case, so that a ban on an address matches however the socket reported it. Returns null
 * for anything that is not an IP address.
 */
export function normalizeIp(address: string): string | null {
  const trimmed = address.trim().toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(trimmed);
  const candidate = mapped ? mapped[1] : trimmed;
  return isIP(candidate) === 0 ? null : candidate;
}

/** The trust function of TRUST_PROXY, as Express compiles it (`true`: every hop, n: the n nearest). */
function trustFunction(setting: boolean | number): (address: string, hop: number) => boolean {
  if (setting === true) {
    return () => true;
  }
  return typeof setting === 'number' ? (_address, hop) => hop < setting : () => false;
}

/**
 * The client address of an HTTP request or a Socket.IO handshake: X-Forwarded-For is read only
 * as far as TRUST_PROXY trusts the hops in front of Parley, otherwise the socket's own address.
 */
@Injectable()
export class ClientIp {
  private readonly trust: (address: string, hop: number) => boolean;

  constructor(config: AppConfig) {
    this.trust = trustFunction(config.http.trustProxy);
  }

  of(request: IncomingMessage): string {
    const address = request.socket.remoteAddress === undefined ? '' : proxyaddr(request, this.trust);
    return normalizeIp(address) ?? 'unknown';
  }
}

@Global()
@Module({ providers: [ClientIp], exports: [ClientIp] })
export class ClientIpModule {}
