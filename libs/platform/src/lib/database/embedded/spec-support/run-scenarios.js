// Runs the session multiplexer's scenarios against a real PGlite in a plain Node process (PGlite
// imports `node:module` dynamically, which Jest's module sandbox cannot do) and prints their
// findings as one JSON line. TypeScript through ts-node (transpile only).
// The workspace's `@iam/*` libraries resolve as in tsconfig.base.json (tsconfig-paths comes with nx).
const { join } = require('node:path');
const { readFileSync } = require('node:fs');
const root = join(__dirname, '../../../../../../..');
const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8'));
require('tsconfig-paths').register({ baseUrl: root, paths: compilerOptions.paths });
require('ts-node').register({
  transpileOnly: true,
  compilerOptions: { module: 'commonjs', moduleResolution: 'bundler', target: 'es2022' },
});
require('./scenarios.ts')
  .main(process.argv.slice(2))
  .then(
    (findings) => {
      process.stdout.write(`${JSON.stringify(findings)}\n`);
      process.exit(0);
    },
    (error) => {
      process.stderr.write(`${error.stack ?? error}\n`);
      process.exit(1);
    },
  );
