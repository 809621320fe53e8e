import { NoRateLimit } from '../rate-limit/rate-limit.decorators.js';
import { Controller, Get, Inject, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import { Public } from '../common/decorators/public.decorator.js';
import { GracefulShutdown } from '../cluster/graceful-shutdown.service.js';
import { CHAT_ENGINE, type ChatEngine } from '../engine/engine.port.js';
import { HealthCheckFilter } from './health-check.filter.js';

/** How long readiness waits for the engine before calling it down. */
const ENGINE_PING_TIMEOUT_MS = 1000;

@ApiTags('health')
@Public()
@UseFilters(HealthCheckFilter)
// Load balancers and orchestrators poll these; they are never rate limited.
@NoRateLimit()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(CHAT_ENGINE) private readonly engine: ChatEngine,
    private readonly shutdown: GracefulShutdown,
  ) {}

  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'The process is up' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'The instance can serve: it is not shutting down and its engine answers' })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () =>
        this.indicators
          .check('instance')
          .attempt(() => (this.shutdown.draining ? Promise.reject(new Error('Shutting down')) : Promise.resolve())),
      () =>
        this.indicators
          .check('engine')
          .attempt(() => this.engine.ping())
          .withTimeout(ENGINE_PING_TIMEOUT_MS),
    ]);
  }
}
