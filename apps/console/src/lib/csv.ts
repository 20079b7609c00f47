/** One CSV field, quoted when it must be (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Rows as CSV text, CRLF line ends. */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** CSV text as rows (RFC 4180: quoted fields, doubled quotes, CRLF or LF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** The file the AWS console offers for a new access key: `<user>_accessKeys.csv`. */
export function accessKeyCsv(key: { UserName: string; AccessKeyId: string; SecretAccessKey: string }): { fileName: string; text: string } {
  return {
    fileName: `${key.UserName}_accessKeys.csv`,
    text: toCsv([
      ['Access key ID', 'Secret access key'],
      [key.AccessKeyId, key.SecretAccessKey],
    ]),
  };
}

/** The file the AWS console offers for a new user's console password: `<user>_credentials.csv`. */
export function credentialsCsv(user: { UserName: string; Password: string; ConsoleUrl: string }): { fileName: string; text: string } {
  return {
    fileName: `${user.UserName}_credentials.csv`,
    text: toCsv([
      ['User name', 'Password', 'Console sign-in URL'],
      [user.UserName, user.Password, user.ConsoleUrl],
    ]),
  };
}
