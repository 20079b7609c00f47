// Writes a nats-server configuration where every IAM app authenticates with its own NKey and may
// publish and subscribe only the subjects its role needs (libs/contracts/src/lib/bus-roles.ts),
// and one seed file per app (mode 0600, in a 0700 folder). Existing seeds are kept.
//
//   npm run nats-config -- [--out ./nats] [--prefix PREFIX] [--tls-cert F --tls-key F [--tls-ca F]]
//
// Then start NATS with `nats-server -c <out>/nats-server.conf` and give each app its seed:
// IAM_NATS_NKEY_SEED_FILE=<out>/seeds/<app>.nk. Never commit the seeds.
import { writeNatsCredentials } from '@iam/platform';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'nats' },
    prefix: { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'tls-ca': { type: 'string' },
  },
});

if (Boolean(values['tls-cert']) !== Boolean(values['tls-key'])) {
  process.stderr.write('nats-config: --tls-cert and --tls-key go together\n');
  process.exit(1);
}
const tls = values['tls-cert'] && values['tls-key'] ? { certFile: values['tls-cert'], keyFile: values['tls-key'], caFile: values['tls-ca'] } : undefined;
const out = resolve(values.out ?? 'nats');
const { configFile, seedFiles } = writeNatsCredentials(out, { prefix: values.prefix, tls });
process.stdout.write(`${configFile}\n${Object.entries(seedFiles).map(([app, file]) => `${app}: IAM_NATS_NKEY_SEED_FILE=${file}`).join('\n')}\n`);
