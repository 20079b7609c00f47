const nxPreset = require('@nx/jest/preset').default;

module.exports = {
  ...nxPreset,
  // Integration specs start services against real PostgreSQL and NATS.
  testTimeout: 30000,
};
