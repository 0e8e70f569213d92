import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/app/config.ts";
import { ConfigError } from "../../src/app/config-error.ts";

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

  it("reads the file AOAI_CONFIG names (a container's mounted secret), and names AOAI_CONFIG when it is missing", () => {
    const path = file("mounted.yaml", `resources: [${ID}]\naccess:\n  contact: "#ops"\n  rules:\n    - { name: payments, slack: { channel: C1 }, allow: [ask] }\n`);
    const config = loadConfig({ env: { AOAI_CONFIG: path }, cwd: dir });
    expect(config.resourceIds).toEqual([ID]);
    expect(config.file).toBe(path);
    expect(keyOf(() => loadConfig({ env: { AOAI_CONFIG: join(dir, "absent.yaml") }, cwd: dir }))).toBe("AOAI_CONFIG");
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

  it.each([
    ["schedules:\n  - name: d\n    cron: \"0 9 * * *\"\n    report: summary\n    post: []\n", "schedules.0.post"],
    ["schedules:\n  - name: d\n    cron: \"every day\"\n    report: summary\n    post: [{ console: true }]\n", "schedules.0.cron"],
    ["schedules:\n  - name: d\n    cron: \"0 9 * * *\"\n    timezone: Moon/Base\n    report: summary\n    post: [{ console: true }]\n", "schedules.0.timezone"],
    ["schedules:\n  - name: d\n    cron: \"0 9 * * *\"\n    report: condition\n    condition: \"when it feels slow\"\n    post: [{ console: true }]\n", "schedules.0.condition"],
    ["schedules:\n  - name: d\n    cron: \"0 9 * * *\"\n    report: summary\n    post: [{ slack: general }]\n", "schedules.0.post.0.slack"],
    ["schedules:\n  - { name: d, cron: \"0 9 * * *\", report: summary, post: [{ console: true }] }\n  - { name: D, cron: \"0 9 * * *\", report: summary, post: [{ console: true }] }\n", "schedules.1.name"],
  ])("names the offending schedule key for %j", (yaml, key) => {
    const path = file("sched.yaml", yaml);
    expect(keyOf(() => loadConfig({ file: path, env: {} }))).toBe(key);
  });

  it("reads schedules in the documented shape", () => {
    const path = file("good-sched.yaml", `teams:\n  channels:\n    ops-channel: "19:ops@thread.tacv2"\nschedules:\n  - name: daily-summary\n    cron: "0 9 * * *"\n    timezone: Europe/Berlin\n    report: summary\n    deployments: [gpt-4o]\n    post:\n      - slack: C0123456789\n      - teams: ops-channel\n      - console: true\n`);
    expect(loadConfig({ file: path, env: {} }).schedules).toEqual([
      { name: "daily-summary", cron: "0 9 * * *", timezone: "Europe/Berlin", report: { kind: "summary", deployments: ["gpt-4o"] }, post: [{ platform: "slack", channel: "C0123456789" }, { platform: "teams", conversation: "ops-channel" }, { platform: "console" }], paused: false, origin: "config" },
    ]);
  });

  it("reads admin-given Teams channel names, ignoring case", () => {
    const path = file("teams.yaml", `teams:\n  channels:\n    Ops: "19:abc@thread.tacv2"\n    oncall: "a:1xyz"\n`);
    expect(loadConfig({ file: path, env: {} }).teamsChannels).toEqual(new Map([["ops", "19:abc@thread.tacv2"], ["oncall", "a:1xyz"]]));
    expect(loadConfig({ env: {}, cwd: dir }).teamsChannels.size).toBe(0);
  });

  it.each([
    // a report to a name nobody configured would go nowhere at 09:00: refused now, saying what to add
    ["schedules:\n  - { name: d, cron: \"0 9 * * *\", report: summary, post: [{ teams: ops }] }\n", "schedules.0.post.0.teams", "add it under teams.channels"],
    ["teams:\n  channels:\n    \"19:victim@thread.tacv2\": \"19:mine@thread.tacv2\"\n", "teams.channels.19:victim@thread.tacv2", "shaped like a conversation id"],
    ["teams:\n  channels:\n    ops: general\n", "teams.channels.ops", "must be a Teams conversation id"],
    ["teams:\n  channels:\n    ops: \"19:a\\0b@thread.tacv2\"\n", "teams.channels.ops", "NUL"],
    ["teams:\n  channels:\n    Ops: \"19:a@thread.tacv2\"\n    ops: \"19:b@thread.tacv2\"\n", "teams.channels", "given twice"],
    ["teams:\n  chanels: {}\n", "teams", "chanels"],
  ])("refuses %j", (yaml, key, says) => {
    const path = file("teams-bad.yaml", yaml);
    expect(keyOf(() => loadConfig({ file: path, env: {} }))).toBe(key);
    expect(() => loadConfig({ file: path, env: {} })).toThrow(says);
  });

  it("reads spend prices per model, per 1M tokens, in one currency; without them there are none", () => {
    const path = file("prices.yaml", "prices:\n  currency: EUR\n  models:\n    gpt-4o: { inputPer1M: 2.3, outputPer1M: 9.2 }\n    text-embedding-3-large: { inputPer1M: 0.12, outputPer1M: 0 }\n");
    expect(loadConfig({ file: path, env: {} }).prices).toEqual({ currency: "EUR", models: { "gpt-4o": { inputPer1M: 2.3, outputPer1M: 9.2 }, "text-embedding-3-large": { inputPer1M: 0.12, outputPer1M: 0 } } });
    expect(loadConfig({ env: {}, cwd: dir }).prices).toBeUndefined();
  });

  it.each([
    ["prices:\n  currency: dollars\n  models: { gpt-4o: { inputPer1M: 1, outputPer1M: 2 } }\n", "prices.currency", "three-letter currency code"],
    ["prices:\n  currency: USD\n  models: { gpt-4o: { inputPer1M: -1, outputPer1M: 2 } }\n", "prices.models.gpt-4o.inputPer1M", ">=0"],
    ["prices:\n  currency: USD\n  models: { gpt-4o: { input: 1, output: 2 } }\n", "prices.models.gpt-4o.inputPer1M", "inputPer1M"],
    ["prices:\n  currency: USD\n  models: { gpt-4o: { inputPer1M: 1 } }\n", "prices.models.gpt-4o.outputPer1M", "outputPer1M"],
    ["prices:\n  currency: USD\n  models: {}\n", "prices.models", "at least one model"],
    ["prices:\n  currency: USD\n  models: { GPT-4o: { inputPer1M: 1, outputPer1M: 2 }, gpt-4o: { inputPer1M: 1, outputPer1M: 2 } }\n", "prices.models", "names a model twice"],
  ])("refuses prices %j", (yaml, key, says) => {
    const path = file("prices-bad.yaml", yaml);
    expect(keyOf(() => loadConfig({ file: path, env: {} }))).toBe(key);
    expect(() => loadConfig({ file: path, env: {} })).toThrow(says);
  });

  it("fails clearly when --config points at a missing file", () => {
    expect(keyOf(() => loadConfig({ file: join(dir, "missing.yaml"), env: {} }))).toBe("--config");
  });
});

