import baseConfig from "../../eslint.config.mjs";

export default [
    ...baseConfig,
    {
        // A pure library: no framework, database or messaging code, and the AWS SDK and smithy
        // (dev dependencies) only in tests.
        files: ["src/**/*.ts"],
        ignores: ["src/**/*.spec.ts", "src/test-support/**"],
        rules: {
            "no-restricted-imports": [
                "error",
                {
                    patterns: [
                        {
                            group: ["@nestjs/*", "typeorm", "nats", "pg", "@aws-sdk/*", "@smithy/*"],
                            message: "aws-protocol is a pure library: no framework, I/O or SDK imports outside tests.",
                        },
                    ],
                },
            ],
        },
    },
];
