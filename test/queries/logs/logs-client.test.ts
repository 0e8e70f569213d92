// The real LogsQueryClient against a loopback Log Analytics query API: what is sent (path, body,
// Prefer header, token scope), how tables come back (typed columns, datetimes as ISO strings), and
// what a person is told for each failure the service documents (PartialError inside a 200, 204,
// BadArgumentError, 403, 429, 504) and for a server that never answers.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AzureAccessDeniedError } from "../../../src/queries/errors.ts";
import {
  LogsAccessDeniedError,
  LogsQueryRejectedError,
  LogsRequestError,
  LogsServerTimeoutError,
  LogsThrottledError,
  LogsTimeoutError,
  LogsUnreadableResponseError,
  LogsWorkspaceNotFoundError,
} from "../../../src/queries/logs/log-errors.ts";
import { AzureLogs } from "../../../src/queries/logs/logs-client.ts";
import type { LogsRequest } from "../../../src/queries/table-answer.ts";
import { fakeCredential } from "../../fakes/azure-monitor.ts";
import { FakeLogAnalytics, tableBody } from "../../fakes/log-analytics.ts";

const WORKSPACE = "b3c7a6c0-3f5e-4b52-9a2e-0c7d0e1f2a3b";
const WORKSPACE_ARM = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law-prod";
const request: LogsRequest = { api: "logs", workspace: WORKSPACE, query: "AzureDiagnostics | take 1", timespan: "2026-11-30T13:00:00Z/2026-11-30T14:00:00Z", serverTimeoutSeconds: 60 };

/** The example in Microsoft's "Azure Monitor Log Analytics API response format" page. */
const RESPONSE_FORMAT_EXAMPLE = tableBody(
  [{ name: "Category", type: "string" }, { name: "count_", type: "long" }],
  [["Administrative", 20839], ["Recommendation", 122], ["Alert", 64], ["ServiceHealth", 11]],
);

/** Recorded 400 (azure-sdk-for-js monitor-query-logs live tests: a query naming a column that doesn't exist). */
const BAD_ARGUMENT = {
  error: {
    message: "The request had some invalid properties",
    code: "BadArgumentError",
    correlationId: "0b48cfb2-81d6-4dd5-a082-714b0f97c369",
    innererror: {
      code: "SemanticError",
      message: "A semantic error occurred.",
      innererror: { code: "SEM0100", message: "'summarize' operator: Failed to resolve table or column expression named 'resource'" },
    },
  },
};

/** Statistics as Prefer: include-statistics=true returns them (statistics.query; executionTime in seconds). */
const STATISTICS = {
  query: {
    executionTime: 0.5937856,
    resourceUsage: { cache: { memory: { hits: 1, misses: 0, total: 1 } }, cpu: { user: "00:00:00.0156250", kernel: "00:00:00", totalCpu: "00:00:00.0156250" } },
    inputDatasetStatistics: { extents: { total: 1, scanned: 1 }, rows: { total: 36656, scanned: 36656 } },
    datasetStatistics: [{ tableRowCount: 4, tableSize: 114 }],
  },
};

let fake: FakeLogAnalytics;
const logs = (options: { timeoutMs?: number; endpoint?: string } = {}) => new AzureLogs({ credential: fakeCredential, httpClient: fake.httpClient(), ...options });
const failure = (req: LogsRequest = request, client = logs()) => client.query(req).then(() => undefined, (e: unknown) => e);

beforeEach(async () => {
  fake = await new FakeLogAnalytics().start();
});
afterEach(async () => {
  await fake.close();
});

