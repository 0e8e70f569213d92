// "No RequestResponse rows for gpt-4o for 2 hours" means one of four things, told apart from the
// request metrics, the diagnostic settings and the workspace: logging, idle (nobody called it),
// pipeline stopped (calls but no rows) and not routed (no setting sends RequestResponse to a
// workspace). Real SDK clients against loopback fakes of Resource Manager and Log Analytics.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LogQuestion } from "../../../src/queries/table-questions.ts";
import type { LogsRequest } from "../../../src/queries/table-answer.ts";
import { ACCOUNT, AbsenceWorld, AT, ROUTED, WORKSPACE_ARM, WORKSPACE_GUID } from "./absence-world.ts";

let world: AbsenceWorld;
beforeEach(async () => {
  world = await new AbsenceWorld().start();
});
afterEach(async () => {
  await world.close();
});

const check = (deployments: string[] = ["gpt-4o"], silentMinutes = 120) => world.service().check({ resourceId: ACCOUNT, deployments, silentMinutes });

describe("the four states of a deployment's request logs", () => {
  it("logging: rows in the window, with the last row's time", async () => {
    world.scenario = { settings: ROUTED, requests: { "gpt-4o": 240 }, rows: [{ deployment: "gpt-4o", rows: 238, lastRow: "2026-11-30T13:57:12Z" }] };
    const [v] = (await check()).verdicts;
    expect(v).toMatchObject({ deployment: "gpt-4o", state: "logging", requests: 240, rows: 238, lastRowAt: "2026-11-30T13:57:12.000Z" });
    expect(v?.line).toBe("gpt-4o: **logging**: 238 RequestResponse rows in the last 2 h, the last at 2026-11-30 13:57 UTC.");
  });

  it("idle: no rows and no requests in the metrics either — nobody called it, not a logging problem", async () => {
    world.scenario = { settings: ROUTED, requests: { "gpt-4o-mini": 90 }, rows: [{ deployment: "gpt-4o", rows: 0, lastRow: "2026-11-30T06:10:00Z" }] };
    const [v] = (await check()).verdicts;
    expect(v).toMatchObject({ state: "idle", requests: 0, rows: 0, lastRowAt: "2026-11-30T06:10:00.000Z" });
    expect(v?.line).toContain("Azure Monitor counted **0** requests");
    expect(v?.line).toContain("nobody called it, which is not a logging problem");
  });

  it("pipeline stopped: the metrics count requests the workspace has no rows for, since the last row, with the ingestion lag said", async () => {
    world.scenario = { settings: ROUTED, requests: { "gpt-4o": 1234 }, rows: [{ deployment: "gpt-4o", rows: 0, lastRow: "2026-11-30T10:48:30Z" }] };
    const c = await check();
    const [v] = c.verdicts;
    expect(v).toMatchObject({ state: "pipeline stopped", requests: 1234, rows: 0, lastRowAt: "2026-11-30T10:48:30.000Z" });
    expect(v?.line).toContain("Azure Monitor counted **1,234** requests in the last 2 h, but workspace");
    expect(v?.line).toContain("the last row arrived at 2026-11-30 10:48 UTC, 3 h 12 min ago");
    expect(v?.line).toContain("Log ingestion can lag a few minutes");
    expect(v?.line).toContain("the diagnostic setting to-law");
  });

  it("pipeline stopped with no row at all in the lookback (Log Analytics answers 204)", async () => {
    world.scenario = { settings: ROUTED, requests: { "gpt-4o": 12 }, rows: "no-data" };
    const [v] = (await check()).verdicts;
    expect(v).toMatchObject({ state: "pipeline stopped", requests: 12, rows: 0, lastRowAt: null });
    expect(v?.line).toContain("(none at all since 2026-11-23 14:00 UTC)");
  });

  it("not routed: no diagnostic setting sends RequestResponse to a workspace — says which setting to create and that it costs money, and reads no workspace", async () => {
    world.scenario = { settings: [], requests: { "gpt-4o": 50 }, rows: [] };
    const c = await check();
    const [v] = c.verdicts;
    expect(v).toMatchObject({ state: "not routed", requests: 50, rows: null, lastRowAt: null });
    expect(v?.line).toContain("no diagnostic setting on aoai-prod sends RequestResponse (or the allLogs group) to a Log Analytics workspace");
    expect(v?.line).toContain(`az monitor diagnostic-settings create --name aoai-request-logs --resource ${ACCOUNT}`);
    expect(v?.line).toContain("costs money");
    expect(world.logQueries()).toHaveLength(0);
    expect(c.workspace).toBeUndefined();
  });

  it.each([
    ["a setting to the workspace without RequestResponse", [{ name: "audit-only", workspaceId: WORKSPACE_ARM, logs: ["Audit"], disabled: ["RequestResponse"] }], 'Enable RequestResponse (or the allLogs group) in "audit-only"'],
    ["RequestResponse to storage only", [{ name: "to-storage", logs: ["RequestResponse"] }], 'Add a Log Analytics workspace as a destination of "to-storage"'],
  ])("not routed with %s says what to change in that setting", async (_, settings, fix) => {
    world.scenario = { settings, requests: { "gpt-4o": 5 }, rows: [] };
    const [v] = (await check()).verdicts;
    expect(v?.state).toBe("not routed");
    expect(v?.line).toContain(fix);
    expect(v?.line).toContain("costs money");
  });

  it("not routed when the settings send RequestResponse to another workspace than the one the bot reads", async () => {
    world.scenario = { settings: ROUTED, requests: { "gpt-4o": 5 }, rows: [] };
    world.workspace = WORKSPACE_ARM.replace("aoai-logs", "other-law");
    const [v] = (await check()).verdicts;
    expect(v?.state).toBe("not routed");
    expect(v?.line).toContain("send RequestResponse elsewhere (to-law → aoai-logs), but the bot reads other-law");
    expect(world.logQueries()).toHaveLength(0);
  });
});

