import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Infer, StructureShape } from '@iam/aws-protocol';
import { AuthorizationPatterns, BusClient, DirectoryPatterns, IamError, IdentityPatterns } from '@iam/contracts';
import { DataPlane } from '../data-plane/data-plane';
import { invalidationOf } from '../data-plane/invalidations';
import { Clock } from '@iam/platform';
import { Authenticator } from '../auth/authenticator';
import { Authorizer } from '../auth/authorizer';
import { DEFAULT_SIGN_IN_RATE_LIMITS, SignInLimiter } from '../auth/sign-in-limiter';
import { GATEWAY_OPTIONS, type GatewayOptions } from '../gateway.options';
import type { AnyOperation, OperationContext } from '../operations/operation';
import type { Caller } from './caller';
import type { RequestInfo } from './request-info';
import { faultOf } from '../http/error-status';
import { GatewayErrors } from '../http/gateway-errors';

/** What a front hands over: the request, and how to read the operation's input from it. */
export interface Invocation {
  readonly operation: AnyOperation;
  readonly request: RequestInfo;
  /** Decodes and validates the input (throws `ValidationError`); runs after authentication. */
  readonly decode: () => Infer<StructureShape>;
  /** Told who the caller is as soon as it is known (for the request's log line). */
  readonly authenticated?: (caller: Caller) => void;
}

/** The outcome of an operation, for the front to write in its own format. */
export interface Outcome {
  readonly operation: AnyOperation;
  readonly result: unknown;
  readonly caller?: Caller;
}

/**
 * The one application layer behind both fronts. For every call, in this order:
 * authenticate the caller, decode and validate the input, refuse everything but
 * `ChangePassword` to a session whose password must be reset, check each permission the
 * operation needs with the authorization service (root is not subject to policies: its checks
 * are not computed), and only then call the owning service(s).
 */
@Injectable()
export class GatewayApplication {
  constructor(
    private readonly bus: BusClient,
    private readonly authenticator: Authenticator,
    private readonly authorizer: Authorizer,
    private readonly clock: Clock,
    @Inject(GATEWAY_OPTIONS) private readonly options: GatewayOptions,
    @Optional() private readonly dataPlane?: DataPlane,
  ) {
    this.signInLimiter = new SignInLimiter({ ...DEFAULT_SIGN_IN_RATE_LIMITS, ...options.signInLimits });
  }

  private readonly signInLimiter: SignInLimiter;

  async execute(invocation: Invocation): Promise<Outcome> {
    const { operation, request } = invocation;
    if (operation.authentication === 'none') {
      const input = invocation.decode();
      // Rate limits before anything reaches a password hash.
      if (operation.signInName) await this.signInLimiter.consume(request.sourceIp, operation.signInName(input));
      const context = this.context(undefined, request);
      return { operation, result: await operation.call(input, context) };
    }
    const caller = await this.authenticator.authenticate(request, operation.api === 'sts' ? 'sts' : 'iam');
    invocation.authenticated?.(caller);
    const input = invocation.decode();
    if (caller.type === 'user' && caller.passwordResetRequired && !operation.allowedWhilePasswordResetRequired) {
      throw GatewayErrors.passwordResetRequired();
    }
    const context = this.context(caller, request);
    // Root is not subject to policies (the authorizer lets it through whatever the checks), so its
    // checks are not even computed: for most operations they would read the target to name its ARN.
    if (caller.type !== 'root') await context.authorize(await operation.checks(input, context));
    const invalidation = this.dataPlane ? invalidationOf(operation.name, input, caller, request) : undefined;
    if (!invalidation) return { operation, result: await operation.call(input, context), caller };
    let result: unknown;
    try {
      result = await operation.call(input, context);
    } catch (error) {
      // A refusal changed nothing; any other failure may have come after the change was made, or
      // the service may still make it (a timeout): drop it now, and once more a bus timeout later.
      if (!(error instanceof IamError && faultOf(error.code) === 'Sender')) {
        await this.dataPlane?.invalidate(invalidation);
        setTimeout(() => void this.dataPlane?.invalidate(invalidation), this.options.bus.timeoutMs).unref();
      }
      throw error;
    }
    // The change returns only once no replica can answer from what it replaced.
    await this.dataPlane?.invalidate(invalidation);
    return { operation, result, caller };
  }

  private context(caller: Caller | undefined, request: RequestInfo): OperationContext {
    const now = this.clock.now();
    return {
      // Operations without authentication (signing in) never read the caller.
      caller: caller as Caller,
      request,
      bus: this.bus,
      accountId: this.options.accountId,
      now,
      options: this.options,
      authorize: async (checks) => {
        if (!caller) throw GatewayErrors.missingAuthenticationToken();
        await this.authorizer.authorize(caller, checks, request, now);
      },
      decide: async (checks) => {
        if (!caller) throw GatewayErrors.missingAuthenticationToken();
        return this.authorizer.decide(caller, checks, request, now);
      },
      evaluate: (decision, userName) =>
        this.authorizer.evaluate ? this.authorizer.evaluate(decision, userName) : this.bus.send(AuthorizationPatterns.Authorize, decision),
      resolveUser: (name) => (this.dataPlane ? this.dataPlane.user(name) : this.bus.send(IdentityPatterns.ResolveUser, { UserName: name })),
      resolveGroup: (name) => (this.dataPlane ? this.dataPlane.group(name) : this.bus.send(DirectoryPatterns.ResolveGroup, { GroupName: name })),
    };
  }
}
