import { useState } from 'react';
import { InlinePolicyDialog } from './inline-policy';
import { PolicyPicker } from './policy-picker';
import { Action, Dialog, NotReadable } from './ui';
import { seg } from '../lib/api';
import { policyCheck } from '../lib/page-checks';
import { useApi } from '../session';

/** A user or a group, as the policy sections of its page name it. */
export interface PolicyHolder {
  kind: 'User' | 'Group';
  name: string;
  arn: string;
  /** Its REST resource, e.g. `/v1/users/alice`. */
  base: string;
}

/** Runs a change, shows its error, reloads the page after it. */
type Run = (work: () => Promise<unknown>) => Promise<void>;

/**
 * The "Inline policies" section of a user's or a group's page: each policy with Edit and Delete,
 * "Create inline policy", and the editor dialog.
 */
export function InlinePoliciesSection({ holder, names, run, reload }: { holder: PolicyHolder; names: readonly string[] | undefined; run: Run; reload: () => void }) {
  const api = useApi();
  const [inline, setInline] = useState<{ name?: string; document?: string }>();
  const check = (action: string) => ({ action: `iam:${action}${holder.kind}Policy`, resource: holder.arn });
  const what = holder.kind === 'User' ? 'user' : 'group';
  return (
    <>
      <h2>Inline policies</h2>
      {names === undefined ? (
        <NotReadable what={`this ${what}'s inline policies`} action={`iam:List${holder.kind}Policies`} />
      ) : (
        <ul className="plain">
          {names.map((n) => (
            <li key={n}>
              <strong>{n}</strong>{' '}
              <Action
                variant="link"
                check={check('Get')}
                onClick={() => void run(async () => setInline({ name: n, document: (await api.get<{ PolicyDocument: string }>(`${holder.base}/policies/${seg(n)}`)).PolicyDocument }))}
              >
                Edit <span className="visually-hidden">{n}</span>
              </Action>{' '}
              <Action variant="link" check={check('Delete')} onClick={() => void run(() => api.delete(`${holder.base}/policies/${seg(n)}`))}>
                Delete <span className="visually-hidden">{n}</span>
              </Action>
            </li>
          ))}
          {names.length === 0 && <li className="muted">None.</li>}
        </ul>
      )}
      <Action check={check('Put')} onClick={() => setInline({})}>
        Create inline policy
      </Action>
      {inline && (
        <InlinePolicyDialog
          open
          basePath={holder.base}
          name={inline.name}
          document={inline.document}
          check={check('Put')}
          onClose={() => setInline(undefined)}
          onSaved={() => {
            setInline(undefined);
            reload();
          }}
        />
      )}
    </>
  );
}

/** "Attach a policy to …": a picker of the policies not attached yet, each asked about with its ARN. */
export function AttachPolicyDialog({ holder, attached, open, onClose, run }: { holder: PolicyHolder; attached: readonly { PolicyArn: string }[] | undefined; open: boolean; onClose: () => void; run: Run }) {
  const api = useApi();
  return (
    <Dialog title={`Attach a policy to ${holder.name}`} open={open} onClose={onClose}>
      {open && (
        <PolicyPicker
          exclude={attached?.map((p) => p.PolicyArn)}
          check={(arn) => policyCheck(`iam:Attach${holder.kind}Policy`, holder.arn, arn)}
          onPick={(p) => {
            onClose();
            void run(() => api.post(`${holder.base}/attached-policies`, { PolicyArn: p.Arn }));
          }}
        />
      )}
    </Dialog>
  );
}
