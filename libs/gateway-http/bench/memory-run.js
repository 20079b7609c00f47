// Runs bench/memory.ts as run.js runs bench.ts (node --expose-gc libs/gateway-http/bench/memory-run.js).
const { join } = require('node:path');
const root = join(__dirname, '..', '..', '..');
require('tsconfig-paths').register({ baseUrl: root, paths: require(join(root, 'tsconfig.base.json')).compilerOptions.paths });
require('ts-node').register({ transpileOnly: true, project: join(__dirname, '..', 'tsconfig.bench.json') });
require('./memory.ts');
