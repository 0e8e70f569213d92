// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import { layerConfigs } from "./eslint.layers.js";

export default tseslint.config(
  { ignores: ["node_modules/**", "data/**", "coverage/**", "bin/**", "eslint.config.js", "eslint.layers.js"] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      "@typescript-eslint/no-unnecessary-condition": "off",
      // noUncheckedIndexedAccess makes every index an option; asserting a just-checked index is clearer than re-checking it
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  ...layerConfigs,
  // the playground's browser script (served as is): plain JavaScript, no type information, the browser's globals
  {
    files: ["src/adapters/web/page/**/*.js"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: "script",
      globals: { window: "readonly", document: "readonly", fetch: "readonly", EventSource: "readonly", URL: "readonly", Blob: "readonly", AdaptiveCards: "readonly" },
    },
  },
);
