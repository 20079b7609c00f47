#!/usr/bin/env node
// Seeds a running IAM with many users in many groups, for trying the web console at scale and
// for its benchmark:
//
//   npm run seed -- --users 3000 --groups 100 [--endpoint http://localhost:8080]
//
// Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, else the embedded default's root keys
// in $IAM_DATA_DIR/root-credentials.json (./data by default). Users are user-0000 ... in paths
// /team-00/ ... /team-19/, each in one to three of group-000 ...; each group has an inline policy
// and some groups a customer managed policy, naming actions of several services; every tenth user
// has an inline policy of its own. Calls go sixteen at a time (--concurrency). Running it
// again adds what is missing (existing entities are kept).
import { IAMClient, GetUserCommand, AddUserToGroupCommand, AttachGroupPolicyCommand, CreateGroupCommand, CreatePolicyCommand, CreateUserCommand, PutGroupPolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const SERVICES = {
  iam: ['ListUsers', 'GetUser', 'ListGroups', 'GetGroup', 'ListPolicies', 'GetPolicy', 'CreateUser', 'DeleteUser'],
  s3: ['GetObject', 'PutObject', 'ListBucket', 'DeleteObject'],
  ec2: ['DescribeInstances', 'StartInstances', 'StopInstances'],
  dynamodb: ['GetItem', 'PutItem', 'Query', 'Scan'],
  sqs: ['SendMessage', 'ReceiveMessage'],
  logs: ['GetLogEvents', 'PutLogEvents'],
};
const SERVICE_NAMES = Object.keys(SERVICES);

export function groupName(i) {
  return `group-${String(i).padStart(3, '0')}`;
}
export function userName(i) {
  return `user-${String(i).padStart(4, '0')}`;
}

/** The groups of user `i` (one to three, spread evenly). */
export function groupsOf(i, groups) {
  const count = 1 + (i % 3);
  return [...new Set(Array.from({ length: count }, (_, k) => (i * 7 + k * 31) % groups))];
}

/** A team's resources of `service` (IAM's are users under the team's path: IAM refuses other resource paths). */
function teamResource(service, team) {
  return service === 'iam' ? `arn:aws:iam::*:user/team-${String(team).padStart(2, '0')}/*` : `arn:aws:${service}:::team-${team}/*`;
}

function policyFor(i) {
  const a = SERVICE_NAMES[i % SERVICE_NAMES.length];
  const b = SERVICE_NAMES[(i + 2) % SERVICE_NAMES.length];
  const statements = [
    { Sid: 'Main', Effect: 'Allow', Action: SERVICES[a].slice(0, 2 + (i % 3)).map((x) => `${a}:${x}`), Resource: '*' },
    { Sid: 'Other', Effect: 'Allow', Action: [`${b}:${SERVICES[b][0]}`], Resource: i % 4 === 0 ? '*' : teamResource(b, i % 20) },
  ];
  if (i % 10 === 0) statements.push({ Sid: 'NoDelete', Effect: 'Deny', Action: ['s3:DeleteObject', 'iam:DeleteUser'], Resource: '*' });
  if (i % 7 === 0) statements.push({ Sid: 'FromOffice', Effect: 'Allow', Action: ['iam:ListGroups'], Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } });
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

async function ignoreExists(promise) {
  try {
    return await promise;
  } catch (error) {
    if (error?.name === 'EntityAlreadyExistsException' || error?.name === 'EntityAlreadyExists') return undefined;
    throw error;
  }
}

/**
 * Sends `command`, again after a pause when the entity it names is not found yet. A call right
 * after the one that created that entity should never need it; each retry is counted and
 * reported, so that the seed still completes while showing that it happened.
 */
async function sendFresh(iam, command, stats) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await iam.send(command);
    } catch (error) {
      if (error?.name !== 'NoSuchEntityException' || attempt >= 5) throw error;
      stats.retried++;
      await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
    }
  }
}

/** Runs `work(i)` for i in [0, n) with `concurrency` in flight. */
async function pool(n, concurrency, work) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await work(next++);
    }),
  );
}

export async function seed({ endpoint, credentials, users, groups, concurrency = 16, log = () => undefined }) {
  const iam = new IAMClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 5 });
  const started = Date.now();
  const stats = { retried: 0 };
  // The account id, from the caller's own ARN (for the ARNs of policies that already exist).
  const account = (await iam.send(new GetUserCommand({}))).User.Arn.split(':')[4];
  const managed = Math.max(1, Math.floor(groups / 5));
  const policyArns = [];
  for (let p = 0; p < managed; p++) {
    const created = await ignoreExists(iam.send(new CreatePolicyCommand({ PolicyName: `Seeded-${p}`, PolicyDocument: policyFor(p + 3) })));
    policyArns.push(created?.Policy?.Arn ?? `arn:aws:iam::${account}:policy/Seeded-${p}`);
  }
  await pool(groups, concurrency, async (g) => {
    await ignoreExists(iam.send(new CreateGroupCommand({ GroupName: groupName(g) })));
    await sendFresh(iam, new PutGroupPolicyCommand({ GroupName: groupName(g), PolicyName: 'access', PolicyDocument: policyFor(g) }), stats);
    if (g % 5 === 0) await sendFresh(iam, new AttachGroupPolicyCommand({ GroupName: groupName(g), PolicyArn: policyArns[(g / 5) % policyArns.length] }), stats);
  });
  log(`${groups} groups in ${Date.now() - started} ms`);
  let memberships = 0;
  let userPolicies = 0;
  await pool(users, concurrency, async (u) => {
    await ignoreExists(iam.send(new CreateUserCommand({ UserName: userName(u), Path: `/team-${String(u % 20).padStart(2, '0')}/` })));
    for (const g of groupsOf(u, groups)) {
      await sendFresh(iam, new AddUserToGroupCommand({ GroupName: groupName(g), UserName: userName(u) }), stats);
      memberships++;
    }
    if (u % 10 === 0) {
      await sendFresh(iam, new PutUserPolicyCommand({ UserName: userName(u), PolicyName: 'own', PolicyDocument: policyFor(u) }), stats);
      userPolicies++;
    }
    if ((u + 1) % 500 === 0) log(`${u + 1} users`);
  });
  iam.destroy();
  if (stats.retried > 0) log(`${stats.retried} calls found an entity created just before missing (NoSuchEntity) and were sent again`);
  return { users, groups, memberships, userPolicies, managedPolicies: managed, retried: stats.retried, ms: Date.now() - started };
}

async function main() {
  const { values } = parseArgs({
    options: {
      users: { type: 'string', default: '3000' },
      groups: { type: 'string', default: '100' },
      endpoint: { type: 'string', default: process.env.IAM_ENDPOINT ?? `http://localhost:${process.env.PORT ?? 8080}` },
      concurrency: { type: 'string', default: '16' },
    },
  });
  let credentials;
  if (process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY) {
    credentials = { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY };
  } else {
    const file = join(resolve(process.env.IAM_DATA_DIR ?? './data'), 'root-credentials.json');
    credentials = JSON.parse(readFileSync(file, 'utf8'));
  }
  const result = await seed({
    endpoint: values.endpoint,
    credentials,
    users: Number(values.users),
    groups: Number(values.groups),
    concurrency: Number(values.concurrency),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`Seeded ${result.users} users in ${result.groups} groups (${result.memberships} memberships, ${result.userPolicies} users' inline policies, ${result.managedPolicies} managed policies) in ${(result.ms / 1000).toFixed(1)} s.\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    process.stderr.write(`seed failed: ${error?.name ?? ''} ${error?.message ?? error}\n`);
    process.exit(1);
  });
}
