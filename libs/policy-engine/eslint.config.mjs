import baseConfig from "../../eslint.config.mjs";

// The engine is a pure library: no framework, database, bus or I/O in shipped code,
// and the AGPL oracle (@cloud-copilot/iam-simulate) only in specs and the benchmark.
const pureEngine = {
    paths: [
        { name: "typeorm", message: "The policy engine is a pure library." },
        { name: "nats", message: "The policy engine is a pure library." },
        { name: "pg", message: "The policy engine is a pure library." },
    ],
    patterns: [
        { group: ["@nestjs/*"], message: "The policy engine is a pure library." },
        { group: ["@cloud-copilot/*"], message: "iam-simulate (AGPL) is a test oracle: import it only in specs and the benchmark." },
        { group: ["fs", "node:*", "net", "http", "https", "child_process"], message: "No I/O in the engine." },
    ],
};

export default [
    ...baseConfig,
    {
        files: ["src/**/*.ts"],
        ignores: ["src/**/*.spec.ts", "src/testing/**"],
        rules: { "no-restricted-imports": ["error", pureEngine] },
    },
    {
        files: ["src/testing/**/*.ts"],
        ignores: ["src/**/*.spec.ts"],
        rules: {
            "no-restricted-imports": ["error", { paths: pureEngine.paths, patterns: pureEngine.patterns.slice(0, 2) }],
        },
    },
];
