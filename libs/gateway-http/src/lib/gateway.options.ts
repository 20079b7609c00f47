import { z } from 'zod';
import { BusModuleOptions, BusTransport, CommonEnv, HttpEnv } from '@iam/platform';

/** The environment the gateway reads. */
export const GatewayEnv = z.object({ ...CommonEnv.shape, ...HttpEnv.shape });
export type GatewayEnv = z.infer<typeof GatewayEnv>;

export interface GatewayOptions {
  accountId: string;
  bus: BusModuleOptions;
  /** How long `/health` waits for each service. */
  healthTimeoutMs: number;
}

export const GATEWAY_OPTIONS = Symbol('GATEWAY_OPTIONS');

export function gatewayOptions(env: GatewayEnv, transport: BusTransport): GatewayOptions {
  return {
    accountId: env.IAM_ACCOUNT_ID,
    bus: { transport, name: 'gateway', timeoutMs: env.IAM_BUS_TIMEOUT_MS },
    healthTimeoutMs: Math.min(env.IAM_BUS_TIMEOUT_MS, 2_000),
  };
}
