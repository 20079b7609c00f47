import { toCsv } from './csv';
import { parseReport, reportHints } from './credential-report';
import { filterUsers, pageOf, age, formatDate } from './format';

const HEADER = ['user', 'arn', 'user_creation_time', 'password_enabled', 'password_last_used', 'password_last_changed', 'password_next_rotation', 'mfa_active', 'access_key_1_active', 'access_key_1_last_rotated', 'access_key_1_last_used_date', 'access_key_2_active', 'access_key_2_last_rotated', 'access_key_2_last_used_date'];
const now = new Date('2026-12-01T00:00:00Z');

describe('hints from the credential report', () => {
  const csv = toCsv([
    HEADER,
    ['<root_account>', 'arn:aws:iam::0:root', '2026-01-01T00:00:00Z', 'true', 'N/A', 'N/A', 'N/A', 'false', 'true', '2020-01-01T00:00:00Z', 'N/A', 'false', 'N/A', 'N/A'],
    ['admin', 'arn:u/admin', '2026-01-01T00:00:00Z', 'true', '2026-11-30T00:00:00Z', '2026-01-01T00:00:00Z', 'N/A', 'false', 'true', '2026-11-20T00:00:00Z', '2026-11-29T00:00:00Z', 'false', 'N/A', 'N/A'],
    ['dave', 'arn:u/dave', '2026-01-01T00:00:00Z', 'false', 'N/A', 'N/A', 'N/A', 'false', 'true', '2026-01-02T00:00:00Z', 'N/A', 'true', '2026-11-30T00:00:00Z', '2026-11-30T10:00:00Z'],
    ['old', 'arn:u/old', '2026-01-01T00:00:00Z', 'true', '2026-03-01T00:00:00Z', '2026-01-01T00:00:00Z', 'N/A', 'false', 'false', 'N/A', 'N/A', 'false', 'N/A', 'N/A'],
  ]);
  const base64 = Buffer.from(csv).toString('base64');
  const rows = parseReport(base64, (b) => Buffer.from(b, 'base64').toString('utf8'));

  it('decodes the report into rows by column', () => {
    expect(rows).toHaveLength(4);
    expect(rows[1]).toMatchObject({ user: 'admin', password_enabled: 'true', access_key_1_active: 'true' });
  });

  it('names password sign-ins without MFA, old and unused keys, unused passwords; never root', () => {
    expect(reportHints(rows, now)).toEqual([
      { user: 'admin', kind: 'no-mfa', text: 'admin signs in with a password and no MFA device' },
      { user: 'dave', kind: 'old-key', text: "dave's access key 1 is 333 days old" },
      { user: 'dave', kind: 'unused-key', text: "dave's access key 1 has never been used" },
      { user: 'old', kind: 'no-mfa', text: 'old signs in with a password and no MFA device' },
      { user: 'old', kind: 'unused-password', text: 'old has not signed in for 275 days' },
    ]);
  });
});

describe('the users list in the browser', () => {
  const users = Array.from({ length: 3000 }, (_, i) => ({ UserName: `user${String(i).padStart(4, '0')}`, Path: i % 2 ? '/eng/' : '/ops/' }));

  it('searches by any part of the name regardless of case, and by path prefix', () => {
    expect(filterUsers(users, 'USER000', '')).toHaveLength(10);
    expect(filterUsers(users, '', '/eng/')).toHaveLength(1500);
    expect(filterUsers(users, '29', '/ops/').every((u) => u.UserName.includes('29') && u.Path === '/ops/')).toBe(true);
    expect(filterUsers(users, ' ', '')).toHaveLength(3000);
  });

  it('pages, keeping the page in range', () => {
    expect(pageOf(users, 1, 50).items[0].UserName).toBe('user0000');
    expect(pageOf(users, 60, 50)).toMatchObject({ pages: 60, page: 60 });
    expect(pageOf(users, 99, 50).page).toBe(60);
    expect(pageOf([], 3, 50)).toEqual({ items: [], pages: 1, page: 1 });
  });

  it('formats dates and ages', () => {
    expect(formatDate('2026-12-06T21:59:37.123Z')).toBe('2026-12-06 21:59 UTC');
    expect(formatDate(undefined)).toBe('—');
    expect(age('2026-11-29T00:00:00Z', now)).toBe('2 days ago');
    expect(age('2026-11-30T12:00:00Z', now)).toBe('today');
  });
});
