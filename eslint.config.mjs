// ESLint: the architecture's boundaries (server/lint/architecture-plugin.mjs), run by `npm run lint`
// and by `npm test`. The general rule set is deliberately small; what this file encodes is WHERE each
// boundary applies. server/lint/boundaries.test.ts proves each rule fails a violation.
import nextPlugin from "@next/eslint-plugin-next";
import tseslint from "typescript-eslint";
import { architecturePlugin } from "./server/lint/architecture-plugin.mjs";

/** Tests, test helpers and benchmarks reach into the database and the API layer on purpose. */
const TEST_CODE = ["**/*.test.ts", "server/testing/**", "**/testing/**", "**/test-helpers.ts", "server/bench/**", "e2e/**"];

/** Today's users of onPlatform outside platform modules: to move into the domain's platform.ts (#15). One per line. */
const ON_PLATFORM_VIOLATORS_TODAY = [
  "server/accounts/invitations.ts",
  "server/accounts/passwords.ts",
  "server/api-keys/authenticate.ts",
  "server/api/routers/account.ts",
  "server/api/routers/factors.ts",
  "server/api/routers/me.ts",
  "server/audit/tasks.ts",
  "server/auth/credentials.ts",
  "server/auth/sign-in-events.ts",
  "server/auth/sso/outcome.ts",
  "server/auth/step-up.ts",
  "server/deletion/service.ts",
  "server/mail/send.ts",
  "server/policies/service.ts",
  "server/tenancy/tenant-sweep.ts",
  "server/tenants/pause.ts",
  "server/tenants/provisioning.ts",
];


export default tseslint.config(
  { ignores: ["node_modules/**", ".next/**", ".data/**", "server/db/generated/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  {
    files: ["**/*.{ts,tsx,mjs,js}"],
    languageOptions: { parser: tseslint.parser, parserOptions: { ecmaFeatures: { jsx: true } } },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    plugins: { architecture: architecturePlugin, "@typescript-eslint": tseslint.plugin, "@next/next": nextPlugin },
    // The light general set: Next's own rules, no `any`, no dead bindings ("_" marks one kept on purpose).
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true }],
    },
  },
  {
    files: ["server/**/*.{ts,tsx}", "app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "proxy.ts", "instrumentation.ts"],
    ignores: ["server/db/**", "server/**/repository.ts", "server/**/*-repository.ts", "server/cli/**", ...TEST_CODE],
    rules: { "architecture/prisma-in-repositories": "error" },
  },
  {
    files: ["server/**/*.{ts,tsx}", "app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "proxy.ts", "instrumentation.ts"],
    ignores: [
      "server/**/platform.ts",
      "server/**/platform-*.ts",
      "server/**/platform/**", // the platform routers (server/api/routers/platform/)
      "server/tenancy/**",
      "server/jobs/**",
      "server/db/**",
      "server/cli/**",
      ...TEST_CODE,
      ...ON_PLATFORM_VIOLATORS_TODAY,
    ],
    rules: { "architecture/on-platform-in-platform-modules": "error" },
  },
  {
    files: ["server/**/*.{ts,tsx}", "app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "proxy.ts", "instrumentation.ts"],
    ignores: ["server/api/**", ...TEST_CODE],
    rules: { "architecture/trpc-error-in-api": "error" },
  },
  {
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "proxy.ts", "instrumentation.ts"],
    rules: {
      "architecture/app-through-entry-points": "error",
      "architecture/client-components-isomorphic-only": "error",
    },
  },
  {
    files: ["server/isomorphic/**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts"],
    rules: { "architecture/isomorphic-is-self-contained": "error" },
  },
);
