// `doctor` against loopback Azure: the real AzureMetrics, ARM readers (@azure/arm-monitor,
// @azure/arm-cognitiveservices) and LogsQueryClient, each failing prerequisite scripted alone.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { simulatorHttpClient } from "../../src/demo/http-client.ts";
import { DEMO_RESOURCE_ID } from "../../src/demo/demo-resource.ts";
import { SimulatedAzureMonitor } from "../../src/demo/simulator.ts";
import { DemoLogsBackend } from "../../src/demo/workspace/demo-logs-backend.ts";
import { ArmActivityLog, ArmDeployments, ArmDiagnosticSettings, type ArmReaderOptions } from "../../src/queries/arm-clients.ts";
import { AzureMetrics } from "../../src/queries/azure-metrics.ts";
import { AzureLogs } from "../../src/queries/logs/logs-client.ts";
import { Workspaces } from "../../src/queries/logs/workspaces.ts";
import { Prerequisites, probe, WORKSPACE_PROBE_KQL } from "../../src/queries/prerequisites.ts";
import type { LogsBackend } from "../../src/queries/logs/logs-backend.ts";
import type { LogsRequest, TableAnswer } from "../../src/queries/table-answer.ts";
import { ACCOUNT, activityLogPage, armError, armHandler, deploymentResource, deploymentsPage, diagnosticSettingResource, diagnosticSettingsPage, eventData, ok, type DiagnosticSettingSpec } from "../fakes/arm-resources.ts";
import { FakeAzureMonitor, fakeCredential, type FakeReply } from "../fakes/azure-monitor.ts";
import { FakeLogAnalytics, tableBody, type LogsReply } from "../fakes/log-analytics.ts";

const NOW = new Date("2026-12-01T15:00:00Z");
const WORKSPACE = "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/law-prod";
const GROUP = "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-ai";
const FORBIDDEN = armError(403, "AuthorizationFailed", "The client does not have authorization to perform this action.");
const AOAI_NAMES = ["AzureOpenAIRequests", "AzureOpenAITimeToResponse", "TokenTransaction", "RAIRejectedRequests"];
const MODELS_NAMES = ["ModelRequests", "TimeToResponse", "TotalTokens", "RAIRejectedRequests"];

const definitions = (names: readonly string[]): FakeReply =>
  ok({ value: names.map((n) => ({ id: `${ACCOUNT}/providers/microsoft.insights/metricdefinitions/${n}`, resourceId: ACCOUNT, namespace: "Microsoft.CognitiveServices/accounts", name: { value: n, localizedValue: n }, unit: "Count", primaryAggregationType: "Total", dimensions: [] })) });
const settings = (...specs: DiagnosticSettingSpec[]): FakeReply => ok(diagnosticSettingsPage(specs.map(diagnosticSettingResource)));
const EVERYTHING: DiagnosticSettingSpec = { name: "to-law", workspaceId: WORKSPACE, logs: ["RequestResponse", "Audit", "Trace"] };

/** What the loopback Azure answers, one prerequisite at a time replaced by a test. */
interface World {
  definitions: FakeReply;
  settings: FakeReply;
  activity: FakeReply;
  deployments: FakeReply;
  logs: LogsReply;
}

let arm: FakeAzureMonitor;
let logAnalytics: FakeLogAnalytics;
let world: World;

