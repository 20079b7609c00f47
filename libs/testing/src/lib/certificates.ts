import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCertificates {
  caFile: string;
  server: { certFile: string; keyFile: string };
  client: { certFile: string; keyFile: string };
}

/**
 * A throw-away certificate authority made by the `openssl` CLI in `dir`, with
 * a server certificate for 127.0.0.1 and localhost and a client certificate
 * (for mutual TLS), valid one day.
 */
export function createTestCertificates(dir: string): TestCertificates {
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const key = (name: string) => ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', file(name)];
  openssl('req', '-x509', ...key('ca.key'), '-out', file('ca.pem'), '-days', '1', '-subj', '/CN=iam-test-ca');
  const issue = (name: string, subject: string, extensions: string) => {
    writeFileSync(file(`${name}.ext`), extensions);
    openssl('req', ...key(`${name}.key`), '-out', file(`${name}.csr`), '-subj', subject);
    openssl('x509', '-req', '-in', file(`${name}.csr`), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file(`${name}.pem`), '-days', '1', '-extfile', file(`${name}.ext`));
  };
  issue('server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  issue('client', '/CN=iam-app', 'extendedKeyUsage=clientAuth\n');
  return {
    caFile: file('ca.pem'),
    server: { certFile: file('server.pem'), keyFile: file('server.key') },
    client: { certFile: file('client.pem'), keyFile: file('client.key') },
  };
}