describe("verdict thresholds", () => {
  it("has defaults a quiet resource passes and an incident fails", () => {
    expect(loadConfig({ env: {}, cwd: dir }).verdict).toEqual({ throttleRate: 5, errorRate: 5, successRate: 95, latencyChange: 50, minCalls: 20 });
  });

  it("reads `verdict:` from the YAML file, keeping the defaults of keys it leaves out", () => {
    const path = file("verdict.yaml", "verdict:\n  throttleRate: 1\n  latencyChange: 20\n");
    expect(loadConfig({ file: path, env: {} }).verdict).toEqual({ throttleRate: 1, errorRate: 5, successRate: 95, latencyChange: 20, minCalls: 20 });
  });

  it.each([
    ["verdict:\n  throttleRate: 150\n", "verdict.throttleRate"],
    ["verdict:\n  successRate: -1\n", "verdict.successRate"],
    ["verdict:\n  minCalls: 0\n", "verdict.minCalls"],
    ["verdict:\n  throttlePercent: 5\n", "verdict"],
  ])("names the key of a threshold that can't be one: %j", (yaml, key) => {
    expect(keyOf(() => loadConfig({ file: file(`bad-verdict-${key}.yaml`, yaml), env: {} }))).toBe(key);
  });
});

describe("log analytics settings", () => {
  const WS = "3f2a8c1e-5b7d-4e21-9a0c-1d2e3f4a5b6c";
  const WS_ID = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/ops";

  it("takes a workspace per resource from its entry, AOAI_WORKSPACE_ID for the rest, and none otherwise", () => {
    const dev = ID.replace("prod", "dev");
    const path = file("ws.yaml", `resources:\n  - id: ${ID}\n    workspaceId: ${WS_ID}\n  - ${dev}\n`);
    expect(loadConfig({ file: path, env: {} }).workspaces).toEqual({ [ID]: WS_ID });
    expect(loadConfig({ file: path, env: { AOAI_WORKSPACE_ID: WS } }).workspaces).toEqual({ [ID]: WS_ID, [dev]: WS });
  });

  it.each([
    ["a name", "ops-workspace"],
    ["an account id", ID],
    ["a GUID with a query", `${WS} | take 1`],
  ])("refuses %s as a workspace, naming the key", (_what, value) => {
    expect(keyOf(() => loadConfig({ env: { AOAI_RESOURCE_IDS: ID, AOAI_WORKSPACE_ID: value } }))).toBe("AOAI_WORKSPACE_ID");
    const path = file("bad-ws.yaml", `resources:\n  - id: ${ID}\n    workspaceId: "${value}"\n`);
    expect(keyOf(() => loadConfig({ file: path, env: {} }))).toBe("resources.0.workspaceId");
  });

  it("lets nobody run raw KQL until someone is listed, and shows 50 rows by default", () => {
    expect(loadConfig({ env: {}, cwd: dir }).kql).toEqual({ allowedUsers: [], maxRows: 50 });
    const path = file("kql.yaml", "kql:\n  allowedUsers: [U012ABCDEF, console]\n  maxRows: 20\n");
    expect(loadConfig({ file: path, env: {} }).kql).toEqual({ allowedUsers: ["U012ABCDEF", "console"], maxRows: 20 });
    expect(keyOf(() => loadConfig({ file: file("kql-rows.yaml", "kql:\n  maxRows: 5000\n"), env: {} }))).toBe("kql.maxRows");
  });

  it("queries the public Log Analytics API unless a sovereign endpoint is given", () => {
    expect(loadConfig({ env: {}, cwd: dir }).logsEndpoint).toBe("https://api.loganalytics.io/v1");
    expect(loadConfig({ env: { AOAI_LOGS_ENDPOINT: "https://api.loganalytics.azure.cn/v1/" }, cwd: dir }).logsEndpoint).toBe("https://api.loganalytics.azure.cn/v1");
    expect(keyOf(() => loadConfig({ env: { AOAI_LOGS_ENDPOINT: "http://127.0.0.1/v1" }, cwd: dir }))).toBe("AOAI_LOGS_ENDPOINT");
  });
});