describe("what the check is sure of", () => {
  it("says no data (not idle, not 0) when Azure Monitor has no request metrics for the resource at all", async () => {
    world.scenario = { settings: ROUTED, requests: {}, resourceReports: false, rows: [] };
    const [v] = (await check()).verdicts;
    expect(v).toMatchObject({ state: "no data", requests: null });
    expect(v?.line).toContain("an idle deployment can't be told from a stopped pipeline");
  });

  it("calls a resource with Azure's zeros idle", async () => {
    world.scenario = { settings: ROUTED, requests: {}, rows: [] };
    expect((await check()).verdicts[0]).toMatchObject({ state: "idle", requests: 0 });
  });

  it("goes on without the diagnostic settings when it may not read them, and says what that leaves open", async () => {
    world.scenario = { settings: "forbidden", requests: { "gpt-4o": 30 }, rows: [] };
    const c = await check();
    expect(c.verdicts[0]?.state).toBe("pipeline stopped");
    expect(c.notes.join(" ")).toContain("Could not read the diagnostic settings of aoai-prod");
    expect(c.notes.join(" ")).toContain("a missing or changed setting can't be ruled out");
  });

  it("keeps a partial answer's rows and says they may be incomplete", async () => {
    world.scenario = { settings: ROUTED, requests: { "gpt-4o": 30 }, rows: [], partialError: "Query exceeded the memory limit" };
    const c = await check();
    expect(c.partial).toContain("Query exceeded the memory limit");
    expect(c.verdicts[0]?.line).toContain("Log Analytics answered only partially");
  });

  it("sends the absence template with the window, the lookback and the asked names bound", async () => {
    world.scenario = { settings: ROUTED, requests: { "gpt-4o": 1 }, rows: [{ deployment: "gpt-4o", rows: 1, lastRow: "2026-11-30T13:00:00Z" }] };
    const c = await check(["gpt-4o"], 120);
    const [sent] = world.logQueries();
    expect(sent?.target).toEqual({ kind: "workspace", id: WORKSPACE_GUID });
    expect(sent?.body.query).toContain('| where deployment in~ ("gpt-4o")');
    expect(sent?.body.query).toContain("countif(TimeGenerated >= datetime(2026-11-30T12:00:00Z))");
    expect(sent?.body.timespan).toBe("2026-11-23T14:00:00.000Z/2026-11-30T14:00:00.000Z");
    const logs = c.requests.find((r): r is LogsRequest => r.api === "logs");
    expect(logs).toMatchObject({ workspace: WORKSPACE_GUID, timespan: "2026-11-23T14:00:00Z/2026-11-30T14:00:00Z", template: { id: "absence", params: { deployments: ["gpt-4o"], start: "2026-11-30T12:00:00Z" } } });
    expect(world.metricCalls()[0]?.query).toMatchObject({ metricnames: "AzureOpenAIRequests", aggregation: "Total", interval: "FULL", timespan: "2026-11-30T12:00:00Z/2026-11-30T14:00:00Z", $filter: "ModelDeploymentName eq '*'" });
  });

  it("checks every deployment the resource reports when none is named", async () => {
    world.scenario = { settings: ROUTED, requests: { "gpt-4o": 10 }, known: ["gpt-4o", "gpt-4o-mini", "embeddings"], rows: [{ deployment: "gpt-4o", rows: 10, lastRow: "2026-11-30T13:59:00Z" }] };
    const c = await check([]);
    expect(c.verdicts.map((v) => [v.deployment, v.state])).toEqual([
      ["embeddings", "idle"],
      ["gpt-4o", "logging"],
      ["gpt-4o-mini", "idle"],
    ]);
    expect(world.logQueries()[0]?.body.query).not.toContain("where deployment");
  });
});

