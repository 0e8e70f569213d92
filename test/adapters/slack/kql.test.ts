// Raw `kql` through the real bot process on Slack, against a real-shaped Azure: the mention and the
// slash command as Slack sends them, the query as Log Analytics receives it (real LogsQueryClient on
// a loopback query API; the workspace found from the resource's diagnostic setting), and what the
// person sees: a table block of the first kql.maxRows rows, the whole result as a CSV file in the
// same thread, a partial result, a refusal, and the role to assign when the workspace refuses the bot.
import { mkdtempSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startBotProcess, type BotProcess } from "../../../src/app/bot-process.ts";
import { loadConfig } from "../../../src/app/config.ts";
import { fakeCredential } from "../../fakes/azure-monitor.ts";
import type { RecordedLogsRequest } from "../../fakes/log-analytics.ts";
import { FakeSlackApi, type ChannelMessage } from "../../fakes/slack-api.ts";
import { eventCallback, sendSigned, SIGNING_SECRET, slashCommand } from "../../fakes/slack-request.ts";
import { visibleText } from "../../scenarios/visible-text.ts";
import { captureLogger } from "../../support/capture-logger.ts";
import { ACCOUNT, FORMULA, INSUFFICIENT_ACCESS, PARTIAL_ERROR, PROPERTIES, RESULT_COLUMNS, resultBody, startKqlWorld, STATISTICS, WORKSPACE, type KqlWorld } from "../kql-world.ts";

const NOW = new Date("2026-11-29T10:00:00Z");
const ALLOWED = "UKQL1";
const STRANGER = "UNOPE";

let slack: FakeSlackApi;
let world: KqlWorld;
let proc: BotProcess;
let events = "";
let channel = 0;
let here = "";
let ts = 1764410000;
const log = captureLogger();

beforeAll(async () => {
  slack = await new FakeSlackApi().start();
  world = await startKqlWorld();
  const base = loadConfig({ env: {}, cwd: "/nonexistent" });
  const env = { SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slack.url}/api/`, AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-kql-")), "s.sqlite") };
  proc = await startBotProcess(
    { ...base, port: 0, resourceIds: [ACCOUNT], kql: { ...base.kql, allowedUsers: [ALLOWED] } },
    { env, host: "127.0.0.1", source: "azure", now: NOW, credential: fakeCredential, httpClient: world.arm.httpClient(), logsHttpClient: world.logAnalytics.httpClient(), runSchedules: false, logger: log.logger },
  );
  events = `http://127.0.0.1:${proc.server.port}/slack/events`;
});
afterAll(async () => {
  await proc.stop();
  await world.close();
  await slack.close();
});
beforeEach(() => {
  here = `C0KQL${String(++channel).padStart(3, "0")}`;
  world.logs = { status: 200, body: resultBody(60) };
  world.logAnalytics.requests.length = 0;
});

/** Mentions the bot in a fresh channel and waits for the answer in the mention's thread (past any "Working on…"). */
async function mention(user: string, text: string): Promise<{ answer: ChannelMessage; thread: string }> {
  const thread = `${String(++ts)}.000100`;
  const res = await sendSigned(events, eventCallback({ type: "app_mention", user, text: `<@UBOT> ${text}`, ts: thread, channel: here, event_ts: thread }));
  expect(res.status).toBe(200);
  const answer = await slack.waitFor(() => slack.messages(here).find((m) => m.threadTs === thread && !visibleText(m.blocks).includes("Working on")));
  return { answer, thread };
}

/** Log Analytics queries other than doctor's one-row probe. */
const queriesSent = (): RecordedLogsRequest[] => world.logAnalytics.requests.filter((r) => !/\|\s*take 1\s*$/.test(r.body.query ?? ""));

interface SlackCell {
  readonly type: string;
  readonly text?: string;
  readonly fallback?: string;
  readonly elements?: readonly SlackCell[];
}

/** The table block's rows as a reader sees them (a date element as its UTC fallback). */
function tableRows(blocks: unknown): string[][] {
  const block = (blocks as { type: string; rows?: SlackCell[][] }[]).find((b) => b.type === "table");
  const text = (c: SlackCell): string => (c.type === "date" ? (c.fallback ?? "") : (c.text ?? c.elements?.map(text).join("") ?? ""));
  return (block?.rows ?? []).map((r) => r.map(text));
}

const filesIn = (c: string) => slack.sharedFiles().filter((f) => f.channel === c);
const HEADER = RESULT_COLUMNS.map((c) => c.name);

