// A log question that fails for a missing prerequisite is answered with the failure and the
// `doctor` table, through the real query layer on loopback Azure (arm-monitor, arm-cognitiveservices,
// LogsQueryClient against their fakes), so the person sees everything to fix in one answer.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/app/config.ts";
import { createQuerySource } from "../../src/app/query-source.ts";
import { tableCommands } from "../../src/app/chat-commands.ts";
import { Bot } from "../../src/bot/bot.ts";
import { Conversation } from "../../src/bot/conversation.ts";
import { renderText } from "../../src/bot/render-text.ts";
import { ACCOUNT, activityLogPage, armError, armHandler, deploymentResource, deploymentsPage, diagnosticSettingResource, diagnosticSettingsPage, ok } from "../fakes/arm-resources.ts";
import { FakeAzureMonitor, fakeCredential, type FakeReply } from "../fakes/azure-monitor.ts";
import { FakeLogAnalytics, tableBody, type LogsReply } from "../fakes/log-analytics.ts";

const NOW = new Date("2026-12-01T15:00:00Z");
const WORKSPACE = "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/law-prod";
const NAMES = ["AzureOpenAIRequests", "AzureOpenAITimeToResponse", "TokenTransaction"];

let arm: FakeAzureMonitor;
let logAnalytics: FakeLogAnalytics;
let settings: FakeReply;
let logs: LogsReply;

beforeEach(async () => {
  arm = await new FakeAzureMonitor().start();
  logAnalytics = await new FakeLogAnalytics().start();
  settings = ok(diagnosticSettingsPage([diagnosticSettingResource({ name: "to-law", workspaceId: WORKSPACE, logs: ["RequestResponse", "Audit", "Trace"] })]));
  logs = { status: 200, body: tableBody([{ name: "deployment", type: "string" }, { name: "streamType", type: "string" }, { name: "calls", type: "long" }, { name: "p95_ms", type: "real" }], [["gpt-4o", "Streaming", 120, 5400.5]]) };
  const routes = armHandler({
    "diagnosticSettings.list": () => settings,
    "activityLogs.list": () => ok(activityLogPage([])),
    "deployments.list": () => ok(deploymentsPage([deploymentResource({ name: "gpt-4o", sku: "GlobalStandard", capacity: 150, model: "gpt-4o", rpm: 900, tpm: 150_000 })])),
  });
  arm.handler = (req, n) => {
    if (req.path.endsWith("/providers/Microsoft.Insights/metricDefinitions")) return ok({ value: NAMES.map((name) => ({ id: `${ACCOUNT}/providers/microsoft.insights/metricdefinitions/${name}`, resourceId: ACCOUNT, namespace: "Microsoft.CognitiveServices/accounts", name: { value: name, localizedValue: name }, unit: "Count", primaryAggregationType: "Total", dimensions: [] })) });
    // the deployments the resource reports (resultType=Metadata): one, gpt-4o
    if (req.path.endsWith("/providers/Microsoft.Insights/metrics")) return ok({ timespan: req.query.timespan ?? "", interval: "PT1M", value: [{ id: `${ACCOUNT}/providers/Microsoft.Insights/metrics/AzureOpenAIRequests`, type: "Microsoft.Insights/metrics", name: { value: "AzureOpenAIRequests", localizedValue: "Azure OpenAI Requests" }, unit: "Count", timeseries: [{ metadatavalues: [{ name: { value: "modeldeploymentname", localizedValue: "ModelDeploymentName" }, value: "gpt-4o" }, { name: { value: "modelname", localizedValue: "ModelName" }, value: "gpt-4o" }], data: [] }] }] });
    return routes(req, n);
  };
  logAnalytics.handler = () => logs;
});
afterEach(async () => {
  await arm.close();
  await logAnalytics.close();
});

async function say(text: string): Promise<string> {
  const config = { ...loadConfig({ env: { AOAI_RESOURCE_IDS: ACCOUNT }, cwd: "/nonexistent" }) };
  const source = createQuerySource(config, { source: "azure", now: NOW, credential: fakeCredential, httpClient: arm.httpClient(), logsHttpClient: logAnalytics.httpClient() });
  const bot = new Bot(source.service, undefined, { verdict: config.verdict, tables: source.tables });
  return renderText(await new Conversation(bot, tableCommands(bot, config)).say(text, { platform: "console" }));
}

describe("log questions and their prerequisites", () => {
  it("answers from the workspace the diagnostic setting sends RequestResponse to", async () => {
    const text = await say("p95 latency for gpt-4o last 24h");
    expect(text).toMatch(/gpt-4o\s+Streaming\s+120\s+5,40[01](\.5)? ms/);
    expect(text).toContain("law-prod");
    expect(logAnalytics.requests[0]?.path).toContain("/workspaces/law-prod/query");
  });

  it("without a diagnostic setting, says no workspace receives the logs and shows doctor's table with the setting to create and its cost", async () => {
    settings = ok(diagnosticSettingsPage([]));
    const text = await say("p95 latency for gpt-4o last 24h");
    expect(text).toContain("a prerequisite is missing");
    expect(text).toContain("`doctor` checked what this bot needs");
    expect(text).toMatch(/Diagnostic setting\s+❌/);
    expect(text).toContain("az monitor diagnostic-settings create");
    expect(text).toMatch(/billed per GB/);
    expect(logAnalytics.requests).toHaveLength(0);
  });

  it("when the workspace refuses the bot, names the role to assign on the workspace", async () => {
    logs = { status: 403, body: { error: { code: "InsufficientAccessError", message: "The provided credentials have insufficient access to perform the requested operation" } } };
    const text = await say("last 10 failed requests for gpt-4o");
    expect(text).toContain("Log Analytics Reader");
    expect(text).toMatch(/Workspace queryable\s+❌/);
  });

  it("a question that fails for another reason is not answered with doctor", async () => {
    logs = { status: 400, body: { error: { code: "BadArgumentError", message: "The request had some invalid properties", innererror: { code: "SemanticError", message: "A semantic error occurred.", innererror: { code: "SEM0100", message: "Failed to resolve table or column expression named 'x'" } } } } };
    const text = await say("top callers today");
    expect(text).not.toContain("`doctor` checked");
    expect(text).toContain("⚠️");
  });
});

describe("activity and quota on loopback Azure", () => {
  it("quota shows the deployment's limits from Deployments - List; a refused read names the role", async () => {
    expect(await say("quota for gpt-4o")).toContain("150,000");
    arm.handler = (req) => (req.path.includes("/deployments") && !req.path.includes("metrics") ? armError(403, "AuthorizationFailed", "The client does not have authorization to perform action 'Microsoft.CognitiveServices/accounts/deployments/read'.") : ok({ value: [] }));
    const refused = await say("quota");
    expect(refused).toContain("⚠️");
    expect(refused).toMatch(/Reader/);
  });
});

