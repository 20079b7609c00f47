import { busInboxPrefix, BusRequester } from '@iam/contracts';
import { readFileSync } from 'node:fs';
import { ConnectionOptions, nkeyAuthenticator } from 'nats';
import { ConfigError } from '../config';
import { BusServer } from './bus-server';
import { InFlightTracker } from './in-flight';
import { InProcessBroker, InProcessRequester, InProcessServer } from './in-process';
import { IamNatsServer, NatsRequester } from './nats';

/** Where the bus is: a NATS server, or the in-process broker of the embedded default. */
export type BusTransport =
  | ({ kind: 'nats'; url: string; prefix?: string } & NatsSecurity)
  | { kind: 'in-process'; broker: InProcessBroker; prefix?: string };

/** How an app proves who it is to NATS, and how the connection is protected. */
export interface NatsSecurity {
  /** The app's role on the bus (`BUS_ROLES`): its replies come on its own inbox, `_INBOX.[<prefix>.]<app>`. */
  app?: string;
  /** The app's NKey user seed (`SU…`). */
  nkeySeed?: string;
  /** TLS: the CA that signed the server's certificate; the app's certificate and key for mutual TLS. */
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
}

/** The `nats` connection options of a transport's credentials and TLS. */
export function natsConnectionOptions(transport: { prefix?: string } & NatsSecurity): Partial<ConnectionOptions> {
  const options: Partial<ConnectionOptions> = {};
  if (transport.nkeySeed) options.authenticator = nkeyAuthenticator(new TextEncoder().encode(transport.nkeySeed));
  if (transport.tls) options.tls = { ...transport.tls };
  if (transport.app) options.inboxPrefix = busInboxPrefix(transport.app, transport.prefix);
  return options;
}

function prefixOf(transport: BusTransport): string {
  return transport.prefix ? `${transport.prefix}.` : '';
}

/** The server strategy for a service: its queue group is its name. */
export function createBusServer(
  transport: BusTransport,
  service: string,
  inFlight: InFlightTracker,
): BusServer {
  const prefix = prefixOf(transport);
  if (transport.kind === 'nats') {
    return new IamNatsServer({ servers: transport.url, queue: service, prefix, name: service, connection: natsConnectionOptions(transport) }, inFlight);
  }
  return new InProcessServer(transport.broker, service, prefix, inFlight);
}

/** The client side for any app: requests and events over the transport. */
export function createBusRequester(transport: BusTransport, name: string): BusRequester {
  const prefix = prefixOf(transport);
  if (transport.kind === 'nats') {
    return new NatsRequester({ servers: transport.url, name: `${name}-client`, maxReconnectAttempts: -1, ...natsConnectionOptions(transport) }, prefix);
  }
  return new InProcessRequester(transport.broker, prefix);
}

export interface NatsTransportEnv {
  NATS_URL: string;
  IAM_BUS_SUBJECT_PREFIX?: string;
  IAM_NATS_NKEY_SEED?: string;
  IAM_NATS_NKEY_SEED_FILE?: string;
  IAM_NATS_TLS_CA_FILE?: string;
  IAM_NATS_TLS_CERT_FILE?: string;
  IAM_NATS_TLS_KEY_FILE?: string;
  IAM_BUS_ALLOW_UNAUTHENTICATED?: 'true' | 'false';
  NODE_ENV?: string;
}

/**
 * The NATS transport described by the environment, for `app` (its role on the bus).
 * In production (NODE_ENV=production) a bus without credentials is refused
 * unless IAM_BUS_ALLOW_UNAUTHENTICATED=true.
 */
export function natsTransport(env: NatsTransportEnv, app?: string): BusTransport {
  const problems: string[] = [];
  if (env.IAM_NATS_NKEY_SEED && env.IAM_NATS_NKEY_SEED_FILE) problems.push('IAM_NATS_NKEY_SEED and IAM_NATS_NKEY_SEED_FILE must not both be set');
  let nkeySeed = env.IAM_NATS_NKEY_SEED;
  if (!nkeySeed && env.IAM_NATS_NKEY_SEED_FILE) {
    try {
      nkeySeed = readFileSync(env.IAM_NATS_NKEY_SEED_FILE, 'utf8').trim();
      if (!/^SU[A-Z2-7]{56}$/.test(nkeySeed)) problems.push(`IAM_NATS_NKEY_SEED_FILE must hold an NKey user seed (SU followed by 56 base32 characters) (got a file of ${nkeySeed.length} characters)`);
    } catch (error) {
      problems.push(`IAM_NATS_NKEY_SEED_FILE cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} (got '${env.IAM_NATS_NKEY_SEED_FILE}')`);
    }
  }
  if (Boolean(env.IAM_NATS_TLS_CERT_FILE) !== Boolean(env.IAM_NATS_TLS_KEY_FILE)) {
    problems.push('IAM_NATS_TLS_CERT_FILE and IAM_NATS_TLS_KEY_FILE must be set together (the app\'s certificate for mutual TLS)');
  }
  const hasUrlCredentials = (() => {
    try {
      return new URL(env.NATS_URL).username !== '';
    } catch {
      return false;
    }
  })();
  if (env.NODE_ENV === 'production' && !nkeySeed && !hasUrlCredentials && env.IAM_BUS_ALLOW_UNAUTHENTICATED !== 'true' && problems.length === 0) {
    problems.push('NATS_URL has no credentials in production: set IAM_NATS_NKEY_SEED_FILE (npm run nats-config writes one per app) or IAM_BUS_ALLOW_UNAUTHENTICATED=true');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const tls =
    env.IAM_NATS_TLS_CA_FILE || env.IAM_NATS_TLS_CERT_FILE
      ? { caFile: env.IAM_NATS_TLS_CA_FILE, certFile: env.IAM_NATS_TLS_CERT_FILE, keyFile: env.IAM_NATS_TLS_KEY_FILE }
      : undefined;
  return { kind: 'nats', url: env.NATS_URL, prefix: env.IAM_BUS_SUBJECT_PREFIX, app, nkeySeed, tls };
}