describe("kql from an allowed user, mentioned in a channel", () => {
  it("sends exactly the fenced query to the workspace the diagnostic setting names, with a server timeout and statistics", async () => {
    await mention(ALLOWED, "kql ```AzureDiagnostics | take 60```");
    const [sent, ...others] = queriesSent();
    expect(others).toEqual([]);
    expect(sent?.method).toBe("POST");
    expect(sent?.target).toEqual({ kind: "resource", id: WORKSPACE });
    expect(sent?.body.query).toBe("AzureDiagnostics | take 60");
    // the last 24 hours unless --window says otherwise
    expect(sent?.body.timespan).toBe("2026-11-28T10:00:00.000Z/2026-11-29T10:00:00.000Z");
    expect(sent?.prefer).toBe("wait=60,include-statistics=true");
    expect(sent?.headers.authorization).toBe("Bearer fake-token");
    // raw queries read whatever the workspace holds: who ran which is logged
    expect(log.entries().filter((e) => e.msg === "raw kql asked").at(-1)).toMatchObject({ platform: "slack", user: ALLOWED, query: "AzureDiagnostics | take 60" });
  });

  it("answers with a button opening the same query, workspace and time range in Log Analytics", async () => {
    const { answer } = await mention(ALLOWED, "kql ```AzureDiagnostics | take 60```");
    const buttons = (answer.blocks as { type: string; elements?: { url?: string; text?: { text: string } }[] }[]).flatMap((b) => (b.type === "actions" ? (b.elements ?? []) : []));
    const link = buttons.find((e) => e.url !== undefined);
    expect(link?.text?.text).toBe("Open in Log Analytics");
    const m = /^https:\/\/portal\.azure\.com\/#blade\/Microsoft_OperationsManagementSuite_Workspace\/Logs\.ReactView\/resourceId\/([^/]+)\/source\/LogsBlade\.AnalyticsShareLinkToQuery\/q\/([^/]+)\/timespan\/([^/]+)$/.exec(link?.url ?? "");
    expect(decodeURIComponent(m?.[1] ?? "")).toBe(WORKSPACE);
    expect(gunzipSync(Buffer.from(decodeURIComponent(decodeURIComponent(m?.[2] ?? "")), "base64")).toString("utf8")).toBe("AzureDiagnostics | take 60");
    expect(decodeURIComponent(m?.[3] ?? "")).toBe(queriesSent()[0]?.body.timespan);
  });

  it("takes Slack's &lt; &gt; &amp; off a multi-line ```kql block before sending it", async () => {
    await mention(ALLOWED, '```kql\nAzureDiagnostics\n| where DurationMs &gt; 1000 and OperationName !has "&lt;redacted&gt;"\n| extend k = strcat(Category, "&amp;", ResultSignature)\n| take 60\n```'.replace(/^/, "kql "));
    expect(queriesSent().map((r) => r.body.query)).toEqual(['AzureDiagnostics\n| where DurationMs > 1000 and OperationName !has "<redacted>"\n| extend k = strcat(Category, "&", ResultSignature)\n| take 60']);
  });

  it("posts a table block of the first 50 rows, saying 10 more, with the query's statistics and source", async () => {
    const { answer, thread } = await mention(ALLOWED, "kql ```AzureDiagnostics | take 60```");
    expect(answer.threadTs).toBe(thread);
    const rows = tableRows(answer.blocks);
    expect(rows[0]).toEqual(HEADER);
    expect(rows).toHaveLength(51);
    expect(rows[1]).toEqual(["2026-11-29T09:00:07.123Z", "ChatCompletions_Create", "100 ms", "200", "00000000-0000-4000-8000-000000000000", FORMULA]);
    expect(rows[4]?.[3]).toBe("429");
    // no duration is "no data", never 0
    expect(rows[6]?.[2]).toBe("no data");
    expect(rows[50]?.[0]).toBe("2026-11-29T09:49:07.123Z");
    expect(JSON.stringify(answer.blocks)).not.toContain("2026-11-29T09:50:07");

    const seen = visibleText(answer.blocks);
    expect(seen).toContain("… and 10 more rows");
    expect(seen).toContain("Understood: raw KQL");
    expect(seen).toContain("Query statistics: 12 ms, 123,456 rows scanned");
    expect(seen).toContain(`workspace ${WORKSPACE} · KQL AzureDiagnostics | take 60 · timespan 2026-11-28T10:00:00Z/2026-11-29T10:00:00Z`);
    expect(seen).not.toContain("⚠️");
  });

  it("uploads all 60 rows as CSV into the same thread, formulas neutralised, quoting as RFC 4180 has it", async () => {
    const { thread } = await mention(ALLOWED, "kql ```AzureDiagnostics | take 60```");
    const file = await slack.waitFor(() => filesIn(here)[0]);
    expect(filesIn(here)).toHaveLength(1);
    expect(file).toMatchObject({ filename: "kql-result.csv", title: "kql result (60 rows)", threadTs: thread, completed: true });
    const csv = file.bytes?.toString("utf8") ?? "";
    expect(file.length).toBe(Buffer.byteLength(csv));
    expect(csv.endsWith("\r\n")).toBe(true);
    const lines = csv.slice(0, -2).split("\r\n");
    expect(lines).toHaveLength(61);
    expect(lines[0]).toBe("TimeGenerated,OperationName,DurationMs,ResultSignature,CorrelationId,properties_s");
    // a spreadsheet would run "=cmd|…" as a formula: it starts with an apostrophe
    expect(lines[1]).toBe("2026-11-29T09:00:07.123Z,ChatCompletions_Create,100,200,00000000-0000-4000-8000-000000000000,'=cmd|' /C calc'!A0");
    expect(lines[2]).toBe(`2026-11-29T09:01:07.123Z,ChatCompletions_Create,110,200,00000000-0000-4000-8000-000000000001,"${PROPERTIES.replace(/"/g, '""')}"`);
    expect(lines[4]).toContain(",130,429,");
    // no duration is an empty field, not 0
    expect(lines[6]).toBe(`2026-11-29T09:05:07.123Z,ChatCompletions_Create,,200,00000000-0000-4000-8000-000000000005,"${PROPERTIES.replace(/"/g, '""')}"`);
    // the rows the message leaves out are in the file
    expect(lines[60]).toMatch(/^2026-11-29T09:59:07\.123Z,ChatCompletions_Create,690,200,00000000-0000-4000-8000-000000000059,/);
    // the answer and the file, nothing else (no "couldn't attach" line)
    expect(slack.messages(here)).toHaveLength(1);
  });

  it("a PartialError inside a 200 shows the rows that came and a Partial result line with the reason", async () => {
    world.logs = { status: 200, body: resultBody(60, { statistics: STATISTICS, error: PARTIAL_ERROR }) };
    const { answer } = await mention(ALLOWED, "kql ```AzureDiagnostics | take 60```");
    expect(tableRows(answer.blocks)).toHaveLength(51);
    expect(visibleText(answer.blocks)).toContain("⚠️ Partial result: There were some errors when processing your query: Query result set has exceeded the internal data size limit 64000000");
    const file = await slack.waitFor(() => filesIn(here)[0]);
    expect(file.title).toBe("kql result (60 rows)");
  });

  it("a workspace that refuses the bot: the role to assign on which workspace, and doctor's table", async () => {
    world.logs = INSUFFICIENT_ACCESS;
    const { answer } = await mention(ALLOWED, "kql ```AzureDiagnostics | take 60```");
    const seen = visibleText(answer.blocks);
    expect(seen).toContain(`The bot's Azure identity is not allowed to query the Log Analytics workspace ${WORKSPACE}.`);
    expect(seen).toContain(`"Log Analytics Reader" role on ${WORKSPACE}`);
    expect(seen).toContain('"Log Analytics Data Reader"');
    expect(seen).toContain("`doctor` checked what this bot needs:");
    const doctor = tableRows(answer.blocks);
    expect(doctor[0]).toEqual(["resource", "check", "status", "found", "fix"]);
    expect(doctor.find((r) => r[1] === "Workspace queryable")).toEqual(["aoai-prod", "Workspace queryable", "❌ fails", "Log Analytics refused the bot's identity on law-prod (HTTP 403).", 'Assign "Log Analytics Reader" on law-prod']);
    // what works is said to work: the setting is there, only the role is missing
    expect(doctor.find((r) => r[1] === "Diagnostic setting")?.[2]).toBe("✅ ok");
    expect(queriesSent().map((r) => r.body.query)).toEqual(["AzureDiagnostics | take 60"]);
    // no result, no file
    expect(filesIn(here)).toEqual([]);
  });

  it("a query Log Analytics rejects says so with the server's reason and that the KQL is to fix", async () => {
    world.logs = { status: 400, body: { error: { code: "BadArgumentError", message: "The request had some invalid properties", innererror: { code: "SemanticError", message: "A semantic error occurred.", innererror: { code: "SEM0100", message: "'take' operator: Failed to resolve table or column expression named 'AzureDiagnostic'" } } } } };
    const { answer } = await mention(ALLOWED, "kql ```AzureDiagnostic | take 60```");
    const seen = visibleText(answer.blocks);
    expect(seen).toContain("⚠️");
    expect(seen).toContain("Failed to resolve table or column expression named 'AzureDiagnostic'");
    expect(seen).toContain("Fix the KQL");
    expect(seen).not.toContain("`doctor` checked");
    expect(filesIn(here)).toEqual([]);
  });

  it("a 204 (no data for the window) says the query returned no rows, and uploads no empty file", async () => {
    world.logs = { status: 204 };
    const { answer } = await mention(ALLOWED, "kql ```AzureDiagnostics | take 60```");
    const seen = visibleText(answer.blocks);
    expect(seen).toMatch(/The query returned no rows in (the )?last 24 h\b/);
    expect(seen).toContain(`Log Analytics holds no data at all for the window in workspace ${WORKSPACE}`);
    expect(tableRows(answer.blocks)).toEqual([]);
    expect(filesIn(here)).toEqual([]);
  });
});

