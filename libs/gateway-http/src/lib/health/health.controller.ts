import { ArgumentsHost, Catch, Controller, ExceptionFilter, Get, Inject, ServiceUnavailableException, UseFilters } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { AuthorizationPatterns, BusClient, DirectoryPatterns, IdentityPatterns } from '@iam/contracts';
import { GATEWAY_OPTIONS, GatewayOptions } from '../gateway.options';

const SERVICE_HEALTH = {
  identity: IdentityPatterns.Health,
  directory: DirectoryPatterns.Health,
  authorization: AuthorizationPatterns.Health,
} as const;

/** Sends the health report itself with its 503, not the generic error body. */
@Catch(ServiceUnavailableException)
class HealthReportFilter implements ExceptionFilter {
  catch(exception: ServiceUnavailableException, host: ArgumentsHost): void {
    void host.switchToHttp().getResponse<FastifyReply>().status(503).send(exception.getResponse());
  }
}

/**
 * `GET /health`: 200 when the gateway and every service and its database
 * answer; 503 naming each part that does not.
 */
@Controller('health')
@UseFilters(HealthReportFilter)
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly bus: BusClient,
    @Inject(GATEWAY_OPTIONS) private readonly options: GatewayOptions,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      async () => this.indicators.check('gateway').up(),
      ...Object.entries(SERVICE_HEALTH).map(([service, pattern]) => async () => {
        const indicator = this.indicators.check(service);
        try {
          await this.bus.send(pattern, {}, { timeoutMs: this.options.healthTimeoutMs });
          return indicator.up({ database: 'up' });
        } catch (error) {
          return indicator.down({ message: (error as Error).message });
        }
      }),
    ]);
  }
}
