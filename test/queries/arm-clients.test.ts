import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ArmActivityLog, ArmDeployments, ArmDiagnosticSettings } from "../../src/queries/arm-clients.ts";
import { ArmThrottledError } from "../../src/queries/arm-errors.ts";
import { AzureAccessDeniedError, AzureRequestError, AzureTimeoutError, type UserError } from "../../src/queries/errors.ts";
import { ACCOUNT, activityLogPage, ARM_API_VERSIONS, armError, armHandler, deploymentResource, deploymentsPage, diagnosticSettingResource, diagnosticSettingsPage, eventData, ok, writeEvents } from "../fakes/arm-resources.ts";
import { FakeAzureMonitor, fakeCredential } from "../fakes/azure-monitor.ts";

const SUB = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
const START = new Date("2026-12-01T00:00:00Z");
const END = new Date("2026-12-01T18:00:00Z");
const GPT4O = `${ACCOUNT}/deployments/gpt-4o`;
const NO_WAIT = { maxAttempts: 3, budgetMs: 3_000, baseDelayMs: 10 };

let fake: FakeAzureMonitor;
const options = (timeoutMs = 5_000) => ({ credential: fakeCredential, endpoint: "https://management.azure.com", httpClient: fake.httpClient(), retry: NO_WAIT, timeoutMs });

beforeEach(async () => {
  fake = await new FakeAzureMonitor().start();
});
afterEach(async () => {
  await fake.close();
});

async function failure(p: Promise<unknown>): Promise<UserError> {
  return (await p.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => e,
  )) as UserError;
}

