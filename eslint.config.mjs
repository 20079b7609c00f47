import nx from '@nx/eslint-plugin';

const frameworks = ['@nestjs/*', 'typeorm', 'nats', 'pg', 'fastify', '@electric-sql/*'];

/**
 * What each kind of project may use. Specs and test support of the pure libraries (engine,
 * protocol) may also use the testing library, for the one official SigV4 signer.
 */
function boundaries(tests = false) {
  const pure = tests ? ['type:testing'] : [];
  return [
    // Apps are never imported.
    { sourceTag: 'type:engine', onlyDependOnLibsWithTags: pure, bannedExternalImports: frameworks },
    { sourceTag: 'type:protocol', onlyDependOnLibsWithTags: pure, bannedExternalImports: frameworks },
    { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
    // The web console talks to the REST API only: it imports no library.
    { sourceTag: 'type:ui', onlyDependOnLibsWithTags: [] },
    { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:contracts'] },
    { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts'] },
    {
      sourceTag: 'type:service',
      onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:engine', 'type:protocol', 'type:testing'],
    },
    {
      sourceTag: 'type:edge',
      onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:engine', 'type:protocol', 'type:testing'],
    },
    {
      sourceTag: 'type:app',
      onlyDependOnLibsWithTags: ['type:service', 'type:edge', 'type:platform', 'type:contracts', 'type:engine', 'type:protocol'],
    },
    {
      sourceTag: 'type:e2e',
      onlyDependOnLibsWithTags: ['type:service', 'type:edge', 'type:platform', 'type:contracts', 'type:engine', 'type:protocol', 'type:testing'],
    },
    // A service's code never reaches into another service's.
    { sourceTag: 'scope:identity', onlyDependOnLibsWithTags: ['scope:identity', 'scope:shared'] },
    { sourceTag: 'scope:directory', onlyDependOnLibsWithTags: ['scope:directory', 'scope:shared'] },
    { sourceTag: 'scope:authorization', onlyDependOnLibsWithTags: ['scope:authorization', 'scope:shared'] },
    { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:gateway', 'scope:shared'] },
    { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  ];
}

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/out-tsc', '**/node_modules', 'reports/**', 'data/**'],
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$'],
          depConstraints: boundaries(),
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/test-support/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: true, allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$'], depConstraints: boundaries(true) },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
];
