// Policy engine benchmark: `nx bench policy-engine`.
//
// Builds compiled policies from the shared workload (bench/workload/iam-workload.mjs), checks
// that each of its 23 decisions equals the one AWS IAM gives (and fails loudly otherwise),
// then measures in the same run:
//   - this engine: createRequestContext + evaluate per request, against precompiled policies
//     (decisions/s, and p50/p99 µs per decision), and evaluate alone with a prebuilt context;
//   - @cloud-copilot/iam-simulate runUnsafeSimulation (decisions/s);
//   - @cedar-policy/cedar-wasm statefulIsAuthorized with the pre-parsed translated policies
//     (bench/workload/cedar-translate.mjs; decisions/s).
// It writes the figures into the `## Policy engine` section of docs/benchmarks.md (that
// section only) and prints them. The TypeScript sources run through ts-node (transpile only).
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { identityPolicies, requests, ACCOUNT, PRINCIPAL } from './workload/iam-workload.mjs';
import { cedarPolicies, cedarUser, cedarGroups, ownerUserOf } from './workload/cedar-translate.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const require = createRequire(import.meta.url);
require('ts-node').register({ transpileOnly: true, project: join(here, '..', 'tsconfig.bench.json') });
const engine = require('../src/index.ts');
const { runUnsafeSimulation } = require('@cloud-copilot/iam-simulate');
const cedar = require('@cedar-policy/cedar-wasm/nodejs');

const COMMAND = 'NX_DAEMON=false NX_NO_CLOUD=true npx --no-install nx bench policy-engine';
const ROUNDS = 5;
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 1000);
const EXPECTED = { Allowed: 'allowed', ExplicitlyDenied: 'explicitDeny', ImplicitlyDenied: 'implicitDeny' };

function fail(message) {
  console.error(`\nBENCHMARK CHECK FAILED: ${message}\n`);
  process.exit(1);
}

// ---- setup ---------------------------------------------------------------------------

const statementCount = identityPolicies.reduce((sum, p) => sum + p.policy.Statement.length, 0);
const compiled = identityPolicies.map((p) => engine.compilePolicy(JSON.stringify(p.policy), { id: p.name, type: 'managed' }));
const contexts = requests.map((r) => engine.createRequestContext(r.context));

// Check every decision before measuring anything.
const mismatches = [];
requests.forEach((r, i) => {
  const d = engine.evaluate(compiled, { action: r.action, resource: r.resource, context: contexts[i] });
  if (d.error || d.decision !== EXPECTED[r.expect]) mismatches.push(`#${i + 1} ${r.action} ${r.resource}: expected ${EXPECTED[r.expect]}, got ${d.decision}${d.error ? ` (${d.error.message})` : ''}`);
});
if (mismatches.length > 0) fail(`the engine disagrees with AWS IAM on ${mismatches.length} of ${requests.length} workload decisions:\n  ${mismatches.join('\n  ')}`);

const simulation = (r) => ({
  request: { principal: PRINCIPAL, action: r.action, resource: { resource: r.resource, accountId: ACCOUNT }, contextVariables: r.context },
  identityPolicies,
  serviceControlPolicies: [],
  resourceControlPolicies: [],
});
const simulations = requests.map(simulation);
const simulateAgrees = requests.filter((r, i) => runUnsafeSimulation(simulations[i], {}) === r.expect).length;

const parsed = cedar.preparsePolicySet('workload', { staticPolicies: cedarPolicies() });
if (parsed.type !== 'success') fail(`Cedar could not parse the translated policies: ${JSON.stringify(parsed.errors)}`);
const cedarCalls = requests.map((r) => {
  const owner = ownerUserOf(r.resource);
  const resourceEntity = { uid: { type: 'Resource', id: r.resource }, attrs: { arn: r.resource, ...(owner ? { ownerUser: owner } : {}) }, parents: [] };
  return {
    principal: cedarUser.uid,
    action: { type: 'Action', id: 'call' },
    resource: resourceEntity.uid,
    context: { action: r.action, secureTransport: r.context['aws:SecureTransport'] === 'true', sourceIp: { __extn: { fn: 'ip', arg: r.context['aws:SourceIp'] } } },
    preparsedPolicySetId: 'workload',
    entities: [cedarUser, ...cedarGroups, resourceEntity],
  };
});
const cedarAgrees = requests.filter((r, i) => {
  const a = cedar.statefulIsAuthorized(cedarCalls[i]);
  if (a.type !== 'success') fail(`Cedar failed on request #${i + 1}: ${JSON.stringify(a.errors)}`);
  return (a.response.decision === 'allow') === (r.expect === 'Allowed');
}).length;

// ---- measurement -----------------------------------------------------------------------

let sink = 0;
const n = requests.length;

/** Decisions per second of `one(i)` over the workload, for about ROUND_MS. */
function throughput(one) {
  let done = 0;
  const start = process.hrtime.bigint();
  const until = start + BigInt(ROUND_MS) * 1_000_000n;
  let now = start;
  while (now < until) {
    for (let k = 0; k < 100; k++) for (let i = 0; i < n; i++) one(i);
    done += 100 * n;
    now = process.hrtime.bigint();
  }
  return (done * 1e9) / Number(now - start);
}