describe("queries through LogsQueryClient", () => {
  it("POSTs the query and timespan to /v1/workspaces/{id}/query with a Log Analytics token, server timeout and statistics", async () => {
    fake.handler = () => ({ status: 200, body: RESPONSE_FORMAT_EXAMPLE });
    const out = await logs().query(request);

    const sent = fake.requests[0]!;
    expect(sent.method).toBe("POST");
    expect(sent.path).toBe(`/v1/workspaces/${WORKSPACE}/query`);
    expect(sent.body).toEqual({ query: "AzureDiagnostics | take 1", timespan: "2026-11-30T13:00:00.000Z/2026-11-30T14:00:00.000Z" });
    expect(sent.prefer).toBe("wait=60,include-statistics=true");
    expect(sent.headers.authorization).toBe("Bearer fake-token");
    expect(fakeCredential.scopes.at(-1)).toEqual(["https://api.loganalytics.io/.default"]);

    expect(out).toEqual({
      status: "complete",
      table: { columns: [{ name: "Category", type: "string" }, { name: "count_", type: "long" }], rows: [["Administrative", 20839], ["Recommendation", 122], ["Alert", 64], ["ServiceHealth", 11]] },
    });
  });

  it("queries a workspace named by its ARM id resource-centrically, /v1{resourceId}/query", async () => {
    fake.handler = () => ({ status: 200, body: RESPONSE_FORMAT_EXAMPLE });
    await logs().query({ ...request, workspace: WORKSPACE_ARM });
    expect(fake.requests[0]?.target).toEqual({ kind: "resource", id: WORKSPACE_ARM });
  });

  it("adds /v1 to an endpoint given without it, and asks a sovereign cloud's token for its own audience", async () => {
    fake.handler = () => ({ status: 200, body: RESPONSE_FORMAT_EXAMPLE });
    await logs({ endpoint: "https://api.loganalytics.us/" }).query(request);
    expect(fake.requests[0]?.path).toBe(`/v1/workspaces/${WORKSPACE}/query`);
    expect(fakeCredential.scopes.at(-1)).toEqual(["https://api.loganalytics.us/.default"]);
  });

  it("gives datetimes as ISO strings, dynamic values as JSON, nulls as null (never 0), and a short statistics line", async () => {
    fake.handler = () => ({
      status: 200,
      body: tableBody(
        [{ name: "TimeGenerated", type: "datetime" }, { name: "DurationMs", type: "real" }, { name: "props", type: "dynamic" }, { name: "ok", type: "bool" }, { name: "odd", type: "someNewType" }],
        [["2024-05-24T12:23:02.4350000Z", 1021, '{"streamType":"Non-Streaming"}', true, "x"], ["2024-05-24T12:24:00Z", null, null, false, null]],
        { statistics: STATISTICS },
      ),
    });
    const out = await logs().query(request);
    expect(out).toEqual({
      status: "complete",
      table: {
        columns: [{ name: "TimeGenerated", type: "datetime" }, { name: "DurationMs", type: "real" }, { name: "props", type: "dynamic" }, { name: "ok", type: "bool" }, { name: "odd", type: "string" }],
        rows: [["2024-05-24T12:23:02.435Z", 1021, '{"streamType":"Non-Streaming"}', true, "x"], ["2024-05-24T12:24:00.000Z", null, null, false, null]],
      },
      statistics: "594 ms, 36,656 rows scanned",
    });
  });

  it("a PartialError inside a 200 is a partial result: the rows, and the most specific reason", async () => {
    fake.handler = () => ({
      status: 200,
      body: tableBody([{ name: "deployment", type: "string" }, { name: "calls", type: "long" }], [["gpt-4o", 120]], {
        error: {
          code: "PartialError",
          message: "There were some errors when processing your query.",
          details: [{ code: "EngineError", message: "Something went wrong processing your query on the server.", innererror: { code: "E_QUERY_RESULT_SET_TOO_LARGE", message: "Query result set has exceeded the internal data size limit 64000000" } }],
        },
      }),
    });
    const out = await logs().query(request);
    expect(out).toEqual({
      status: "partial",
      table: { columns: [{ name: "deployment", type: "string" }, { name: "calls", type: "long" }], rows: [["gpt-4o", 120]] },
      error: "There were some errors when processing your query: Query result set has exceeded the internal data size limit 64000000",
    });
  });

  it("204 (the workspace has no data for the scope) is no-data, not an error and not zero rows", async () => {
    fake.handler = () => ({ status: 204 });
    expect(await logs().query(request)).toEqual({ status: "no-data" });
  });
});

