import { INestMicroservice, PipeTransform } from '@nestjs/common';
import { EXCEPTION_FILTERS_METADATA, GUARDS_METADATA, INTERCEPTORS_METADATA, PIPES_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { PatternHandler } from '@nestjs/microservices/enums/pattern-handler.enum';
import { RpcParamtype } from '@nestjs/microservices/enums/rpc-paramtype.enum';
import { PATTERN_HANDLER_METADATA, PATTERN_METADATA } from '@nestjs/microservices/constants';
import { busOutcomeOf, IamError, isWireError, REQUEST_ID_HEADER, WireError } from '@iam/contracts';
import type { Logger } from 'pino';
import { busHandlerDuration } from '../metrics/metrics';
import { RequestScope } from '../request-scope';
import { ContractPipe, HeadersLike, wireErrorOf } from './handlers';
import { InFlightTracker } from './in-flight';

/** What a request's handler answers: its reply, or the error that crosses the bus. */
export type DirectReply = { response: unknown } | { err: WireError };

/** A request handler called without Nest's per-message pipeline (see {@link directHandlers}). */
export type DirectHandler = (data: unknown, headers: HeadersLike | undefined, subject: string) => Promise<DirectReply>;

interface Found {
  pattern: string;
  call: (request: unknown) => unknown;
  pipe?: PipeTransform;
}

const ENHANCERS = [GUARDS_METADATA, INTERCEPTORS_METADATA, PIPES_METADATA, EXCEPTION_FILTERS_METADATA];

function hasEnhancers(target: object): boolean {
  return ENHANCERS.some((key) => (Reflect.getMetadata(key, target) as unknown[] | undefined)?.length);
}

/**
 * The request handlers of `app`'s controllers that need nothing of Nest's
 * per-message pipeline but what every service installs globally: a
 * `@MessagePattern` method taking no argument or one `@Payload(contract(...))`
 * (or a bare `@Payload()`), with no guard, interceptor, pipe or filter of its
 * own. Each is wrapped to do, in one plain async function, exactly what the
 * global interceptors and filter do around it (request scope from the bus
 * header, in-flight count, the handler-duration metric, a debug line, the
 * error as it crosses the bus), so the transport calls it directly: no rxjs,
 * no execution context, no per-message enhancer lookup. Anything else (events,
 * handlers with their own enhancers or other parameters) keeps Nest's path.
 */
export function directHandlers(app: INestMicroservice, service: string, logger: Logger, inFlight: InFlightTracker): Map<string, DirectHandler> {
  const handlers = new Map<string, DirectHandler>();
  for (const found of discover(app)) {
    handlers.set(found.pattern, async (data, headers, subject) => {
      const requestId = headers?.get(REQUEST_ID_HEADER) || RequestScope.newId();
      return RequestScope.run({ requestId }, async () => {
        const started = performance.now();
        inFlight.start();
        let outcome = 'ok';
        let metricOutcome = 'ok';
        try {
          const request = found.pipe ? found.pipe.transform(data ?? {}, { type: 'custom' }) : data;
          return { response: await found.call(request) };
        } catch (error) {
          outcome = error instanceof IamError ? error.code : isWireError(error) ? error.code : 'ServiceFailure';
          metricOutcome = busOutcomeOf(error) === 'bus_failure' ? 'ServiceFailure' : busOutcomeOf(error);
          return { err: wireErrorOf(error, logger, service, subject) };
        } finally {
          inFlight.end();
          const seconds = (performance.now() - started) / 1000;
          busHandlerDuration.observe({ service, pattern: found.pattern, outcome: metricOutcome }, seconds);
          logger.debug({ subject, outcome, ms: Math.round(seconds * 10_000) / 10 }, 'handled');
        }
      });
    });
  }
  return handlers;
}

function discover(app: INestMicroservice): Found[] {
  const found: Found[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      const metatype = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!instance || !metatype || !wrapper.isDependencyTreeStatic() || hasEnhancers(metatype)) continue;
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const method = prototype[name];
        if (name === 'constructor' || typeof method !== 'function') continue;
        if (Reflect.getMetadata(PATTERN_HANDLER_METADATA, method) !== PatternHandler.MESSAGE || hasEnhancers(method)) continue;
        const patterns = Reflect.getMetadata(PATTERN_METADATA, method) as unknown[] | undefined;
        if (!patterns || patterns.length !== 1 || typeof patterns[0] !== 'string') continue;
        const args = Object.values((Reflect.getMetadata(ROUTE_ARGS_METADATA, metatype, name) ?? {}) as Record<string, { index: number; data?: unknown; pipes?: PipeTransform[] }>);
        const keys = Object.keys((Reflect.getMetadata(ROUTE_ARGS_METADATA, metatype, name) ?? {}) as object);
        if (args.length > 1) continue;
        let pipe: PipeTransform | undefined;
        if (args.length === 1) {
          const [arg] = args;
          const isPayload = keys[0].startsWith(`${RpcParamtype.PAYLOAD}:`);
          const pipes = arg.pipes ?? [];
          if (!isPayload || arg.index !== 0 || arg.data !== undefined || pipes.length > 1 || (pipes.length === 1 && !(pipes[0] instanceof ContractPipe))) continue;
          pipe = pipes[0];
        }
        const bound = (method as (request?: unknown) => unknown).bind(instance);
        found.push({ pattern: patterns[0], call: args.length === 1 ? bound : () => bound(), pipe });
      }
    }
  }
  return found;
}