describe("activity log through @azure/arm-monitor activityLogs.list", () => {
  it("reads the account's resource group for the window and keeps the account's and its deployments' changes", async () => {
    fake.handler = armHandler({
      "activityLogs.list": () =>
        ok(
          activityLogPage([
            ...writeEvents({ time: "2026-12-01T14:02:10Z", startedAt: "2026-12-01T14:01:58Z", operation: "Microsoft.CognitiveServices/accounts/deployments/write", resourceId: GPT4O, caller: "alice@contoso.com", requestBody: { sku: { name: "GlobalStandard", capacity: 150 }, properties: { model: { format: "OpenAI", name: "gpt-4o", version: "2024-11-20" } } } }),
            eventData({ time: "2026-12-01T09:30:00Z", operation: "Microsoft.CognitiveServices/accounts/regenerateKey/action", resourceId: ACCOUNT, status: "Succeeded", caller: "bob@contoso.com", requestBody: { keyName: "Key2" } }),
            // another resource in the same group, and a policy audit: not changes on this account
            eventData({ time: "2026-12-01T10:00:00Z", operation: "Microsoft.Storage/storageAccounts/write", resourceId: `/subscriptions/${SUB}/resourceGroups/rg-ai/providers/Microsoft.Storage/storageAccounts/logs`, status: "Succeeded" }),
            eventData({ time: "2026-12-01T11:00:00Z", operation: "Microsoft.Authorization/policies/audit/action", resourceId: ACCOUNT, status: "Succeeded", caller: "Azure Policy" }),
            // a sibling account whose name starts the same way
            eventData({ time: "2026-12-01T12:00:00Z", operation: "Microsoft.CognitiveServices/accounts/write", resourceId: `${ACCOUNT}-dev`, status: "Succeeded" }),
          ]),
        ),
    });
    const events = await new ArmActivityLog(options()).events(ACCOUNT, START, END);

    const sent = fake.requests[0]!;
    expect(sent.method).toBe("GET");
    expect(sent.path).toBe(`/subscriptions/${SUB}/providers/Microsoft.Insights/eventtypes/management/values`);
    expect(sent.query).toEqual({ "api-version": ARM_API_VERSIONS.activityLogs, $filter: "eventTimestamp ge '2026-12-01T00:00:00Z' and eventTimestamp le '2026-12-01T18:00:00Z' and resourceGroupName eq 'rg-ai'" });
    expect(sent.headers.authorization).toBe("Bearer fake-token");
    expect(events).toEqual([
      { time: "2026-12-01T09:30:00Z", operation: "Microsoft.CognitiveServices/accounts/regenerateKey/action", label: "keys regenerated", status: "Succeeded", caller: "bob@contoso.com", resourceId: ACCOUNT, correlationId: expect.any(String) as unknown, detail: "Key2" },
      { time: "2026-12-01T14:02:10Z", operation: "Microsoft.CognitiveServices/accounts/deployments/write", label: "deployment updated", status: "Succeeded", caller: "alice@contoso.com", resourceId: GPT4O, deployment: "gpt-4o", correlationId: expect.any(String) as unknown, detail: "capacity 150" },
    ]);
  });

  it("asks for the account alone with scope 'resource': resourceUri eq the account id", async () => {
    fake.handler = () => ok(activityLogPage([]));
    const reader = new ArmActivityLog({ ...options(), scope: "resource" });
    await reader.events(ACCOUNT, START, END);
    const filter = `eventTimestamp ge '2026-12-01T00:00:00Z' and eventTimestamp le '2026-12-01T18:00:00Z' and resourceUri eq '${ACCOUNT}'`;
    expect(fake.requests[0]!.query.$filter).toBe(filter);
    expect(reader.request(ACCOUNT, START, END)).toEqual({ api: "arm", operation: "activityLogs.list", scope: `/subscriptions/${SUB}`, filter });
  });

  it("follows nextLink pages until there is none, and says capacity and model-version changes as from → to", async () => {
    const next = `https://management.azure.com/subscriptions/${SUB}/providers/Microsoft.Insights/eventtypes/management/values?api-version=2015-04-01&$filter=x&$skiptoken=page2`;
    const write = (time: string, capacity: number, version: string) => writeEvents({ time, operation: "Microsoft.CognitiveServices/accounts/deployments/write", resourceId: GPT4O, requestBody: { sku: { name: "GlobalStandard", capacity }, properties: { model: { name: "gpt-4o", version } } } });
    fake.handler = armHandler({ "activityLogs.list": (req) => (req.query.$skiptoken === "page2" ? ok(activityLogPage(write("2026-12-01T10:05:00Z", 150, "2024-11-20"))) : ok(activityLogPage(write("2026-12-01T08:00:00Z", 100, "2024-08-06"), next))) });
    const events = await new ArmActivityLog(options()).events(ACCOUNT, START, END);
    expect(fake.requests.map((r) => r.query.$skiptoken ?? "first")).toEqual(["first", "page2"]);
    expect(events.map((e) => [e.time, e.detail])).toEqual([
      ["2026-12-01T08:00:00Z", "capacity 100"],
      ["2026-12-01T10:05:00Z", "capacity 100 → 150; model version 2024-08-06 → 2024-11-20"],
    ]);
  });

  it("tells created from updated by the final record's status code, and keeps a failed attempt as failed", async () => {
    fake.handler = () =>
      ok(
        activityLogPage([
          ...writeEvents({ time: "2026-12-01T08:00:00Z", operation: "Microsoft.CognitiveServices/accounts/deployments/write", resourceId: `${ACCOUNT}/deployments/gpt-4o-mini`, statusCode: "Created", requestBody: { sku: { name: "GlobalStandard", capacity: 100 }, properties: { model: { name: "gpt-4o-mini", version: "2024-07-18" } } } }),
          ...writeEvents({ time: "2026-12-01T09:00:00Z", operation: "Microsoft.CognitiveServices/accounts/deployments/delete", resourceId: `${ACCOUNT}/deployments/old`, final: "Failed", statusCode: "Conflict", caller: "carol@contoso.com" }),
          eventData({ time: "2026-12-01T10:00:00Z", operation: "Microsoft.Insights/diagnosticSettings/write", resourceId: `${ACCOUNT}/providers/microsoft.insights/diagnosticSettings/to-law`, status: "Succeeded", statusCode: "OK", requestBody: { properties: { workspaceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law-prod", logs: [{ category: "RequestResponse", enabled: true }, { category: "Trace", enabled: false }] } } }),
          eventData({ time: "2026-12-01T11:00:00Z", operation: "Microsoft.CognitiveServices/accounts/write", resourceId: ACCOUNT, status: "Succeeded", statusCode: "OK", requestBody: { properties: { publicNetworkAccess: "Disabled", networkAcls: { defaultAction: "Deny", ipRules: [{ value: "203.0.113.0/24" }], virtualNetworkRules: [] } } } }),
          eventData({ time: "2026-12-01T12:00:00Z", operation: "Microsoft.CognitiveServices/accounts/someNewThing/action", resourceId: ACCOUNT, status: "Succeeded" }),
          // an id Resource Manager logged in capitals: the response body spells the name
          ...writeEvents({ time: "2026-12-01T13:00:00Z", operation: "Microsoft.CognitiveServices/accounts/deployments/write", resourceId: `${ACCOUNT}/deployments/Gpt4o-Eval`.toUpperCase(), responseBody: { name: "Gpt4o-Eval", sku: { name: "Standard", capacity: 5 } } }),
        ]),
      );
    const events = await new ArmActivityLog(options()).events(ACCOUNT, START, END);
    expect(events.map((e) => [e.label, e.status, e.deployment ?? null, e.detail ?? null])).toEqual([
      ["deployment created", "Succeeded", "gpt-4o-mini", "capacity 100; model gpt-4o-mini 2024-07-18"],
      ["deployment deleted", "Failed", "old", null],
      ["diagnostic setting changed", "Succeeded", null, '"to-law" to workspace law-prod logs: RequestResponse'],
      ["account settings changed", "Succeeded", null, "public network access Disabled; network rules: default Deny, 1 IP rule, 0 virtual network rules"],
      // an operation the table does not know is kept under its own name
      ["Microsoft.CognitiveServices/accounts/someNewThing/action", "Succeeded", null, null],
      ["deployment updated", "Succeeded", "Gpt4o-Eval", "capacity 5"],
    ]);
  });

  it("turns 403 into the role to assign and on which scope", async () => {
    fake.handler = () => armError(403, "AuthorizationFailed", "The client 'bot' does not have authorization to perform action 'Microsoft.Insights/eventtypes/values/read'");
    const err = await failure(new ArmActivityLog(options()).events(ACCOUNT, START, END));
    expect(err).toBeInstanceOf(AzureAccessDeniedError);
    expect(err.message).toBe(`The bot's Azure identity is not allowed to read the activity log of ${ACCOUNT} (request id req-1).`);
    expect(err.hint).toContain(`"Monitoring Reader" (or "Reader") on the resource group /subscriptions/${SUB}/resourceGroups/rg-ai or the subscription /subscriptions/${SUB}`);
    expect(err.hint).toContain("AuthorizationFailed");
    const narrow = await failure(new ArmActivityLog({ ...options(), scope: "resource" }).events(ACCOUNT, START, END));
    expect(narrow.hint).toContain(`on the account ${ACCOUNT} or the subscription /subscriptions/${SUB}`);
  });

  it("says which subscription does not exist on a 404", async () => {
    fake.handler = () => armError(404, "SubscriptionNotFound", `The subscription '${SUB}' could not be found.`);
    const err = await failure(new ArmActivityLog(options()).events(ACCOUNT, START, END));
    expect(err).toBeInstanceOf(AzureRequestError);
    expect(err.message).toBe(`Azure says /subscriptions/${SUB} does not exist, so it has no activity log to read (request id req-1).`);
  });

  it("retries a 429 after its Retry-After, and says how long to wait when the wait would outlast the budget", async () => {
    fake.handler = (_req, n) => (n === 1 ? armError(429, "TooManyRequests", "slow down", { "retry-after": "1" }) : ok(activityLogPage([])));
    await expect(new ArmActivityLog(options()).events(ACCOUNT, START, END)).resolves.toEqual([]);
    expect(fake.requests).toHaveLength(2);

    fake.handler = () => armError(429, "TooManyRequests", "slow down", { "retry-after": "17" });
    const before = fake.requests.length;
    const err = await failure(new ArmActivityLog(options()).events(ACCOUNT, START, END));
    expect(err).toBeInstanceOf(ArmThrottledError);
    expect(err.message).toBe(`Azure Resource Manager is throttling the bot's reads of the activity log of ${ACCOUNT}, try again in 17 s.`);
    expect(fake.requests.length - before).toBe(1);
  });

  it("gives up on a page that does not come within the timeout, a later page too", async () => {
    const next = `https://management.azure.com/subscriptions/${SUB}/providers/Microsoft.Insights/eventtypes/management/values?api-version=2015-04-01&$skiptoken=slow`;
    fake.handler = (req) => (req.query.$skiptoken === "slow" ? { ...ok(activityLogPage([])), delayMs: 2_000 } : ok(activityLogPage([], next)));
    const err = await failure(new ArmActivityLog(options(300)).events(ACCOUNT, START, END));
    expect(err).toBeInstanceOf(AzureTimeoutError);
    expect(err.message).toBe(`Azure Resource Manager did not hand over the activity log of ${ACCOUNT} within 300 ms.`);
  });
});

describe("deployments through @azure/arm-cognitiveservices deployments.list", () => {
  it("reads sku, capacity, per-minute rate limits and the spillover target, every page", async () => {
    const next = `https://management.azure.com${ACCOUNT}/deployments?api-version=2025-09-01&$skiptoken=2`;
    fake.handler = armHandler({
      "deployments.list": (req) =>
        req.query.$skiptoken === "2"
          ? ok(deploymentsPage([deploymentResource({ name: "gpt-4o-ptu", sku: "GlobalProvisionedManaged", capacity: 50, model: "gpt-4o", spillover: "gpt-4o" })]))
          : ok(deploymentsPage([deploymentResource({ name: "gpt-4o", sku: "GlobalStandard", capacity: 150, model: "gpt-4o", rpm: 900, tpm: 150_000 }), deploymentResource({ name: "embed", sku: "Standard", capacity: 20, model: "text-embedding-3-small" })], next)),
    });
    const list = await new ArmDeployments(options()).list(ACCOUNT);

    expect(fake.requests[0]!.path).toBe(`${ACCOUNT}/deployments`);
    expect(fake.requests[0]!.query).toEqual({ "api-version": ARM_API_VERSIONS.deployments });
    expect(fake.requests[0]!.headers.authorization).toBe("Bearer fake-token");
    expect(fake.requests).toHaveLength(2);
    expect(list).toEqual([
      { name: "gpt-4o", model: "gpt-4o", modelVersion: "2024-11-20", sku: "GlobalStandard", capacity: 150, tokensPerMinute: 150_000, requestsPerMinute: 900, provisioned: false },
      { name: "embed", model: "text-embedding-3-small", modelVersion: "2024-11-20", sku: "Standard", capacity: 20, provisioned: false },
      { name: "gpt-4o-ptu", model: "gpt-4o", modelVersion: "2024-11-20", sku: "GlobalProvisionedManaged", capacity: 50, provisioned: true, spilloverDeploymentName: "gpt-4o" },
    ]);
  });

  it("turns 403 into Reader on the account, and says Cognitive Services Usages Reader is not enough", async () => {
    fake.handler = () => armError(403, "AuthorizationFailed", "does not have authorization to perform action 'Microsoft.CognitiveServices/accounts/deployments/read'");
    const err = await failure(new ArmDeployments(options()).list(ACCOUNT));
    expect(err).toBeInstanceOf(AzureAccessDeniedError);
    expect(err.message).toBe(`The bot's Azure identity is not allowed to read the deployments of ${ACCOUNT} (request id req-1).`);
    expect(err.hint).toContain(`Assign it "Reader" on the account ${ACCOUNT}`);
    expect(err.hint).toContain('"Cognitive Services Usages Reader" is not enough');
  });

  it("says the account does not exist on a 404, and throttling with Resource Manager's wait", async () => {
    fake.handler = () => armError(404, "ResourceNotFound", "The Resource 'Microsoft.CognitiveServices/accounts/aoai-prod' under resource group 'rg-ai' was not found.");
    const missing = await failure(new ArmDeployments(options()).list(ACCOUNT));
    expect(missing.message).toBe(`Azure says ${ACCOUNT} does not exist, so it has no deployments to read (request id req-1).`);
    expect(missing.hint).toContain("AOAI_RESOURCE_IDS");

    fake.handler = () => armError(429, "TooManyRequests", "Number of read requests for subscription exceeded the limit", { "retry-after": "40" });
    const throttled = await failure(new ArmDeployments(options()).list(ACCOUNT));
    expect(throttled.message).toBe(`Azure Resource Manager is throttling the bot's reads of the deployments of ${ACCOUNT}, try again in 40 s.`);
  });

  it("refuses an id that is not an account before sending anything", async () => {
    const err = await failure(new ArmDeployments(options()).list("/subscriptions/x/resourceGroups/rg"));
    expect(err).toBeInstanceOf(AzureRequestError);
    expect(err.message).toBe('"/subscriptions/x/resourceGroups/rg" is not an Azure OpenAI account id.');
    expect(fake.requests).toHaveLength(0);
  });
});

describe("diagnostic settings through @azure/arm-monitor diagnosticSettings.list", () => {
  it("reads where each setting sends logs, which categories (or groups) are on, and whether metrics are", async () => {
    const law = "/subscriptions/s/resourceGroups/rg-ops/providers/Microsoft.OperationalInsights/workspaces/law-prod";
    fake.handler = armHandler({
      "diagnosticSettings.list": () => ok(diagnosticSettingsPage([diagnosticSettingResource({ name: "to-law", workspaceId: law, logs: ["Audit", "RequestResponse"], disabled: ["Trace"], metrics: true }), diagnosticSettingResource({ name: "archive", logs: ["allLogs"] })])),
    });
    const settings = await new ArmDiagnosticSettings(options()).list(ACCOUNT);
    expect(fake.requests[0]!.path).toBe(`${ACCOUNT}/providers/Microsoft.Insights/diagnosticSettings`);
    expect(fake.requests[0]!.query).toEqual({ "api-version": ARM_API_VERSIONS.diagnosticSettings });
    expect(settings).toEqual([
      { name: "to-law", workspaceResourceId: law, logs: [{ category: "Audit", enabled: true }, { category: "RequestResponse", enabled: true }, { category: "Trace", enabled: false }], metricsEnabled: true },
      { name: "archive", logs: [{ category: "allLogs", enabled: true }], metricsEnabled: false },
    ]);
  });

  it("turns 403 into Monitoring Reader on the account", async () => {
    fake.handler = () => armError(403, "AuthorizationFailed", "no");
    const err = await failure(new ArmDiagnosticSettings(options()).list(ACCOUNT));
    expect(err).toBeInstanceOf(AzureAccessDeniedError);
    expect(err.hint).toContain(`"Monitoring Reader" (or "Reader") on the account ${ACCOUNT}`);
  });
});