beforeEach(async () => {
  arm = await new FakeAzureMonitor().start();
  logAnalytics = await new FakeLogAnalytics().start();
  world = {
    definitions: definitions(AOAI_NAMES),
    settings: settings(EVERYTHING),
    activity: ok(activityLogPage([eventData({ time: "2026-12-01T14:20:00Z", operation: "Microsoft.CognitiveServices/accounts/deployments/write", resourceId: `${ACCOUNT}/deployments/gpt-4o`, status: "Succeeded" })])),
    deployments: ok(deploymentsPage([deploymentResource({ name: "gpt-4o", sku: "GlobalStandard", capacity: 150, model: "gpt-4o", rpm: 900, tpm: 150_000 }), deploymentResource({ name: "gpt-4o-mini", sku: "GlobalStandard", capacity: 300, model: "gpt-4o-mini", rpm: 1800, tpm: 300_000 })])),
    logs: { status: 200, body: tableBody([{ name: "TimeGenerated", type: "datetime" }], [["2026-12-01T14:59:00Z"]]) },
  };
  const routes = armHandler({ "diagnosticSettings.list": () => world.settings, "activityLogs.list": () => world.activity, "deployments.list": () => world.deployments });
  arm.handler = (req, n) => (req.path.endsWith("/providers/Microsoft.Insights/metricDefinitions") ? world.definitions : routes(req, n));
  logAnalytics.handler = () => world.logs;
});
afterEach(async () => {
  await arm.close();
  await logAnalytics.close();
});

function doctor(over: { logs?: LogsBackend | undefined; timeoutMs?: number; resourceIds?: readonly string[] } = {}): Prerequisites {
  const options: ArmReaderOptions = { credential: fakeCredential, endpoint: "https://management.azure.com", httpClient: arm.httpClient(), retry: { maxAttempts: 1 } };
  const diagnostics = new ArmDiagnosticSettings(options);
  const workspaces = new Workspaces({ configured: {}, diagnosticSettings: diagnostics, now: () => NOW });
  return new Prerequisites({
    metrics: new AzureMetrics({ credential: fakeCredential, endpoint: "https://management.azure.com", httpClient: arm.httpClient(), now: () => NOW, retry: { maxAttempts: 1 } }),
    diagnostics,
    logs: "logs" in over ? over.logs : new AzureLogs({ credential: fakeCredential, endpoint: "https://api.loganalytics.io", httpClient: logAnalytics.httpClient() }),
    workspaces: (id) => workspaces.workspaceOf(id),
    activity: new ArmActivityLog(options),
    deployments: new ArmDeployments(options),
    resourceIds: over.resourceIds ?? [ACCOUNT],
    zone: "Europe/Berlin",
    now: () => NOW,
    ...(over.timeoutMs === undefined ? {} : { timeoutMs: over.timeoutMs }),
  });
}

interface Row {
  readonly check: string;
  readonly status: string;
  readonly found: string;
  readonly fix: string;
}
const rows = (a: TableAnswer): Row[] => a.table.rows.map((r) => ({ check: String(r[1]), status: String(r[2]), found: String(r[3]), fix: String(r[4]) }));
const statuses = (a: TableAnswer) => Object.fromEntries(rows(a).map((r) => [r.check, r.status.slice(0, r.status.indexOf(" "))]));
const row = (a: TableAnswer, check: string) => rows(a).find((r) => r.check === check)!;
const noteOf = (a: TableAnswer, check: string) => a.notes.filter((n) => n.includes(`· ${check}:`));
const ALL_OK = { "Metrics readable": "✅", "Metric family": "✅", "Diagnostic setting": "✅", "Workspace queryable": "✅", "Activity log readable": "✅", "Deployments readable": "✅" };

