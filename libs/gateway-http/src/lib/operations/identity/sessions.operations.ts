import { IdentityPatterns } from '@iam/contracts';
import { bearerToken } from '../../auth/bus-authenticator';
import { defineOperation, input, required } from '../operation';
import { Out, Shapes, TagOut } from '../shapes';
import { GatewayErrors } from '../../http/gateway-errors';

const TAG = 'Sessions';

const PrincipalOut = Out.struct({
  Type: Out.text,
  AccountId: Out.text,
  UserId: Out.text,
  UserName: Out.text,
  Path: Out.text,
  Arn: Out.text,
  Tags: Out.list(TagOut),
});
const SessionOut = Out.struct({ Principal: PrincipalOut, Expiration: Out.timestamp, PasswordChangeOnly: Out.bool });

export const CreateSession = defineOperation({
  name: 'CreateSession',
  query: false,
  tag: TAG,
  summary:
    'Signs in with a user name and password (or `"Root": true` and the root password) and answers a session token for `Authorization: Bearer`. A session whose password must be reset may only change it (POST /v1/me/password) and sign out.',
  input: input({ UserName: Shapes.existingUserName, Root: { type: 'boolean' }, Password: required(Shapes.offeredPassword) }),
  output: Out.struct({ ...SessionOut.members, SessionToken: Out.text }),
  authentication: 'none',
  signInName: (i) => (i.Root === true ? 'root' : (i.UserName ?? '')),
  checks: () => [],
  call: (i, c) => {
    if ((i.UserName === undefined) === (i.Root !== true)) {
      throw GatewayErrors.signInTarget();
    }
    const who = i.Root === true ? { Root: true } : { UserName: i.UserName };
    return c.bus.send(IdentityPatterns.SignIn, { ...who, Password: i.Password, SourceIp: c.request.sourceIp });
  },
  rest: { method: 'POST', path: '/v1/sessions', status: 201 },
});

function currentToken(request: Parameters<typeof bearerToken>[0]): string {
  const token = bearerToken(request);
  if (token === undefined) throw GatewayErrors.notASession();
  return token;
}

export const GetCurrentSession = defineOperation({
  name: 'GetCurrentSession',
  query: false,
  tag: TAG,
  summary: 'The session of the bearer token of this request: who it is and when it ends.',
  input: input({}),
  output: SessionOut,
  allowedWhilePasswordResetRequired: true,
  checks: () => [],
  call: (_i, c) => c.bus.send(IdentityPatterns.VerifySession, { SessionToken: currentToken(c.request) }),
  rest: { method: 'GET', path: '/v1/sessions/current' },
});

export const DeleteCurrentSession = defineOperation({
  name: 'DeleteCurrentSession',
  query: false,
  tag: TAG,
  summary: 'Signs out: ends the session of the bearer token of this request.',
  input: input({}),
  allowedWhilePasswordResetRequired: true,
  checks: () => [],
  call: (_i, c) => c.bus.send(IdentityPatterns.SignOut, { SessionToken: currentToken(c.request) }),
  rest: { method: 'DELETE', path: '/v1/sessions/current', status: 204 },
});

export const SESSION_OPERATIONS = [CreateSession, GetCurrentSession, DeleteCurrentSession];
