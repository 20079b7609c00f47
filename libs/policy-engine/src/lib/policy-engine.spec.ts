import { policyEngine } from './policy-engine';

describe('policyEngine', () => {
  it('should work', () => {
    expect(policyEngine()).toEqual('policy-engine');
  })
})