describe("doctor, everything in place", () => {
  it("passes every check on the resource, with what it found and where it read it", async () => {
    const a = await doctor().check();
    expect(a.kind).toBe("doctor");
    expect(a.table.columns.map((c) => c.name)).toEqual(["resource", "check", "status", "found", "fix"]);
    expect(statuses(a)).toEqual(ALL_OK);
    expect(a.table.rows.every((r) => r[0] === "aoai-prod")).toBe(true);
    expect(row(a, "Metrics readable").found).toBe("4 metric definitions listed.");
    expect(row(a, "Metric family").found).toBe("Azure OpenAI (AzureOpenAIRequests, AzureOpenAITimeToResponse, TokenTransaction …).");
    expect(row(a, "Diagnostic setting").found).toBe('"to-law" → law-prod: sends RequestResponse, Audit, Trace.');
    expect(row(a, "Workspace queryable").found).toBe("Queried law-prod: rows from the last hour.");
    expect(row(a, "Activity log readable").found).toBe("1 administrative event in the last hour.");
    expect(row(a, "Deployments readable").found).toBe("2 deployments, limits on all 2.");
    expect(a.lines).toEqual(["✅ All 6 checks pass on 1 resource."]);
    expect(a.notes).toEqual([]);
  });

  it("sends each read once and lists it: the workspace probe is one tiny raw query over the last hour", async () => {
    const a = await doctor().check();
    expect(logAnalytics.requests.map((r) => [r.target, r.body.query, r.body.timespan])).toEqual([[{ kind: "resource", id: WORKSPACE }, WORKSPACE_PROBE_KQL, "2026-12-01T14:00:00.000Z/2026-12-01T15:00:00.000Z"]]);
    const logs = a.requests.find((r): r is LogsRequest => r.api === "logs");
    expect(logs).toEqual({ api: "logs", workspace: WORKSPACE, query: "AzureDiagnostics | where TimeGenerated > ago(1h) | take 1", timespan: "2026-12-01T14:00:00Z/2026-12-01T15:00:00Z", serverTimeoutSeconds: 20 });
    expect(a.requests.filter((r) => r.api === "arm").map((r) => r.operation).sort()).toEqual(["activityLogs.list", "deployments.list", "diagnosticSettings.list", "metricDefinitions.list"]);
    expect(a.sources).toContain(`Log Analytics workspace ${WORKSPACE}: ${WORKSPACE_PROBE_KQL} over 2026-12-01T14:00:00Z/2026-12-01T15:00:00Z`);
    expect(arm.requests.filter((r) => r.path.endsWith("/metricDefinitions"))).toHaveLength(1);
  });

  it("says which metric family a Foundry resource answers in", async () => {
    world.definitions = definitions(MODELS_NAMES);
    const a = await doctor().check();
    expect(statuses(a)).toEqual(ALL_OK);
    expect(row(a, "Metric family").found).toBe("Models (Foundry resource): answers are read from ModelRequests, TimeToResponse, TotalTokens … in place of AzureOpenAIRequests, AzureOpenAITimeToResponse, TokenTransaction ….");
  });
});

