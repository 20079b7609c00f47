import { defineOperation, input, type OperationContext } from '../operation';
import { Out, PageMembers, PageOut, Shapes } from '../shapes';
import { userOrCaller } from '../targets';
import { GatewayErrors } from '../../http/gateway-errors';

/**
 * Lists of credentials this server does not have: MFA devices, SSH public keys, signing
 * certificates, service-specific credentials. They are truthfully empty for every existing
 * user (an unknown user is `NoSuchEntity`), so that tools which clean a user up before
 * deleting it (Terraform's `force_destroy`, scripts) work unchanged. Query API only.
 */
async function existingUser(c: OperationContext, name: string | undefined): Promise<void> {
  const target = await userOrCaller(c, name);
  if (!target.exists) throw GatewayErrors.noSuchUser(String(name));
}

const TAG = 'Compatibility';
const empty = (list: string) => ({ [list]: [], IsTruncated: false });

export const ListMFADevices = defineOperation({
  name: 'ListMFADevices',
  query: true,
  compatibilityOnly: true,
  tag: TAG,
  summary: 'Always empty: this server has no MFA devices.',
  input: input({ UserName: Shapes.existingUserName, ...PageMembers }),
  output: Out.struct({ MFADevices: Out.list(Out.struct({})), ...PageOut }),
  checks: async (i, c) => [{ action: 'iam:ListMFADevices', resource: (await userOrCaller(c, i.UserName)).arn }],
  call: async (i, c) => {
    await existingUser(c, i.UserName);
    return empty('MFADevices');
  },
});

export const ListVirtualMFADevices = defineOperation({
  name: 'ListVirtualMFADevices',
  query: true,
  compatibilityOnly: true,
  tag: TAG,
  summary: 'Always empty: this server has no virtual MFA devices.',
  input: input({ AssignmentStatus: { type: 'string', enum: ['Assigned', 'Unassigned', 'Any'] }, ...PageMembers }),
  output: Out.struct({ VirtualMFADevices: Out.list(Out.struct({})), ...PageOut }),
  checks: () => [{ action: 'iam:ListVirtualMFADevices', resource: '*' }],
  call: async () => empty('VirtualMFADevices'),
});

export const ListSSHPublicKeys = defineOperation({
  name: 'ListSSHPublicKeys',
  query: true,
  compatibilityOnly: true,
  tag: TAG,
  summary: 'Always empty: this server has no SSH public keys.',
  input: input({ UserName: Shapes.existingUserName, ...PageMembers }),
  output: Out.struct({ SSHPublicKeys: Out.list(Out.struct({})), ...PageOut }),
  checks: async (i, c) => [{ action: 'iam:ListSSHPublicKeys', resource: (await userOrCaller(c, i.UserName)).arn }],
  call: async (i, c) => {
    await existingUser(c, i.UserName);
    return empty('SSHPublicKeys');
  },
});

export const ListSigningCertificates = defineOperation({
  name: 'ListSigningCertificates',
  query: true,
  compatibilityOnly: true,
  tag: TAG,
  summary: 'Always empty: this server has no signing certificates.',
  input: input({ UserName: Shapes.existingUserName, ...PageMembers }),
  output: Out.struct({ Certificates: Out.list(Out.struct({})), ...PageOut }),
  checks: async (i, c) => [{ action: 'iam:ListSigningCertificates', resource: (await userOrCaller(c, i.UserName)).arn }],
  call: async (i, c) => {
    await existingUser(c, i.UserName);
    return empty('Certificates');
  },
});

export const ListServiceSpecificCredentials = defineOperation({
  name: 'ListServiceSpecificCredentials',
  query: true,
  compatibilityOnly: true,
  tag: TAG,
  summary: 'Always empty: this server has no service-specific credentials.',
  input: input({ UserName: Shapes.existingUserName, ServiceName: { type: 'string' }, ...PageMembers }),
  output: Out.struct({ ServiceSpecificCredentials: Out.list(Out.struct({})) }),
  checks: async (i, c) => [{ action: 'iam:ListServiceSpecificCredentials', resource: (await userOrCaller(c, i.UserName)).arn }],
  call: async (i, c) => {
    await existingUser(c, i.UserName);
    return { ServiceSpecificCredentials: [] };
  },
});

export const ABSENT_CREDENTIAL_OPERATIONS = [ListMFADevices, ListVirtualMFADevices, ListSSHPublicKeys, ListSigningCertificates, ListServiceSpecificCredentials];