describe("answering the question", () => {
  const question: LogQuestion = { kind: "logs", template: "absence", topic: "Request logs of gpt-4o and gpt-4o-mini", window: { kind: "relative", minutes: 120 }, deployments: ["gpt-4o", "gpt-4o-mini"], silentMinutes: 120, notes: [] };
  const resources = [{ id: ACCOUNT, name: "aoai-prod", deployments: ["gpt-4o", "gpt-4o-mini"] }];

  it("one row per deployment, worst first, a line leading with the worst state, and sources for the KQL and the metric request", async () => {
    world.scenario = { settings: ROUTED, requests: { "gpt-4o": 800, "gpt-4o-mini": 0 }, rows: [{ deployment: "gpt-4o", rows: 0, lastRow: "2026-11-30T11:05:00Z" }] };
    const a = await world.service().answer(question, resources, AT);
    expect(a.kind).toBe("logs");
    expect(a.window).toEqual({ start: "2026-11-30T12:00:00Z", end: "2026-11-30T14:00:00Z", label: "last 2 h" });
    expect(a.table.columns.map((c) => c.name)).toEqual(["deployment", "state", "requests in metrics", "log rows", "last row at"]);
    expect(a.table.rows).toEqual([
      ["gpt-4o", "pipeline stopped", 800, 0, "2026-11-30T11:05:00.000Z"],
      ["gpt-4o-mini", "idle", 0, 0, null],
    ]);
    expect(a.lines[0]).toBe("Pipeline stopped: gpt-4o had requests in Azure Monitor but no RequestResponse rows in the last 2 h.");
    expect(a.lines.slice(1).map((l) => l.split(":")[0])).toEqual(["gpt-4o", "gpt-4o-mini"]);
    expect(a.sources.some((s) => s.startsWith(`Log Analytics workspace ${WORKSPACE_GUID} · timespan 2026-11-23T14:00:00Z/2026-11-30T14:00:00Z · KQL: AzureDiagnostics |`))).toBe(true);
    expect(a.sources).toContain("aoai-prod · AzureOpenAIRequests · Total · grain FULL · 2026-11-30T12:00:00Z/2026-11-30T14:00:00Z · filter ModelDeploymentName eq '*' · Metrics - List");
    expect(a.requests.map((r) => (r.api === "arm" ? r.operation : r.api))).toEqual(["diagnosticSettings.list", "metrics", "logs"]);
    expect(a.requests[1]).toMatchObject({ api: "metrics", resourceId: ACCOUNT, metricnames: "AzureOpenAIRequests", aggregation: "Total", interval: "FULL", filter: "ModelDeploymentName eq '*'", top: 100 });
    expect(a.notes.join(" ")).toContain("Log ingestion lags a few minutes");
  });

  it("leads with not routed over everything else, with null (not 0) for the rows it never read", async () => {
    world.scenario = { settings: [], requests: { "gpt-4o": 3 }, rows: [] };
    const a = await world.service().answer(question, resources, AT);
    expect(a.lines[0]).toBe("Not routed: no diagnostic setting sends RequestResponse logs to the workspace (gpt-4o, gpt-4o-mini).");
    // the setting is the resource's: said once, not per deployment
    expect(a.lines).toHaveLength(2);
    expect(a.table.rows).toEqual([
      ["gpt-4o", "not routed", 3, null, null],
      ["gpt-4o-mini", "not routed", 0, null, null],
    ]);
    expect(a.notes.join(" ")).toContain("costs money");
  });

  it("reads the window from the question when no silent minutes were given", async () => {
    world.scenario = { settings: ROUTED, requests: { "gpt-4o": 5, "gpt-4o-mini": 5 }, rows: [{ deployment: "gpt-4o", rows: 5, lastRow: "2026-11-30T13:30:00Z" }, { deployment: "gpt-4o-mini", rows: 5, lastRow: "2026-11-30T13:40:00Z" }] };
    const sixHours: LogQuestion = { kind: "logs", template: "absence", topic: question.topic, window: { kind: "relative", minutes: 360 }, deployments: question.deployments, notes: [] };
    const a = await world.service().answer(sixHours, resources, AT);
    expect(a.window?.start).toBe("2026-11-30T08:00:00Z");
    expect(a.lines).toEqual(["Logging: gpt-4o, gpt-4o-mini wrote RequestResponse rows in the last 6 h."]);
  });

  it("names a calendar window as asked", async () => {
    world.scenario = { settings: ROUTED, requests: { "gpt-4o": 5 }, rows: [] };
    const yesterday: LogQuestion = { kind: "logs", template: "absence", topic: question.topic, window: { kind: "yesterday" }, deployments: ["gpt-4o"], notes: [] };
    const a = await world.service().answer(yesterday, resources, AT);
    expect(a.window).toEqual({ start: "2026-11-29T00:00:00Z", end: "2026-11-30T00:00:00Z", label: "yesterday" });
    expect(a.lines[0]).toBe("Pipeline stopped: gpt-4o had requests in Azure Monitor but no RequestResponse rows in the window (yesterday).");
    expect(a.lines[1]).toContain("Azure Monitor counted **5** requests in the window (yesterday), but workspace");
  });

  it("plans exactly the requests the answer sends, without sending a query", async () => {
    world.scenario = { settings: ROUTED, requests: { "gpt-4o": 5, "gpt-4o-mini": 1 }, rows: [] };
    const planned = await world.service().plan(question, resources, AT);
    expect(world.logQueries()).toHaveLength(0);
    expect(world.metricCalls()).toHaveLength(0);
    const sent = await world.service().answer(question, resources, AT);
    expect(planned).toEqual(sent.requests);
  });
});