describe("kql from someone not in kql.allowedUsers", () => {
  it("is refused with how to be allowed, and no query reaches Log Analytics", async () => {
    const { answer } = await mention(STRANGER, "kql ```AzureDiagnostics | take 60```");
    const seen = visibleText(answer.blocks);
    expect(seen).toContain("Only the people listed in `kql.allowedUsers` may run raw KQL.");
    expect(seen).toContain(`adding \`slack:${STRANGER}\` to \`kql.allowedUsers\``);
    expect(tableRows(answer.blocks)).toEqual([]);
    expect(world.logAnalytics.requests).toEqual([]);
    expect(filesIn(here)).toEqual([]);
    expect(log.entries().filter((e) => e.msg === "raw kql asked" && e.user === STRANGER)).toEqual([]);
  });
});

describe("/aoai kql", () => {
  it("replies through response_url with the table and how to get the file, and uploads none", async () => {
    const filesBefore = slack.files.length;
    const hook = `/hooks/kql-${here}`;
    const res = await sendSigned(events, slashCommand("kql ```AzureDiagnostics | take 60```", { user_id: ALLOWED, channel_id: here, response_url: `${slack.url}${hook}` }));
    expect(res.status).toBe(200);
    const reply = await slack.waitFor(() => slack.responses.find((r) => r.path === hook), 10_000);
    expect(reply.body.response_type).toBe("ephemeral");
    const rows = tableRows(reply.body.blocks);
    expect(rows[0]).toEqual(HEADER);
    expect(rows).toHaveLength(51);
    const seen = visibleText(reply.body.blocks);
    expect(seen).toContain("… and 10 more rows");
    expect(seen).toContain("The full result (60 rows as CSV) is attached only to answers the bot posts itself: mention the bot in a channel or message it directly to get kql-result.csv.");
    expect(queriesSent().map((r) => r.body.query)).toEqual(["AzureDiagnostics | take 60"]);
    expect(slack.files.length).toBe(filesBefore);
    expect(slack.messages(here)).toEqual([]);
  });

  it("an empty result says so and promises no file", async () => {
    world.logs = { status: 200, body: resultBody(0) };
    const hook = `/hooks/kql-empty-${here}`;
    await sendSigned(events, slashCommand("kql AzureDiagnostics | where DurationMs > 1e9 | take 60", { user_id: ALLOWED, channel_id: here, response_url: `${slack.url}${hook}` }));
    const reply = await slack.waitFor(() => slack.responses.find((r) => r.path === hook), 10_000);
    const seen = visibleText(reply.body.blocks);
    expect(seen).toMatch(/The query returned no rows in (the )?last 24 h\b/);
    expect(seen).not.toContain("as CSV");
    expect(queriesSent().map((r) => r.body.query)).toEqual(["AzureDiagnostics | where DurationMs > 1e9 | take 60"]);
  });

  it("from someone not allowed, is refused the same way and sends no query", async () => {
    const hook = `/hooks/kql-refused-${here}`;
    await sendSigned(events, slashCommand("kql AzureDiagnostics | take 60", { user_id: STRANGER, channel_id: here, response_url: `${slack.url}${hook}` }));
    const reply = await slack.waitFor(() => slack.responses.find((r) => r.path === hook), 10_000);
    expect(visibleText(reply.body.blocks)).toContain("Only the people listed in `kql.allowedUsers` may run raw KQL.");
    expect(world.logAnalytics.requests).toEqual([]);
  });
});
