/**
 * The one runner for every condition operator case table: each row becomes an Allow
 * statement with the row's Condition, evaluated against the row's context.
 */
import { compilePolicy, createRequestContext, evaluate } from '../../index';
import { arnCases } from './cases/arn.cases';
import { binaryCases } from './cases/binary.cases';
import { boolCases } from './cases/bool.cases';
import type { CaseTable, OperatorCase } from './cases/case';
import { dateCases } from './cases/date.cases';
import { ifExistsCases } from './cases/if-exists-null.cases';
import { ipCases } from './cases/ip.cases';
import { numericCases } from './cases/numeric.cases';
import { setCases } from './cases/set-operators.cases';
import { stringCases } from './cases/string.cases';
import { variableCases } from './cases/variables.cases';
import { CONDITION_OPERATOR_NAMES } from './registry';

const tables: CaseTable[] = [stringCases, numericCases, dateCases, boolCases, binaryCases, ipCases, arnCases, ifExistsCases, setCases, variableCases];

function conditionHolds(row: OperatorCase): boolean {
  const policy = compilePolicy(
    JSON.stringify({
      Version: row.version ?? '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: row.condition }],
    }),
    { id: 'case' },
  );
  const decision = evaluate([policy], { action: 's3:GetObject', resource: '*', context: createRequestContext(row.context) });
  if (decision.error) throw new Error(decision.error.message);
  return decision.decision === 'allowed';
}

describe.each(tables.map((t) => [`${t.family} — ${t.source}`, t] as const))('%s', (_title, table) => {
  it.each(table.cases.map((c) => [c.name, c] as const))('%s', (_name, row) => {
    expect(conditionHolds(row)).toBe(row.holds);
  });
});

describe('case tables', () => {
  it('cover every operator, with IfExists and both set operators', () => {
    const used = new Set<string>();
    for (const t of tables) {
      for (const c of t.cases) for (const op of Object.keys(c.condition)) used.add(op.toLowerCase());
    }
    const bases = new Set([...used].map((op) => op.replace(/^for(all|any)values?:/, '').replace(/ifexists$/, '')));
    for (const name of CONDITION_OPERATOR_NAMES) expect(bases.has(name.toLowerCase()) ? name : `missing ${name}`).toBe(name);
    expect([...used].some((op) => op.endsWith('ifexists'))).toBe(true);
    expect([...used].some((op) => op.startsWith('forallvalues:'))).toBe(true);
    expect([...used].some((op) => op.startsWith('foranyvalue:'))).toBe(true);
  });
});
