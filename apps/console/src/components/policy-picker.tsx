import { useMemo, useState } from 'react';
import { Action, ErrorMessage, Loading, useLoad } from './ui';
import type { Check } from '../lib/permissions';
import type { ManagedPolicy } from '../lib/types';
import { useApi } from '../session';

/**
 * Choose a managed policy (customer or AWS managed) by searching the whole catalogue; `check`
 * names what attaching a policy needs, so a policy the caller may not attach is shown as such.
 */
export function PolicyPicker({ onPick, exclude = [], check }: { onPick: (policy: ManagedPolicy) => void; exclude?: string[]; check?: (policyArn: string) => Check }) {
  const api = useApi();
  const [search, setSearch] = useState('');
  const policies = useLoad(() => api.all<ManagedPolicy, 'Policies'>('/v1/policies', 'Policies', { scope: 'All' }), []);
  const matches = useMemo(
    () => (policies.data ?? []).filter((p) => !exclude.includes(p.Arn) && p.PolicyName.toLowerCase().includes(search.trim().toLowerCase())).slice(0, 50),
    [policies.data, search, exclude],
  );
  return (
    <div className="picker">
      <label htmlFor="policy-search">Search policies</label>
      <input id="policy-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="e.g. ReadOnly" autoFocus />
      {policies.loading && <Loading what="Loading policies" />}
      <ErrorMessage error={policies.error} />
      <ul className="pick-list" aria-label="Matching policies">
        {matches.map((p) => (
          <li key={p.Arn}>
            <Action variant="link" check={check?.(p.Arn)} onClick={() => onPick(p)}>
              {p.PolicyName}
            </Action>{' '}
            <span className="muted small">{p.Arn.startsWith('arn:aws:iam::aws:') ? 'AWS managed' : 'Customer managed'}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
