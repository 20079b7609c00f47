#!/usr/bin/env node
// `npm run aws -- iam list-users`: the AWS CLI against this server, never against AWS.
// Always passes --endpoint-url (every CLI version honours it; a profile's endpoint_url needs
// CLI >= 2.13): IAM_ENDPOINT_URL, else http://localhost:$PORT (8080). Signs with the root
// keys of the embedded default (IAM_DATA_DIR/root-credentials.json, ./data by default), or
// IAM_ROOT_ACCESS_KEY_ID / IAM_ROOT_SECRET_ACCESS_KEY when set; the caller's own AWS
// credentials, profile and session token are never passed on.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const env = process.env;
const args = process.argv.slice(2);
const endpoint = env.IAM_ENDPOINT_URL || `http://localhost:${env.PORT || 8080}`;

function rootKeys() {
  if (env.IAM_ROOT_ACCESS_KEY_ID && env.IAM_ROOT_SECRET_ACCESS_KEY) {
    return { accessKeyId: env.IAM_ROOT_ACCESS_KEY_ID, secretAccessKey: env.IAM_ROOT_SECRET_ACCESS_KEY };
  }
  const file = join(resolve(env.IAM_DATA_DIR || 'data'), 'root-credentials.json');
  try {
    const keys = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof keys.accessKeyId === 'string' && typeof keys.secretAccessKey === 'string') return keys;
  } catch {
    // reported below
  }
  console.error(`No root keys: start the embedded default once (npm start) to create ${file}, or set IAM_ROOT_ACCESS_KEY_ID and IAM_ROOT_SECRET_ACCESS_KEY.`);
  process.exit(2);
}

if (args.length === 0) {
  console.error('usage: npm run aws -- <service> <command> [options]   e.g. npm run aws -- iam list-users');
  process.exit(2);
}
if (args.some((a) => a === '--endpoint-url' || a.startsWith('--endpoint-url='))) {
  console.error('npm run aws sets --endpoint-url itself; set IAM_ENDPOINT_URL to choose another server.');
  process.exit(2);
}
const keys = rootKeys();
const childEnv = { ...env };
for (const name of ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_ENDPOINT_URL']) delete childEnv[name];
Object.assign(childEnv, {
  AWS_ACCESS_KEY_ID: keys.accessKeyId,
  AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
  AWS_ENDPOINT_URL: endpoint,
  AWS_DEFAULT_REGION: env.AWS_DEFAULT_REGION || env.AWS_REGION || 'us-east-1',
  // No profile file can add credentials or another endpoint.
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
});
const result = spawnSync('aws', [...args, '--endpoint-url', endpoint], { stdio: 'inherit', env: childEnv });
if (result.error) {
  console.error(`Could not run the AWS CLI (aws): ${result.error.message}`);
  process.exit(127);
}
process.exit(result.status ?? 1);
