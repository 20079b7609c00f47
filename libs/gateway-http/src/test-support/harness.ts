import { Test } from '@nestjs/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IamError } from '@iam/contracts';
import type { BusTransport, Clock } from '@iam/platform';
import { silentLogger } from '@iam/testing';
import type { Logger } from 'pino';
import type { Caller } from '../lib/application/caller';
import type { RequestInfo } from '../lib/application/request-info';
import { Authenticator } from '../lib/auth/authenticator';
import { Authorizer } from '../lib/auth/authorizer';
import { configureGateway, gatewayAdapter } from '../lib/bootstrap';
import type { DataPlaneOptions } from '../lib/data-plane/data-plane';
import { GatewayHttpModule } from '../lib/gateway-http.module';

export const ACCOUNT = '123456789012';

export const ROOT: Caller = { type: 'root', arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, via: 'access-key' };

export function userCaller(name: string, extra: Partial<Extract<Caller, { type: 'user' }>> = {}): Caller {
  return {
    type: 'user',
    arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    accountId: ACCOUNT,
    via: 'access-key',
    userId: `AIDA${name.toUpperCase().padEnd(17, 'X').slice(0, 17)}`,
    userName: name,
    path: '/',
    tags: [],
    passwordResetRequired: false,
    ...extra,
  };
}

/** Authenticates every request as whoever `Authorization: Test <name>` names (`root` for root). */
export class HeaderAuthenticator extends Authenticator {
  async authenticate(request: RequestInfo): Promise<Caller> {
    const header = request.headers['authorization'];
    const value = typeof header === 'string' ? header : header?.[0];
    const match = /^Test (\S+)$/.exec(value ?? '');
    if (!match) throw new IamError('MissingAuthenticationToken', 'Request is missing Authentication Token');
    return match[1] === 'root' ? ROOT : userCaller(match[1], match[1].startsWith('reset-') ? { passwordResetRequired: true } : {});
  }
}

export interface GatewayHarnessOptions {
  transport: BusTransport;
  authenticator?: Authenticator;
  authorizer?: Authorizer;
  clock?: Clock;
  timeoutMs?: number;
  logger?: Logger;
  consoleDir?: string;
  /** The data plane (authentication and decisions from coherent caches); off unless given. */
  cache?: DataPlaneOptions;
}

/** A gateway on a free loopback port, with the real module and optional fakes for authn/authz. */
export async function startTestGateway(options: GatewayHarnessOptions): Promise<{ app: NestFastifyApplication; url: string }> {
  let builder = Test.createTestingModule({
    imports: [
      GatewayHttpModule.register({
        accountId: ACCOUNT,
        bus: { transport: options.transport, name: 'gateway', timeoutMs: options.timeoutMs ?? 2_000 },
        healthTimeoutMs: 1_000,
        maxClockSkewMs: 15 * 60_000,
        ...(options.clock ? { clock: options.clock } : {}),
        ...(options.cache ? { cache: options.cache } : {}),
      }),
    ],
  });
  if (options.authenticator) builder = builder.overrideProvider(Authenticator).useValue(options.authenticator);
  if (options.authorizer) builder = builder.overrideProvider(Authorizer).useValue(options.authorizer);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(gatewayAdapter(), { logger: false, bodyParser: false });
  await configureGateway(app, options.logger ?? silentLogger('gateway'), options.consoleDir);
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

/** The JSON body of a response, typed loosely for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function json(response: Response): Promise<any> {
  return response.json();
}
