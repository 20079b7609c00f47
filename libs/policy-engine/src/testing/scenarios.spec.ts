/**
 * Replays every scenario file under libs/policy-engine/scenarios through the engine.
 * New files are picked up automatically.
 */
import { compilePolicy, createRequestContext, evaluate } from '../index';
import { decisionMismatches, loadScenarios, parseScenario, policyText } from './index';

const scenarios = loadScenarios();

describe('scenario files', () => {
  it('there are at least 30', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(30);
  });

  describe.each(scenarios.map((s) => [`${s.file}: ${s.description}`, s] as const))('%s', (_title, scenario) => {
    const policies = scenario.policies.map((p) =>
      compilePolicy(policyText(p), { id: p.id, version: p.version, type: p.type, name: p.name }),
    );
    it.each(scenario.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const decision = evaluate(policies, { action: c.request.action, resource: c.request.resource, context: createRequestContext(c.request.context ?? {}) });
      expect(decision.error).toBeUndefined();
      expect(decisionMismatches(c.expect, decision)).toEqual([]);
    });
  });
});

describe('scenario loader', () => {
  it('names the file and the problem', () => {
    expect(() => parseScenario('{"description":"x","policies":[],"cases":[]}', 'bad.json')).toThrow('scenario bad.json: cases must be a non-empty array');
    expect(() =>
      parseScenario('{"description":"x","policies":[],"cases":[{"name":"n","request":{"action":"a","resource":"r"},"expect":{"decision":"maybe"}}]}', 'bad.json'),
    ).toThrow(/expect.decision must be allowed, explicitDeny or implicitDeny/);
  });

  it('reports decision, statement and key differences', () => {
    expect(
      decisionMismatches(
        { decision: 'allowed', matchedStatements: [{ policyId: 'p', statementIndex: 1, sid: 'A' }], missingContextKeys: [] },
        { decision: 'explicitDeny', matchedStatements: [{ policyId: 'p', statementIndex: 0, sid: 'B' }], missingContextKeys: ['aws:x'] },
      ),
    ).toEqual(['decision: expected allowed, got explicitDeny', 'matchedStatements: expected [p#1(A)], got [p#0(B)]', 'missingContextKeys: expected [], got [aws:x]']);
  });
});
