// Runs the session multiplexer's scenarios against a real PGlite in a plain Node process (PGlite
// imports `node:module` dynamically, which Jest's module sandbox cannot do) and prints their
// findings as one JSON line. TypeScript through ts-node (transpile only).
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
