import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup/has-assertions.ts", "test/setup/no-secret-leaks.ts"],
    testTimeout: 20_000,
    // the JSON report is what .ci/run counts for its "N passed, N failed" line
    reporters: ["default", "json"],
    outputFile: { json: ".vitest-results.json" },
  },
});
