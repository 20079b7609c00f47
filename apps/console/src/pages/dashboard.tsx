import { Link } from 'react-router';
import { ErrorMessage, Loading, NotReadable, PageHeader, useLoad } from '../components/ui';
import { ApiError } from '../lib/api';
import { useApi, useSession } from '../session';
import { useCredentialReport } from './account';

const COUNTS: Array<[string, string, string?]> = [
  ['Users', 'Users', 'UsersQuota'],
  ['Groups', 'Groups', 'GroupsQuota'],
  ['Customer managed policies', 'Policies', 'PoliciesQuota'],
  ['Access keys per user', 'AccessKeysPerUserQuota'],
  ['Groups per user', 'GroupsPerUserQuota'],
  ['Managed policies per user', 'AttachedPoliciesPerUserQuota'],
  ['Managed policies per group', 'AttachedPoliciesPerGroupQuota'],
];

export function DashboardPage() {
  const api = useApi();
  const { session } = useSession();
  const summary = useLoad(() => api.get<{ SummaryMap: Record<string, number> }>('/v1/account/summary').then((r) => r.SummaryMap), [api]);
  const report = useCredentialReport();
  const denied = (e: unknown) => e instanceof ApiError && e.code === 'AccessDenied';
  return (
    <>
      <PageHeader title="Dashboard" />
      <p>
        Account <strong>{session.principal.AccountId}</strong>. Sign-in URL for this account&apos;s users: <code>{`${location.origin}/console/`}</code>
      </p>
      <section className="card">
        <h2>Resources and quotas</h2>
        {summary.loading && !summary.data && <Loading />}
        {summary.error ? (
          denied(summary.error) ? (
            <NotReadable what="the account summary" action="iam:GetAccountSummary" />
          ) : (
            <ErrorMessage error={summary.error} />
          )
        ) : (
          summary.data && (
            <dl className="stats">
              {COUNTS.map(([label, key, quota]) => (
                <div key={key} className="stat">
                  <dt>{label}</dt>
                  <dd>
                    {summary.data?.[key] ?? '—'}
                    {quota && summary.data?.[quota] !== undefined ? <span className="muted"> of {summary.data[quota]}</span> : null}
                  </dd>
                </div>
              ))}
            </dl>
          )
        )}
      </section>
      <section className="card">
        <h2>Security hints</h2>
        {report.error ? (
          denied(report.error) ? <NotReadable what="the credential report" action="iam:GetCredentialReport" /> : <ErrorMessage error={report.error} />
        ) : !report.hints ? (
          <Loading what="Reading the credential report" />
        ) : report.hints.length === 0 ? (
          <p>Nothing to look at: no old or unused access keys, no password sign-in without MFA.</p>
        ) : (
          <>
            <p className="muted">From the credential report ({report.hints.length} items; this server has no MFA, so every console password signs in without it).</p>
            <ul className="hints">
              {report.hints.slice(0, 20).map((h, i) => (
                <li key={i} className={`hint-${h.kind}`}>
                  <Link to={`/users/${encodeURIComponent(h.user)}`}>{h.text}</Link>
                </li>
              ))}
            </ul>
            {report.hints.length > 20 && <p className="muted">… and {report.hints.length - 20} more in the credential report (Account settings).</p>}
          </>
        )}
      </section>
    </>
  );
}