/** Per-decision latencies in µs (timer overhead included), sorted. */
function latencies(one, count) {
  const out = new Float64Array(count);
  for (let c = 0; c < count; c++) {
    const i = c % n;
    const t0 = process.hrtime.bigint();
    one(i);
    out[c] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  return out.sort();
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

const ours = (i) => {
  const r = requests[i];
  const d = engine.evaluate(compiled, { action: r.action, resource: r.resource, context: engine.createRequestContext(r.context) });
  sink += d.matchedStatements.length;
};
const oursEvaluateOnly = (i) => {
  const r = requests[i];
  sink += engine.evaluate(compiled, { action: r.action, resource: r.resource, context: contexts[i] }).matchedStatements.length;
};
const simulate = (i) => {
  sink += runUnsafeSimulation(simulations[i], {}).length;
};
const cedarOne = (i) => {
  sink += cedar.statefulIsAuthorized(cedarCalls[i]).type.length;
};

// Warm up every contender, then interleave rounds so that machine noise hits all alike.
for (const f of [ours, oursEvaluateOnly, simulate, cedarOne]) throughput(f);
const rounds = { ours: [], evaluateOnly: [], simulate: [], cedar: [] };
for (let r = 0; r < ROUNDS; r++) {
  rounds.ours.push(throughput(ours));
  rounds.evaluateOnly.push(throughput(oursEvaluateOnly));
  rounds.simulate.push(throughput(simulate));
  rounds.cedar.push(throughput(cedarOne));
}
const lat = latencies(ours, 200_000);
const figures = {
  ours: median(rounds.ours),
  evaluateOnly: median(rounds.evaluateOnly),
  simulate: median(rounds.simulate),
  cedar: median(rounds.cedar),
  p50: pct(lat, 0.5),
  p99: pct(lat, 0.99),
};

// ---- report ------------------------------------------------------------------------------

const cpus = os.cpus();
const fmt = (x) => Math.round(x).toLocaleString('en-US');
const us = (x) => x.toFixed(2);
const ratio = (x) => `${x >= 10 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1)}×`;
const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const section = `## Policy engine

Measured ${date} with \`${COMMAND}\` (script: \`libs/policy-engine/bench/bench.mjs\`).
Node ${process.version} on ${os.platform()}/${os.arch()}, ${cpus[0]?.model?.trim() ?? 'unknown CPU'}, ${cpus.length} cores.

Workload: \`libs/policy-engine/bench/workload/iam-workload.mjs\`: user alice in three groups,
${identityPolicies.length} managed policies, ${statementCount} statements, ${n} requests. Before measuring, the run checks that the engine
gives each of the ${n} decisions AWS IAM gives (it did: ${n} of ${n}). Medians of ${ROUNDS} interleaved
rounds of ${ROUND_MS} ms each, after a warm-up round.

| Evaluator | Decisions/s | µs/decision | Engine is |
| --- | ---: | ---: | ---: |
| @iam/policy-engine: \`createRequestContext\` + \`evaluate\`, policies compiled once | ${fmt(figures.ours)} | ${us(1e6 / figures.ours)} | |
| @iam/policy-engine: \`evaluate\` alone (context built once per request) | ${fmt(figures.evaluateOnly)} | ${us(1e6 / figures.evaluateOnly)} | |
| @cloud-copilot/iam-simulate \`runUnsafeSimulation\` | ${fmt(figures.simulate)} | ${us(1e6 / figures.simulate)} | ${ratio(figures.ours / figures.simulate)} faster |
| @cedar-policy/cedar-wasm \`statefulIsAuthorized\`, pre-parsed policies | ${fmt(figures.cedar)} | ${us(1e6 / figures.cedar)} | ${ratio(figures.ours / figures.cedar)} faster |

Engine latency per decision (context + evaluate, one decision timed at a time, timer overhead
included, 200,000 decisions): p50 ${us(figures.p50)} µs, p99 ${us(figures.p99)} µs.

Agreement with the workload's expected decisions: engine ${n}/${n}, iam-simulate ${simulateAgrees}/${n},
Cedar ${cedarAgrees}/${n} (Cedar runs a translation of the policies and is a peer for speed, not
for IAM semantics; see \`bench/workload/cedar-translate.mjs\`).
`;

const docPath = join(root, 'docs', 'benchmarks.md');
let doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '# Benchmarks\n\nFigures measured in this repository, one section per component.\n';
const start = doc.search(/^## Policy engine\s*$/m);
if (start >= 0) {
  const rest = doc.slice(start + 1);
  const next = rest.search(/^## /m);
  const end = next >= 0 ? start + 1 + next : doc.length;
  doc = `${doc.slice(0, start)}${section}${end < doc.length ? '\n' : ''}${doc.slice(end)}`;
} else {
  doc = `${doc.trimEnd()}\n\n${section}`;
}
mkdirSync(dirname(docPath), { recursive: true });
writeFileSync(docPath, doc);

console.log(section);
console.log(`(written to ${relative(process.cwd(), docPath) || docPath}; checksum ${sink % 997})`);