describe("doctor, one prerequisite missing at a time", () => {
  it("403 on metric definitions: Monitoring Reader on the account (the family can't be told, nothing else fails)", async () => {
    world.definitions = FORBIDDEN;
    const a = await doctor().check();
    expect(statuses(a)).toEqual({ ...ALL_OK, "Metrics readable": "❌", "Metric family": "⚠️" });
    expect(row(a, "Metrics readable")).toMatchObject({ found: "Azure refused the bot's identity reading its metrics (HTTP 403).", fix: 'Assign "Monitoring Reader" on aoai-prod' });
    expect(noteOf(a, "Metrics readable")).toEqual([
      `❌ aoai-prod · Metrics readable: Assign the bot's identity the "Monitoring Reader" role on ${ACCOUNT} (or on its resource group or subscription): reading metrics and their definitions needs Microsoft.Insights/metrics/read. New role assignments can take up to an hour to apply. Run: \`az role assignment create --assignee <bot identity> --role "Monitoring Reader" --scope ${ACCOUNT}\``,
    ]);
    expect(row(a, "Metric family").found).toBe("Not known: its metric definitions could not be read (see Metrics readable).");
    expect(a.lines).toEqual(["❌ 1 check fails, ⚠️ 1 needs a look on 1 resource; the notes say what to do."]);
  });

  it("no diagnostic setting: the setting to create, its categories, destination and cost", async () => {
    world.settings = settings();
    const a = await doctor().check();
    expect(statuses(a)).toEqual({ ...ALL_OK, "Diagnostic setting": "❌", "Workspace queryable": "⚠️" });
    expect(row(a, "Diagnostic setting")).toMatchObject({ found: "No diagnostic setting: its resource logs are not kept anywhere.", fix: "Create a diagnostic setting sending RequestResponse, Audit, Trace to a Log Analytics workspace" });
    const [note] = noteOf(a, "Diagnostic setting");
    expect(note).toContain('with the categories RequestResponse, Audit, Trace (or the allLogs group) and the destination "Send to Log Analytics workspace"');
    expect(note).toContain("Routing logs to Log Analytics costs money: ingestion is billed per GB");
    expect(note).toContain(`Run: \`az monitor diagnostic-settings create --name aoai-bot-logs --resource ${ACCOUNT} --workspace <workspace resource id> --logs '[{"category":"RequestResponse","enabled":true},{"category":"Audit","enabled":true},{"category":"Trace","enabled":true}]'\``);
    // no workspace to query: the log backend is never asked
    expect(row(a, "Workspace queryable").found).toMatch(/^No workspace to query: aoai-prod has no diagnostic setting/);
    expect(logAnalytics.requests).toHaveLength(0);
  });

  it("a setting without RequestResponse: enable it in that setting (re-created under its name, keeping what it sends)", async () => {
    world.settings = settings({ name: "audit-only", workspaceId: WORKSPACE, logs: ["Audit", "Trace"] });
    const a = await doctor().check();
    expect(statuses(a)).toEqual({ ...ALL_OK, "Diagnostic setting": "❌", "Workspace queryable": "⚠️" });
    expect(row(a, "Diagnostic setting")).toMatchObject({ found: '"audit-only" → law-prod: sends Audit, Trace, not RequestResponse.', fix: 'Enable RequestResponse in "audit-only"' });
    const [note] = noteOf(a, "Diagnostic setting");
    expect(note).toContain("costs money");
    expect(note).toContain(`Run: \`az monitor diagnostic-settings create --name audit-only --resource ${ACCOUNT} --workspace ${WORKSPACE} --logs '[{"category":"RequestResponse","enabled":true},{"category":"Audit","enabled":true},{"category":"Trace","enabled":true}]'\``);
  });

  it("a setting with RequestResponse only: a warning, not a failure (Audit and Trace are optional)", async () => {
    world.settings = settings({ name: "requests", workspaceId: WORKSPACE, logs: ["RequestResponse"] });
    const a = await doctor().check();
    expect(statuses(a)).toEqual({ ...ALL_OK, "Diagnostic setting": "⚠️" });
    expect(row(a, "Diagnostic setting").fix).toBe('Enable Audit, Trace in "requests"');
  });

  it("403 from the workspace: Log Analytics Reader (or Data Reader) on the workspace", async () => {
    world.logs = { status: 403, body: { error: { code: "InsufficientAccessError", message: "The provided credentials have insufficient access to perform the requested operation" } } };
    const a = await doctor().check();
    expect(statuses(a)).toEqual({ ...ALL_OK, "Workspace queryable": "❌" });
    expect(row(a, "Workspace queryable")).toMatchObject({ found: "Log Analytics refused the bot's identity on law-prod (HTTP 403).", fix: 'Assign "Log Analytics Reader" on law-prod' });
    const [note] = noteOf(a, "Workspace queryable");
    expect(note).toContain('"Log Analytics Reader" role (or the narrower "Log Analytics Data Reader")');
    expect(note).toContain(`Run: \`az role assignment create --assignee <bot identity> --role "Log Analytics Reader" --scope ${WORKSPACE}\``);
  });

  it("403 on the activity log: Monitoring Reader on the account's resource group", async () => {
    world.activity = FORBIDDEN;
    const a = await doctor().check();
    expect(statuses(a)).toEqual({ ...ALL_OK, "Activity log readable": "❌" });
    expect(row(a, "Activity log readable").fix).toBe('Assign "Monitoring Reader" on rg-ai');
    expect(noteOf(a, "Activity log readable")[0]).toContain(`Run: \`az role assignment create --assignee <bot identity> --role "Monitoring Reader" --scope ${GROUP}\``);
  });

  it("403 on deployments: Reader on the account", async () => {
    world.deployments = FORBIDDEN;
    const a = await doctor().check();
    expect(statuses(a)).toEqual({ ...ALL_OK, "Deployments readable": "❌" });
    expect(row(a, "Deployments readable")).toMatchObject({ found: "Azure refused the bot's identity listing its deployments (HTTP 403).", fix: 'Assign "Reader" on aoai-prod' });
    expect(noteOf(a, "Deployments readable")[0]).toContain(`Run: \`az role assignment create --assignee <bot identity> --role "Reader" --scope ${ACCOUNT}\``);
  });

  it("deployments without limits: quota can't be judged", async () => {
    world.deployments = ok(deploymentsPage([deploymentResource({ name: "gpt-4o", sku: "GlobalStandard", capacity: 150, model: "gpt-4o" })]));
    const a = await doctor().check();
    expect(statuses(a)).toEqual({ ...ALL_OK, "Deployments readable": "⚠️" });
    expect(row(a, "Deployments readable").found).toBe("1 deployment, none with rate limits or provisioned capacity: quota can't be judged.");
  });
});

