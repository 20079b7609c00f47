import { parseCsv } from './csv';

/** One row of AWS's credential report, by column name. */
export type ReportRow = Record<string, string>;

/** The report's CSV (base64, as `GET /v1/account/credential-report` gives it) as rows. */
export function parseReport(base64: string, decode: (b64: string) => string = (b) => new TextDecoder().decode(Uint8Array.from(atob(b), (c) => c.charCodeAt(0)))): ReportRow[] {
  const [header, ...rows] = parseCsv(decode(base64)).filter((row) => row.length > 1 || row[0] !== '');
  if (!header) return [];
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ''])));
}

export interface Hint {
  user: string;
  kind: 'no-mfa' | 'old-key' | 'unused-key' | 'unused-password';
  text: string;
}

const DAY = 86_400_000;

function daysSince(value: string, now: Date): number | undefined {
  if (!value || value === 'N/A' || value === 'not_supported' || value === 'no_information') return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : Math.floor((now.getTime() - time) / DAY);
}

/**
 * What an administrator should look at, as the credential report shows it: users who sign in
 * without MFA (this server has no MFA, so every console password), active access keys older than
 * `maxKeyAgeDays` or never used, passwords unused for `maxKeyAgeDays`. Root's row is left out.
 */
export function reportHints(rows: readonly ReportRow[], now: Date, maxKeyAgeDays = 90): Hint[] {
  const hints: Hint[] = [];
  for (const row of rows) {
    const user = row['user'];
    if (!user || user === '<root_account>') continue;
    if (row['password_enabled'] === 'true' && row['mfa_active'] !== 'true') {
      hints.push({ user, kind: 'no-mfa', text: `${user} signs in with a password and no MFA device` });
    }
    if (row['password_enabled'] === 'true') {
      const unused = daysSince(row['password_last_used'], now);
      if (unused !== undefined && unused > maxKeyAgeDays) hints.push({ user, kind: 'unused-password', text: `${user} has not signed in for ${unused} days` });
    }
    for (const n of [1, 2]) {
      if (row[`access_key_${n}_active`] !== 'true') continue;
      const age = daysSince(row[`access_key_${n}_last_rotated`], now);
      if (age !== undefined && age > maxKeyAgeDays) hints.push({ user, kind: 'old-key', text: `${user}'s access key ${n} is ${age} days old` });
      const used = row[`access_key_${n}_last_used_date`];
      if (!used || used === 'N/A') hints.push({ user, kind: 'unused-key', text: `${user}'s access key ${n} has never been used` });
    }
  }
  return hints;
}
