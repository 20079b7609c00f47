import { z } from 'zod';
import { BusModuleOptions, BusTransport, Clock, CommonEnv, HttpEnv } from '@iam/platform';

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

/** The environment the gateway reads. */
export const GatewayEnv = z.object({
  ...CommonEnv.shape,
  ...HttpEnv.shape,
  /** How far a SigV4 request date may be from the gateway's clock. */
  IAM_MAX_CLOCK_SKEW_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(3600).default(900)),
});
export type GatewayEnv = z.infer<typeof GatewayEnv>;

export interface GatewayOptions {
  accountId: string;
  bus: BusModuleOptions;
  /** How long `/health` waits for each service. */
  healthTimeoutMs: number;
  /** How far a SigV4 request date may be from `clock` (AWS: 15 minutes). */
  maxClockSkewMs: number;
  /** The clock; the system clock unless given (specs). */
  clock?: Clock;
}

export const GATEWAY_OPTIONS = Symbol('GATEWAY_OPTIONS');

export function gatewayOptions(env: GatewayEnv, transport: BusTransport): GatewayOptions {
  return {
    accountId: env.IAM_ACCOUNT_ID,
    bus: { transport, name: 'gateway', timeoutMs: env.IAM_BUS_TIMEOUT_MS },
    healthTimeoutMs: Math.min(env.IAM_BUS_TIMEOUT_MS, 2_000),
    maxClockSkewMs: env.IAM_MAX_CLOCK_SKEW_SECONDS * 1000,
  };
}
