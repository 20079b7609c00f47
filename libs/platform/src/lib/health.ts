import { Controller, Type } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import { HealthReply, IamError, ServiceName } from '@iam/contracts';
import { DataSource } from 'typeorm';

/** A controller answering `<service>.health` after checking the service's database. */
export function healthController(service: ServiceName, pattern: string): Type<unknown> {
  @Controller()
  class HealthController {
    constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

    @MessagePattern(pattern)
    async health(): Promise<HealthReply> {
      try {
        await this.dataSource.query('SELECT 1');
      } catch {
        throw new IamError('ServiceUnavailable', `The ${service} database is not answering.`);
      }
      return { service, database: 'up' };
    }
  }
  return HealthController;
}