describe("failures, as a person can act on them", () => {
  it("400 BadArgumentError: the server's innermost message, and for raw KQL that the query is to fix", async () => {
    fake.handler = () => ({ status: 400, body: BAD_ARGUMENT });
    const err = await failure();
    expect(err).toBeInstanceOf(LogsQueryRejectedError);
    expect((err as LogsQueryRejectedError).message).toBe(`Log Analytics refused the query: 'summarize' operator: Failed to resolve table or column expression named 'resource' (workspace ${WORKSPACE}, request id 0b48cfb2-81d6-4dd5-a082-714b0f97c369).`);
    expect((err as LogsQueryRejectedError).hint).toContain("Fix the KQL");

    const templated = await failure({ ...request, template: { id: "percentiles", params: {} } });
    expect((templated as LogsQueryRejectedError).hint).toContain('built-in "percentiles" query failed');
  });

  it("403: the role to assign (Log Analytics Reader, or Log Analytics Data Reader) on which workspace", async () => {
    fake.handler = () => ({ status: 403, body: { error: { code: "InsufficientAccessError", message: "The provided credentials have insufficient access to perform the requested operation" } } });
    const err = await failure();
    expect(err).toBeInstanceOf(LogsAccessDeniedError);
    expect((err as LogsAccessDeniedError).message).toBe(`The bot's Azure identity is not allowed to query the Log Analytics workspace ${WORKSPACE}.`);
    expect((err as LogsAccessDeniedError).hint).toContain(`"Log Analytics Reader" role on the workspace with id ${WORKSPACE}`);
    expect((err as LogsAccessDeniedError).hint).toContain('"Log Analytics Data Reader"');
    expect((err as LogsAccessDeniedError).hint).toContain("insufficient access");

    const arm = await failure({ ...request, workspace: WORKSPACE_ARM });
    expect((arm as LogsAccessDeniedError).hint).toContain(`"Log Analytics Reader" role on ${WORKSPACE_ARM}`);
  });

  it("403 with an empty {} body (the SDK throws a TypeError) is still the missing role", async () => {
    fake.handler = () => ({ status: 403, body: {} });
    expect(await failure()).toBeInstanceOf(LogsAccessDeniedError);
  });

  it("401: the credentials, not a role", async () => {
    fake.handler = () => ({ status: 401, body: { error: { code: "AuthenticationFailed", message: "Authentication failed." } } });
    const err = await failure();
    expect(err).toBeInstanceOf(AzureAccessDeniedError);
    expect((err as AzureAccessDeniedError).hint).toContain("AZURE_CLIENT_ID");
  });

  it("429: throttled, with Azure's Retry-After; also when the body is text (the SDK can't parse it)", async () => {
    fake.handler = () => ({ status: 429, headers: { "retry-after": "7" }, body: { error: { code: "TooManyRequests", message: "Too many requests." } } });
    const err = await failure();
    expect(err).toBeInstanceOf(LogsThrottledError);
    expect((err as LogsThrottledError).retryAfterSeconds).toBe(7);
    expect((err as LogsThrottledError).message).toBe("Log Analytics is throttling the bot's queries, try again in 7 s.");

    fake.handler = () => ({ status: 429, headers: { "retry-after": "12" }, body: "Rate limit is exceeded. Try again in 12 seconds." });
    expect(await failure()).toMatchObject({ code: "logs_throttled", retryAfterSeconds: 12 });
    fake.handler = () => ({ status: 429, headers: { "retry-after": "12", "content-type": "text/plain" }, body: "Too Many Requests" });
    expect(await failure()).toMatchObject({ code: "logs_throttled", retryAfterSeconds: 12 });
  });

  it("504 GatewayTimeout: the query ran past the server timeout the bot gave it", async () => {
    fake.handler = (req) => ({ status: 504, headers: { "preference-applied": req.prefer ?? "" }, body: { error: { code: "GatewayTimeout", message: "Gateway timeout" } } });
    const err = await failure({ ...request, serverTimeoutSeconds: 1 });
    expect(fake.requests[0]?.prefer).toBe("wait=1,include-statistics=true");
    expect(err).toBeInstanceOf(LogsServerTimeoutError);
    expect((err as LogsServerTimeoutError).message).toContain("ran past the 1 s Log Analytics was given");
    // tried once: another try would wait the whole server timeout again
    expect(fake.requests).toHaveLength(1);
  });

  it("a server that never answers: the bot's own timeout, quickly, with the request id to quote", async () => {
    fake.handler = () => ({ status: 200, hang: true });
    const started = Date.now();
    const err = await failure(request, logs({ timeoutMs: 300 }));
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(err).toBeInstanceOf(LogsTimeoutError);
    expect((err as LogsTimeoutError).message).toMatch(new RegExp(`^Log Analytics did not answer within 300 ms \\(workspace ${WORKSPACE}, request id [0-9a-f-]{36}\\)\\.$`));
    expect((err as LogsTimeoutError).message).toContain(String(fake.requests[0]?.headers["x-ms-client-request-id"]));
  });

  it("404: no such workspace, and where to fix the id", async () => {
    fake.handler = () => ({ status: 404, body: { error: { code: "WorkspaceNotFoundError", message: "The workspace could not be found" } } });
    const err = await failure();
    expect(err).toBeInstanceOf(LogsWorkspaceNotFoundError);
    expect((err as LogsWorkspaceNotFoundError).hint).toContain("AOAI_WORKSPACE_ID");
  });

  it("a 200 that is not the API's JSON is unreadable, not an empty table", async () => {
    fake.handler = () => ({ status: 200, body: "<html>proxy error</html>" });
    expect(await failure()).toBeInstanceOf(LogsUnreadableResponseError);
    fake.handler = () => ({ status: 200, body: "" });
    expect(await failure()).toBeInstanceOf(LogsUnreadableResponseError);
  });

  it("a 500 with an empty {} body (the SDK throws a TypeError) says the status and that it is Azure's side", async () => {
    fake.handler = () => ({ status: 500, body: {} });
    const err = await failure();
    expect(err).toBeInstanceOf(LogsRequestError);
    expect((err as LogsRequestError).message).toMatch(/^Log Analytics answered HTTP 500 \(workspace/);
    expect((err as LogsRequestError).hint).toContain("Azure's side");
  });
});
