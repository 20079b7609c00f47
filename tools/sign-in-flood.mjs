#!/usr/bin/env node
// Floods a running IAM with console sign-ins while a signed GetUser keeps being called, and prints
// what the flood got (statuses and codes) and how the signed call fared during the flood compared
// with before it (median and p95 ratios):
//
//   node tools/sign-in-flood.mjs [--endpoint http://localhost:8080] [--attempts 1000]
//     [--concurrency 100] [--password-length 1000] [--sources one|many]
//
// `--sources many` gives every attempt its own X-Forwarded-For address and user name, to get past
// the gateway's per-source and per-user-name limits and load the identity service's password
// queue itself; the gateway must then trust the tool's address (IAM_TRUST_PROXY=127.0.0.1).
// Credentials for GetUser: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, else the embedded default's
// root keys in $IAM_DATA_DIR/root-credentials.json (./data by default).
import { GetUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    endpoint: { type: 'string', default: 'http://localhost:8080' },
    attempts: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '100' },
    'password-length': { type: 'string', default: '1000' },
    sources: { type: 'string', default: 'one' },
  },
});
const endpoint = values.endpoint.replace(/\/$/, '');
const attempts = Number(values.attempts);
const concurrency = Number(values.concurrency);
const passwordLength = Number(values['password-length']);
const manySources = values.sources === 'many';

function credentials() {
  if (process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY) {
    return { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY };
  }
  const file = join(resolve(process.env.IAM_DATA_DIR ?? 'data'), 'root-credentials.json');
  return JSON.parse(readFileSync(file, 'utf8'));
}

const iam = new IAMClient({ endpoint, region: 'us-east-1', credentials: credentials(), maxAttempts: 1 });

async function timedGetUser() {
  const started = performance.now();
  try {
    await iam.send(new GetUserCommand({}));
    return { ms: performance.now() - started, ok: true };
  } catch (error) {
    return { ms: performance.now() - started, ok: false, code: error.name };
  }
}

function percentile(sorted, p) {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

function summary(samples) {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  return { calls: samples.length, failed: samples.filter((s) => !s.ok).length, p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

async function signIn(i) {
  const address = manySources ? `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` : '198.51.100.1';
  const response = await fetch(`${endpoint}/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ UserName: manySources ? `flood-${i}` : 'flood-target', Password: 'p'.repeat(passwordLength) }),
  }).catch((error) => ({ status: 0, json: async () => ({ code: error.cause?.code ?? error.message }) }));
  const body = await response.json().catch(() => ({}));
  return `${response.status} ${body.code ?? ''}`.trim();
}

// Before: the signed call alone.
const idle = [];
for (let i = 0; i < 30; i++) idle.push(await timedGetUser());

// During: `concurrency` sign-ins at a time until `attempts`, while GetUser is called in a loop.
const outcomes = new Map();
let next = 0;
let flooding = true;
const started = performance.now();
const flood = Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < attempts) {
      const answer = await signIn(next++);
      outcomes.set(answer, (outcomes.get(answer) ?? 0) + 1);
    }
  }),
).then(() => (flooding = false));
const during = [];
while (flooding) during.push(await timedGetUser());
await flood;
const floodSeconds = (performance.now() - started) / 1000;

const before = summary(idle);
const under = summary(during);
console.log(
  JSON.stringify(
    {
      flood: { attempts, concurrency, passwordLength, sources: manySources ? 'many' : 'one', seconds: Number(floodSeconds.toFixed(1)), answers: Object.fromEntries([...outcomes].sort()) },
      getUser: {
        before: { ...before, p50: Number(before.p50.toFixed(1)), p95: Number(before.p95.toFixed(1)) },
        during: { ...under, p50: Number(under.p50.toFixed(1)), p95: Number(under.p95.toFixed(1)) },
        p50Ratio: Number((under.p50 / before.p50).toFixed(2)),
        p95Ratio: Number((under.p95 / before.p95).toFixed(2)),
      },
    },
    null,
    2,
  ),
);
