// ESLint over the TypeScript and JavaScript (src, tasks, scripts, test, web, ignition): the
// recommended rules of ESLint and typescript-eslint. Formatting is Prettier's; `npm run lint` runs
// solhint, ESLint and Prettier's check.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "artifacts/",
      "cache/",
      "typechain-types/",
      "types/",
      "coverage/",
      "ignition/deployments/",
      "out/",
      "demo-output/",
      "web/dist/",
      "bench/results/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: "module", globals: { ...globals.node } },
    rules: {
      // `const { lens: _lens, ...rest } = x` and `_unused` parameters say on purpose what is left out.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ["web/src/**/*.ts"],
    languageOptions: { globals: { ...globals.browser } },
  },
);
