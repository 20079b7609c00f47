import { memberPathName, type StructureShape } from '@iam/aws-protocol';
import { ERROR_CODES } from '@iam/contracts';
import type { AnyOperation } from '../operations/operation';
import { CURSOR_PARAMS } from '../rest/rest-input';
import type { RestRouter } from '../rest/router';
import { jsonSchemaOf, type JsonSchema } from './json-schema';

const QUERY_NAME_OF: Record<string, string> = Object.fromEntries(Object.entries(CURSOR_PARAMS).map(([q, m]) => [m, q]));

const ERROR_BODY: JsonSchema = {
  type: 'object',
  required: ['code', 'message', 'requestId'],
  properties: {
    code: { type: 'string', enum: [...ERROR_CODES] },
    message: { type: 'string' },
    requestId: { type: 'string' },
    Problems: {
      type: 'array',
      description:
        '`MalformedPolicyDocument` only: every problem with the policy document (`message` is IAM\'s one message), ' +
        'where it is (a JSON path such as `Statement[1].Action`, `""` for the whole document) and, when known, ' +
        'the 1-based line and column of that place in the document as sent. Not part of AWS\'s Query API.',
      items: {
        type: 'object',
        required: ['Message', 'Path'],
        properties: {
          Message: { type: 'string' },
          Path: { type: 'string' },
          Line: { type: 'integer', minimum: 1 },
          Column: { type: 'integer', minimum: 1 },
        },
      },
    },
  },
};

function pathMembers(template: string): string[] {
  return [...template.matchAll(/\{([A-Za-z0-9]+)\}/g)].map((m) => m[1]);
}

function withoutMembers(shape: StructureShape, names: readonly string[]): StructureShape {
  const members = Object.fromEntries(Object.entries(shape.members).filter(([name]) => !names.includes(name)));
  return { type: 'structure', members };
}

function responseSchema(operation: AnyOperation): JsonSchema {
  const schema = operation.output ? jsonSchemaOf(operation.output) : { type: 'object' };
  if (operation.paginated && schema['type'] === 'object') {
    return { ...schema, properties: { ...(schema['properties'] as object), nextCursor: { type: 'string', description: 'Pass as `cursor` to get the next page.' } } };
  }
  return schema;
}

function describe(operation: AnyOperation): string {
  const lines = [operation.summary];
  if (operation.query) lines.push('', `AWS Query API: \`Action=${operation.name}\`.`);
  if (operation.authentication === 'none') lines.push('', 'No authentication.');
  return lines.join('\n');
}

/**
 * The OpenAPI 3.1 document of the REST front, built from the operation table: one path per
 * route, parameters and bodies from the input shapes, replies from the output shapes. The
 * document cannot drift from what the gateway validates.
 */
export function buildOpenApiDocument(router: RestRouter, info: { version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, template, operation } of router.list()) {
    const inPath = pathMembers(template);
    const rest = operation.rest;
    if (!rest) continue;
    const from = rest.from ?? (method === 'GET' || method === 'DELETE' ? 'query' : 'body');
    const parameters: unknown[] = inPath.map((name) => ({
      name,
      in: 'path',
      required: true,
      schema: jsonSchemaOf(operation.input.members[name]),
      ...(name === 'PolicyArn' ? { description: 'The policy ARN, URL-encoded (`/` as `%2F`).' } : {}),
    }));
    const rest_members = withoutMembers(operation.input, inPath);
    if (from === 'query') {
      const listParamOf = Object.fromEntries(Object.entries(rest.listParams ?? {}).map(([q, m]) => [m, q]));
      const aliasOf = Object.fromEntries(Object.entries(rest.aliases ?? {}).map(([q, m]) => [m, q]));
      for (const [name, member] of Object.entries(rest_members.members)) {
        const list = listParamOf[name];
        parameters.push({
          name: list ?? aliasOf[name] ?? QUERY_NAME_OF[name] ?? memberPathName(name),
          in: 'query',
          required: Boolean(member.required),
          schema: list || member.type === 'list' ? { type: 'string', description: 'Comma-separated values.' } : jsonSchemaOf(member),
        });
      }
    }
    const status = String(rest.status ?? 200);
    const responses: Record<string, unknown> = {
      [status]: status === '204' ? { description: 'Done.' } : { description: 'OK', content: { 'application/json': { schema: responseSchema(operation) } } },
      default: { description: 'An error, with the status of its code.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    };
    const entry: Record<string, unknown> = {
      operationId: operation.name,
      summary: operation.summary.split('. ')[0].replace(/\.$/, ''),
      description: describe(operation),
      tags: [operation.tag],
      parameters,
      responses,
      ...(operation.authentication === 'none' ? { security: [] } : {}),
    };
    if (from === 'body' && Object.keys(rest_members.members).length > 0) {
      entry['requestBody'] = {
        required: Object.values(rest_members.members).some((m) => m.required),
        content: { 'application/json': { schema: jsonSchemaOf(rest_members) } },
      };
    }
    const openApiPath = template;
    paths[openApiPath] ??= {};
    paths[openApiPath][method.toLowerCase()] = entry;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'IAM REST API',
      version: info.version,
      description:
        'Users, groups, policies and credentials in the shape of AWS IAM, as JSON resources. Member names are AWS\'s ' +
        '(PascalCase). Every route but `POST /v1/sessions` needs credentials: a session token (`Authorization: Bearer ...`) ' +
        'or a SigV4 signature for service `iam`. Lists take `cursor` and `limit` and answer `nextCursor` while more remain. ' +
        'Errors are `{code, message, requestId}` with the status of the code.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { sigv4: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A session token from POST /v1/sessions.' },
        sigv4: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'AWS Signature Version 4, service `iam`, any region.' },
      },
      schemas: { Error: ERROR_BODY },
    },
    paths,
  };
}
