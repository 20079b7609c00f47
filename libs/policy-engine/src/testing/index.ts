/**
 * Test helpers of the policy engine (scenario files). Import from specs of any layer;
 * never from shipped code.
 */
export * from './scenarios';
export * from './validation-corpus';
