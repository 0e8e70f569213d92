import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/app/config.ts";
import { ConfigError } from "../../src/queries/errors.ts";

const ID = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/prod";
const dir = mkdtempSync(join(tmpdir(), "aoai-config-"));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const keyOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.key;
    throw err;
  }
  return "no error";
};

describe("configuration", () => {
  it("runs with defaults when there is no file and no environment", () => {
    expect(loadConfig({ env: {}, cwd: dir })).toMatchObject({ resourceIds: [], timezone: "UTC", armEndpoint: "https://management.azure.com", port: 3978 });
  });

  it("reads resources, zone and endpoint from the YAML file", () => {
    const path = file("ok.yaml", `resources:\n  - ${ID}\n  - id: ${ID.replace("prod", "dev")}\ntimezone: Europe/Berlin\narmEndpoint: https://management.usgovcloudapi.net/\n`);
    expect(loadConfig({ file: path, env: {} })).toMatchObject({ resourceIds: [ID, ID.replace("prod", "dev")], timezone: "Europe/Berlin", armEndpoint: "https://management.usgovcloudapi.net" });
  });

  it("lets the environment override the file", () => {
    const path = file("env.yaml", `resources: [${ID}]\ntimezone: Europe/Berlin\n`);
    const other = ID.replace("prod", "other");
    expect(loadConfig({ file: path, env: { AOAI_RESOURCE_IDS: ` ${other} , ${other}`, AOAI_TIMEZONE: "America/New_York", PORT: "8080" } })).toMatchObject({ resourceIds: [other], timezone: "America/New_York", port: 8080 });
  });

  it.each([
    ["timezone: Mars/Olympus\n", "timezone"],
    ["resources: [not-a-resource-id]\n", "resources.0"],
    ["armEndpoint: http://insecure.example\n", "armEndpoint"],
    ["tiemzone: UTC\n", "tiemzone"],
    ["resources: [\n", "bad.yaml"],
  ])("names the offending key for %j", (yaml, key) => {
    const path = file("bad.yaml", yaml);
    expect(keyOf(() => loadConfig({ file: path, env: {} }))).toBe(key === "bad.yaml" ? path : key);
  });

  it.each([
    [{ AOAI_RESOURCE_IDS: "/subscriptions/x" }, "AOAI_RESOURCE_IDS"],
    [{ AOAI_TIMEZONE: "CEST+2" }, "AOAI_TIMEZONE"],
    [{ AOAI_ARM_ENDPOINT: "management.azure.com" }, "AOAI_ARM_ENDPOINT"],
    [{ PORT: "http" }, "PORT"],
  ])("names the offending variable for %j", (env, key) => {
    expect(keyOf(() => loadConfig({ env, cwd: dir }))).toBe(key);
  });

  it("fails clearly when --config points at a missing file", () => {
    expect(keyOf(() => loadConfig({ file: join(dir, "missing.yaml"), env: {} }))).toBe("--config");
  });
});
