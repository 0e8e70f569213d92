// `slack.charts` in aoai.config.yaml: how answers' charts reach Slack (png by default).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/app/config.ts";
import { ConfigError } from "../../src/app/config-error.ts";

const dir = mkdtempSync(join(tmpdir(), "aoai-config-charts-"));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe("slack.charts", () => {
  it("is unset by default (pictures), and reads png, native or off", () => {
    expect(loadConfig({ env: {}, cwd: dir }).slackCharts).toBeUndefined();
    for (const mode of ["png", "native", "off"]) expect(loadConfig({ file: file(`${mode}.yaml`, `slack:\n  charts: ${mode}\n`), env: {} }).slackCharts).toBe(mode);
  });

  it("refuses anything else, naming the key and the choices", () => {
    let caught: unknown;
    try {
      loadConfig({ file: file("bad.yaml", "slack:\n  charts: svg\n"), env: {} });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).key).toBe("slack.charts");
    expect((caught as ConfigError).message).toMatch(/png.*native.*off/);
  });
});
