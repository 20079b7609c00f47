/** ARNs of this account's entities, for the checks the console asks about. */
export const arn = {
  user: (account: string, path: string, name: string) => `arn:aws:iam::${account}:user${path}${name}`,
  group: (account: string, path: string, name: string) => `arn:aws:iam::${account}:group${path}${name}`,
  policy: (account: string, path: string, name: string) => `arn:aws:iam::${account}:policy${path}${name}`,
  /** Every user: for actions on a user the console does not know yet. */
  anyUser: (account: string) => `arn:aws:iam::${account}:user/*`,
};

/** `arn:aws:iam::aws:policy/...` is AWS managed. */
export function isAwsManaged(policyArn: string): boolean {
  return policyArn.startsWith('arn:aws:iam::aws:policy/');
}

/** The name at the end of an ARN (`.../ReadUsers`). */
export function nameOf(resourceArn: string): string {
  return resourceArn.slice(resourceArn.lastIndexOf('/') + 1);
}
