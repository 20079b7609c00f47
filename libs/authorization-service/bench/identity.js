// Runs the identity app (apps/identity/src/main.ts) as its own process for the who-can scale
// measurement of bench.ts: TypeScript through ts-node (transpile only), the workspace's path aliases
// through tsconfig-paths, configured by the environment as the app is in production.
const { join } = require('node:path');
const root = join(__dirname, '..', '..', '..');
require('reflect-metadata');
require('tsconfig-paths').register({ baseUrl: root, paths: require(join(root, 'tsconfig.base.json')).compilerOptions.paths });
require('ts-node').register({ transpileOnly: true, project: join(__dirname, '..', 'tsconfig.bench.json') });
require(join(root, 'apps', 'identity', 'src', 'main.ts'));