describe("doctor's checks run side by side", () => {
  it("a check that hangs is cut at its own limit while the others finish", async () => {
    const routes = armHandler({ "diagnosticSettings.list": () => world.settings, "activityLogs.list": () => world.activity, "deployments.list": () => ({ ...world.deployments, delayMs: 2_000 }) });
    arm.handler = (req, n) => (req.path.endsWith("/providers/Microsoft.Insights/metricDefinitions") ? world.definitions : routes(req, n));
    const started = Date.now();
    const a = await doctor({ timeoutMs: 300 }).check();
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(statuses(a)).toEqual({ ...ALL_OK, "Deployments readable": "⚠️" });
    expect(row(a, "Deployments readable").found).toBe("No answer within 300 ms.");
  });

  it("without a log backend, says the workspace was not checked", async () => {
    const a = await doctor({ logs: undefined }).check();
    expect(statuses(a)).toEqual({ ...ALL_OK, "Workspace queryable": "⚠️" });
    expect(row(a, "Workspace queryable").found).toBe("Not checked: the bot has no Log Analytics access configured (workspace law-prod).");
  });
});

describe("doctor on the demo", () => {
  it("probes the demo workspace with the sample template (it refuses raw KQL), and passes", async () => {
    const sim = new SimulatedAzureMonitor({ now: () => NOW });
    const options: ArmReaderOptions = { credential: fakeCredential, endpoint: "https://management.azure.com", httpClient: simulatorHttpClient(sim) };
    const diagnostics = new ArmDiagnosticSettings(options);
    const workspaces = new Workspaces({ configured: {}, diagnosticSettings: diagnostics, now: () => NOW });
    const a = await new Prerequisites({
      metrics: new AzureMetrics({ credential: fakeCredential, endpoint: "https://management.azure.com", httpClient: simulatorHttpClient(sim), now: () => NOW }),
      diagnostics,
      logs: new DemoLogsBackend({ traffic: sim.traffic, now: () => NOW }),
      workspaces: (id) => workspaces.workspaceOf(id),
      activity: new ArmActivityLog(options),
      deployments: new ArmDeployments(options),
      resourceIds: [DEMO_RESOURCE_ID],
      zone: "UTC",
      now: () => NOW,
    }).check();
    expect(statuses(a)).toEqual(ALL_OK);
    const logs = a.requests.find((r): r is LogsRequest => r.api === "logs");
    expect(logs?.template?.id).toBe("sample");
    expect(logs?.template?.params).toMatchObject({ resourceIds: [DEMO_RESOURCE_ID], start: "2026-12-01T14:00:00Z", end: "2026-12-01T15:00:00Z" });
    expect(probe("azure", "w", DEMO_RESOURCE_ID, new Date("2026-12-01T14:00:00Z"), NOW).template).toBeUndefined();
  });
});
