import { Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { decodeQueryInput, queryResponse, readQueryParameters, type Shape, type XmlStructure } from '@iam/aws-protocol';
import { IamError } from '@iam/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayApplication } from '../application/gateway-application';
import { requestInfoOf } from '../application/request-info';
import { CONSOLE_PATH, isBrowserVisit } from '../console/console';
import type { LoggedRequest } from '../http/logged-request';
import type { AnyOperation } from '../operations/operation';
import { OPERATION_TABLE, OperationTable } from '../operations/table';
import { unrecognized } from '../rest/rest-input';
import { AWS_IAM_ACTIONS, AWS_STS_ACTIONS } from './aws-actions';
import { GatewayErrors } from '../http/gateway-errors';

export const IAM_API_VERSION = '2010-05-08';
/** AWS STS's Query API version: its actions are served on the same endpoint. */
export const STS_API_VERSION = '2011-06-15';
const STS_XML_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

function unknownAction(action: string | undefined, version: string): IamError {
  if (action === undefined || action === '') {
    return GatewayErrors.missingAction();
  }
  if ((version === IAM_API_VERSION && AWS_IAM_ACTIONS.has(action)) || (version === STS_API_VERSION && AWS_STS_ACTIONS.has(action))) {
    return GatewayErrors.actionNotYetSupported(action);
  }
  return GatewayErrors.unknownAction(action, version);
}

/**
 * Members the output shape declares as timestamps, as `Date`s, so that the XML writer prints
 * them as AWS does (`2026-11-28T01:02:03Z`, whole seconds) whatever precision the service kept.
 */
export function withTimestamps(shape: Shape | undefined, value: unknown): unknown {
  if (!shape || value === null || value === undefined) return value;
  switch (shape.type) {
    case 'timestamp': {
      if (typeof value !== 'string') return value;
      const date = new Date(value);
      return Number.isNaN(date.getTime()) ? value : date;
    }
    case 'list':
      return Array.isArray(value) ? value.map((item) => withTimestamps(shape.member, item)) : value;
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value) || value instanceof Map || value instanceof Date) return value;
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[key] = withTimestamps(shape.members[key], item);
      return out;
    }
    default:
      return value;
  }
}

/** The XML result element of an operation's reply. */
export function xmlResult(operation: AnyOperation, result: unknown): XmlStructure | undefined {
  const xml = operation.toXml ? operation.toXml(result) : (result as XmlStructure | undefined | null);
  if (xml === undefined || xml === null) return undefined;
  const structure = { ...(withTimestamps(operation.output, xml) as Record<string, unknown>) };
  delete structure['nextCursor'];
  return Object.keys(structure).length === 0 ? undefined : (structure as XmlStructure);
}

/**
 * The AWS IAM Query API: `POST /` with a form-encoded body, or `GET /?Action=...`.
 * `Action` picks the operation, `Version` must be 2010-05-08 when given; the other parameters
 * are decoded and validated with the operation's input shape. Replies and errors are AWS's XML.
 */
@Controller()
export class QueryController {
  constructor(
    private readonly application: GatewayApplication,
    @Inject(OPERATION_TABLE) private readonly table: OperationTable,
  ) {}

  @Post('/')
  @HttpCode(200)
  post(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.handle(request, reply);
  }

  /** The Query API; a browser's visit (HTML accepted, no action, no credentials) goes to the console. */
  @Get('/')
  async get(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (isBrowserVisit(requestInfoOf(request))) {
      void reply.redirect(CONSOLE_PATH, 302);
      return;
    }
    return this.handle(request, reply);
  }

  private async handle(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const info = requestInfoOf(request);
    const params = readQueryParameters({ rawQuery: info.rawQuery, body: info.body, contentType: info.contentType });
    const action = params.get('Action');
    const version = params.get('Version') ?? IAM_API_VERSION;
    const found = action && (version === IAM_API_VERSION || version === STS_API_VERSION) ? this.table.queryAction(action) : undefined;
    const operation = found && (found.api === 'sts') === (version === STS_API_VERSION) ? found : undefined;
    if (!operation) throw unknownAction(action, version);
    const logged = request as FastifyRequest & LoggedRequest;
    logged.iamAction = operation.name;
    const outcome = await this.application.execute({
      operation,
      request: info,
      authenticated: (caller) => (logged.iamPrincipal = caller.arn),
      decode: () => {
        const { input, unknownParameters } = decodeQueryInput(operation.input, params);
        if (unknownParameters.length > 0) throw unrecognized(unknownParameters[0], operation);
        return input;
      },
    });
    const xml = queryResponse(operation.name, xmlResult(operation, outcome.result), info.requestId, operation.api === 'sts' ? { namespace: STS_XML_NAMESPACE } : {});
    void reply.status(200).header('content-type', 'text/xml').send(xml);
  }
}
