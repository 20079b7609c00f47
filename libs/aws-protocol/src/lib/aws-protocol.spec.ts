import { awsProtocol } from './aws-protocol';

describe('awsProtocol', () => {
  it('should work', () => {
    expect(awsProtocol()).toEqual('aws-protocol');
  })
})
