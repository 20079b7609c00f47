import { ArgumentsHost } from '@nestjs/common';
import { firstValueFrom } from 'rxjs';
import { Client } from 'pg';
import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { BusExceptionFilter } from '../bus/handlers';
import { createServer } from 'node:net';
import { isDatabaseUnavailable } from './unavailable';

/** A loopback port nothing listens on. */
const freePortForSpec = () =>
  new Promise<number>((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });

const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a reset connection', coded('ECONNRESET')],
    ['refused on every address', Object.assign(new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')]), { code: 'ECONNREFUSED' })],
    ['a connection lost mid-query', new Error('Connection terminated unexpectedly')],
    ['a client whose connection was closed, used again', new Error('Client was closed and is not queryable')],
    ['a pool that cannot connect in time', new Error('timeout exceeded when trying to connect')],
    ['the client query timeout', new Error('Query read timeout')],
    ['a server shut down by its administrator (57P01)', coded('57P01', 'terminating connection due to administrator command')],
    ['a server starting up (57P03)', coded('57P03', 'the database system is starting up')],
    ['a connection exception (08006)', coded('08006')],
    ['a statement timeout (57014)', coded('57014', 'canceling statement due to statement timeout')],
    ['a transaction whose connection went away between statements', new QueryRunnerAlreadyReleasedError()],
    ['a raw statement in such a transaction', new QueryRunnerProviderAlreadyReleasedError()],
    ['TypeORM wrapping a lost connection', new QueryFailedError('SELECT 1', [], new Error('Connection terminated unexpectedly'))],
  ])('is true for %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation (23505)', coded('23505', 'duplicate key value violates unique constraint')],
    ['a syntax error (42601)', coded('42601')],
    ['TypeORM wrapping a constraint error', new QueryFailedError('INSERT', [], coded('23503'))],
    ['a programming error', new TypeError('x is not a function')],
    ['nothing', undefined],
  ])('is false for %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it('is true for what pg really throws when nothing listens on the port', async () => {
    const client = new Client({ connectionString: `postgres://postgres@127.0.0.1:${await freePortForSpec()}/none`, connectionTimeoutMillis: 2_000 });
    const error = await client.connect().catch((e: unknown) => e);
    expect(isDatabaseUnavailable(error)).toBe(true);
  });
});

describe('BusExceptionFilter', () => {
  const logger = { warn: jest.fn(), error: jest.fn() };
  const host = { switchToRpc: () => ({ getContext: () => ({ getSubject: () => 'identity.user.get' }) }) } as unknown as ArgumentsHost;
  const wire = (exception: unknown) => firstValueFrom(new BusExceptionFilter(logger as never, 'identity').catch(exception, host)).catch((e: unknown) => e);

  it('answers a database outage as a retryable ServiceUnavailable naming the service', async () => {
    await expect(wire(coded('ECONNREFUSED'))).resolves.toEqual({ code: 'ServiceUnavailable', message: 'The identity service is unavailable: its database does not answer.' });
  });

  it('still answers any other failure as ServiceFailure', async () => {
    await expect(wire(coded('23505'))).resolves.toEqual({ code: 'ServiceFailure', message: 'The request failed because of an internal error.' });
  });
});
