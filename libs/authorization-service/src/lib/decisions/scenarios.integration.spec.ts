/**
 * Replays the policy engine's scenario files through the service: each
 * scenario's policies are created as managed policies (named after their
 * scenario ids), attached to a user or to its groups as the scenario says,
 * and every case is asked through `Authorize` over the bus. The decisions
 * must be the engine's.
 */
import { AuthorizationPatterns as P } from '@iam/contracts';
import { decisionMismatches, loadScenarios, policyText, Scenario } from '@iam/policy-engine/testing';
import { describeWithServices } from '@iam/testing';
import { Harness, startAuthorization } from '../../test-support/harness';

const scenarios = loadScenarios();

describeWithServices('policy engine scenarios replayed through Authorize', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startAuthorization();
  });

  afterAll(async () => {
    await h?.close();
  });

  it('has the scenario files to replay', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(30);
  });

  describe.each(scenarios.map((scenario, index) => [scenario.file, scenario, index] as const))('%s', (_file, scenario: Scenario, index: number) => {
    let userId: string;
    /** Service policy name → scenario policy id. */
    const idOf = new Map<string, string>();

    beforeAll(async () => {
      const prefix = `s${index}`;
      const user = h.identity.create(`${prefix}-${scenario.principal?.userName ?? 'user'}`);
      userId = user.UserId;
      const groups = new Map<string, string>();
      const groupNames = [
        ...(scenario.principal?.groups ?? []),
        ...scenario.policies.flatMap((policy) => (policy.attachedTo?.startsWith('group:') ? [policy.attachedTo.slice('group:'.length)] : [])),
      ];
      for (const name of groupNames) {
        if (groups.has(name)) continue;
        const group = h.directory.create(`${prefix}-${name}`);
        groups.set(name, group.GroupName);
        h.directory.add(user.UserId, group.GroupId);
      }
      for (const policy of scenario.policies) {
        const name = `${prefix}-${policy.id}`;
        idOf.set(name, policy.id);
        const target = policy.attachedTo ?? 'user';
        if (policy.type === 'inline') {
          // Inline policies may say Version 2008-10-17 or none; managed ones may not.
          if (target === 'user') await h.bus.send(P.PutUserPolicy, { UserName: user.UserName, PolicyName: name, PolicyDocument: policyText(policy) });
          else await h.bus.send(P.PutGroupPolicy, { GroupName: groups.get(target.slice('group:'.length)) as string, PolicyName: name, PolicyDocument: policyText(policy) });
          continue;
        }
        const { Policy } = await h.bus.send(P.CreatePolicy, { PolicyName: name, PolicyDocument: policyText(policy) });
        if (target === 'user') await h.bus.send(P.AttachUserPolicy, { UserName: user.UserName, PolicyArn: Policy.Arn });
        else await h.bus.send(P.AttachGroupPolicy, { GroupName: groups.get(target.slice('group:'.length)) as string, PolicyArn: Policy.Arn });
      }
    });

    it.each(scenario.cases.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
      const reply = await h.bus.send(P.Authorize, {
        Principal: { Type: 'user', UserId: userId },
        Action: testCase.request.action,
        Resource: testCase.request.resource,
        ...(testCase.request.context ? { Context: testCase.request.context as Record<string, string | string[]> } : {}),
      });
      expect(reply.Error).toBeUndefined();
      const observed = {
        decision: reply.Decision,
        matchedStatements: reply.MatchedStatements.map((statement) => ({
          policyId: idOf.get(statement.PolicyName) ?? statement.PolicyName,
          statementIndex: statement.StatementIndex,
          ...(statement.Sid !== undefined ? { sid: statement.Sid } : {}),
        })),
        missingContextKeys: reply.MissingContextKeys,
      };
      expect(decisionMismatches(testCase.expect, observed)).toEqual([]);
    });
  });
});
