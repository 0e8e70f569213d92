// The audit log through the real bot process, against a real-shaped Azure (loopback ARM and Log
// Analytics, the real SDK clients): every turn typed at the console or passed in from a chat place
// leaves one row — a question, one not understood, a denial, a schedule change, a raw query — and
// `audit --since 24h` lists them newest first at the console and through `aoai audit`. Rows hold the
// question as typed (secrets scrubbed) and nothing of the answer.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { converse as converseWith } from "../adapters/console/converse.ts";
import { startBotProcess, type BotProcess } from "../../src/app/bot-process.ts";
import { loadConfig } from "../../src/app/config.ts";
import type { Place } from "../../src/bot/asker.ts";
import type { Message } from "../../src/bot/message.ts";
import type { AuditRow } from "../../src/store/audit-row.ts";
import { queryHash } from "../../src/bot/compose-trace.ts";
import { fakeCredential } from "../fakes/azure-monitor.ts";
import { ACCOUNT, startKqlWorld, WORKSPACE, type KqlWorld } from "../adapters/kql-world.ts";
import { cliIn } from "../cli/run-cli.ts";
import { silentLogger } from "../../src/log/logger.ts";

const NOW = new Date("2026-11-29T10:00:00Z");
/** A secret of the process's environment that someone pastes into a question. */
const PASTED_SECRET = "s3cr3t-service-value-9876";
const SLACK_TOKEN = "xoxb-1234567890-abcdefABCDEF";
const OUTSIDER: Place = { platform: "slack", workspace: "T0OTHER", channel: "C0SHARED", user: "U0STRANGER" };

let world: KqlWorld;
let proc: BotProcess;
let env: Record<string, string>;
const said: { text: string; message: Message }[] = [];

async function converse(lines: readonly string[]): Promise<string[]> {
  const printed = await converseWith(proc.conversation, lines);
  await proc.audit.recorder.flush();
  return printed;
}

async function say(text: string, place: Place): Promise<Message> {
  const message = await proc.conversation.say(text, place);
  said.push({ text, message });
  await proc.audit.recorder.flush();
  return message;
}

/** Every row of the last hour, newest first, as the store gives them. */
const rows = (): Promise<AuditRow[]> => proc.store.auditSince(Date.now() - 3_600_000, 1_000);

beforeAll(async () => {
  world = await startKqlWorld();
  const base = loadConfig({ env: {}, cwd: "/nonexistent" });
  env = { AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-audit-")), "a.sqlite"), PLAYGROUND: "0", BILLING_SERVICE_TOKEN: PASTED_SECRET };
  proc = await startBotProcess(
    { ...base, port: 0, resourceIds: [ACCOUNT], kql: { ...base.kql, allowedUsers: ["console"] } },
    { env, host: "127.0.0.1", source: "azure", now: NOW, credential: fakeCredential, httpClient: world.arm.httpClient(), logsHttpClient: world.logAnalytics.httpClient(), runSchedules: false, consoleOut: new PassThrough(), logger: silentLogger },
  );
  // one turn of each kind, oldest first
  await say("requests 24h", { platform: "console" });
  await say("please frobnicate the widgets", { platform: "console" });
  await say("latency 24h", OUTSIDER);
  await converse(["schedule daily 09:00 UTC"]);
  await say("kql AzureDiagnostics | where Category == 'RequestResponse' | take 5", { platform: "console" });
  await say(`latency 24h ${SLACK_TOKEN} ${PASTED_SECRET}`, { platform: "console" });
});
afterAll(async () => {
  await proc.stop();
  await world.close();
});

describe("the audit log", () => {
  it("has a row for a question: who, where, what, the metrics requests planned, the outcome and how long it took", async () => {
    const row = (await rows()).find((r) => r.question === "requests 24h");
    expect(row).toMatchObject({ kind: "say", platform: "console", command: "ask", outcome: "answered", decidedBy: "the default policy (this machine's console and playground)" });
    expect(row?.requestId).toMatch(/^[0-9a-f]{16}$/);
    expect(row?.durationMs).toBeGreaterThanOrEqual(0);
    expect(row?.requests.length).toBeGreaterThan(0);
    expect(row?.requests.every((r) => r.startsWith("metrics aoai-prod "))).toBe(true);
    expect(row?.requests.some((r) => / AzureOpenAIRequests .*Total .*\d{4}-\d\d-\d\dT[^ ]+\/[^ ]+/.test(r))).toBe(true);
  });

  it("has a row for a question it did not understand, with the error's code", async () => {
    expect((await rows()).find((r) => r.question === "please frobnicate the widgets")).toMatchObject({ command: "ask", outcome: "not_understood", requests: [] });
  });

  it("has a row for a denial: the outsider's workspace, channel and user, and the rule that refused", async () => {
    const row = (await rows()).find((r) => r.platform === "slack");
    expect(row).toMatchObject({ workspace: "T0OTHER", channel: "C0SHARED", user: "U0STRANGER", question: "latency 24h", outcome: "access_denied", requests: [] });
    expect(row?.decidedBy).toContain("the default policy");
  });

  it("has a row for a schedule change made at the console", async () => {
    const row = (await rows()).find((r) => r.command === "schedule");
    expect(row).toMatchObject({ platform: "console", question: "schedule daily 09:00 UTC", outcome: "answered", requests: [] });
  });

  it("has a row for a raw query: the workspace, the query's hash and first line, the window", async () => {
    const query = "AzureDiagnostics | where Category == 'RequestResponse' | take 5";
    const row = (await rows()).find((r) => r.command === "kql");
    expect(row).toMatchObject({ platform: "console", question: `kql ${query}`, outcome: "answered" });
    expect(row?.requests).toEqual([expect.stringMatching(new RegExp(`^logs ${WORKSPACE.split("/").pop() ?? ""} query ${queryHash(query)}: AzureDiagnostics \\| where Category == 'RequestResponse' \\| take 5 \\d{4}-`))]);
  });

  it("keeps no secret a question carried", async () => {
    const all = JSON.stringify(await rows());
    expect(all).not.toContain(SLACK_TOKEN);
    expect(all).not.toContain(PASTED_SECRET);
    expect((await rows()).find((r) => r.question.startsWith("latency 24h xoxb"))?.question).toBe("latency 24h xoxb-[redacted] [redacted]");
  });

  it("keeps nothing of the answers: no title, summary, figure, line or result row", async () => {
    const all = JSON.stringify(await rows());
    for (const { message } of said) {
      for (const text of [message.title, message.summary, ...message.lines, ...message.figures.map((f) => f.text), ...message.tables.flatMap((t) => t.rows.flat())]) {
        // texts the question itself holds ("latency 24h") are in the row as the question
        if (text.length > 12 && !said.some((s) => s.text.includes(text))) expect(all).not.toContain(text);
      }
    }
    // the raw query's result rows reached the answer, not the row
    expect(said.find((s) => s.text.startsWith("kql"))?.message.tables[0]?.rows.length).toBeGreaterThan(0);
    expect(all).not.toContain("ChatCompletions_Create");
  });

  it("is listed newest first by `audit --since 24h` at the console", async () => {
    const [listing = ""] = await converse(["audit --since 24h"]);
    expect(listing).toContain("Audit log — last 24h");
    const order = ["latency 24h xoxb-[redacted] [redacted]", "kql AzureDiagnostics", "schedule daily 09:00 UTC", "U0STRANGER", "please frobnicate the widgets", "requests 24h"].map((q) => listing.indexOf(q));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(listing).toContain("access_denied · by the default policy");
    // the listing itself is a turn, recorded like any other
    expect((await rows())[0]).toMatchObject({ command: "audit", question: "audit --since 24h", outcome: "answered" });
  });

  it("lists a question asked just before it, in the same console session (rows still being written are waited for)", async () => {
    const listing = (await converse(["tokens by deployment 2h", "audit --since 1h --limit 5"])).join("\n");
    expect(listing).toContain("Audit log — last 1h");
    expect(listing).toMatch(/ask +tokens by deployment 2h +answered/);
  });

  it("says so at the console when the span or limit cannot be read, and takes a bare span", async () => {
    const [bad = "", week = ""] = await converse(["audit --since soon", "audit 7d --limit 1"]);
    expect(bad).toContain('"--since soon" is not a span I read.');
    expect(bad).toContain("`30m`, `24h`, `7d` or `2w`");
    expect(week).toContain("Audit log — last 7d");
    expect(week).toContain("There are more");
  });

  it("is listed newest first by `aoai audit --since 24h`, as text and as JSON", async () => {
    const text = await cliIn(env, "audit", "--since", "24h");
    expect(text.code).toBe(0);
    expect(text.out).toContain("time");
    expect(text.out.indexOf("kql AzureDiagnostics")).toBeLessThan(text.out.indexOf("requests 24h"));
    const json = await cliIn(env, "audit", "--since", "24h", "--json");
    expect(json.code).toBe(0);
    const listed = (JSON.parse(json.out) as { rows: (AuditRow & { time: string })[] }).rows;
    expect(listed.map((r) => r.question)).toEqual((await rows()).map((r) => r.question));
    expect(listed.map((r) => r.at)).toEqual([...listed.map((r) => r.at)].sort((a, b) => b - a));
    expect(listed.at(-1)).toMatchObject({ question: "requests 24h", platform: "console", outcome: "answered" });
    expect(listed.at(-1)?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("`aoai audit` takes a limit and refuses a span it cannot read", async () => {
    const two = JSON.parse((await cliIn(env, "audit", "--limit", "2", "--json")).out) as { rows: AuditRow[]; more: boolean };
    expect(two.rows).toHaveLength(2);
    expect(two.more).toBe(true);
    const bad = await cliIn(env, "audit", "--since", "soon");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('"--since soon" is not a span I read.');
  });

  it("refuses `audit` in chat to people of the bot's workspace without a rule allowing it, and records that", async () => {
    proc.access.setHome("slack", "T0HOME");
    const m = await say("audit --since 7d", { platform: "slack", workspace: "T0HOME", channel: "C0OPS", user: "U0ALICE" });
    expect(m.kind).toBe("error");
    expect((await rows())[0]).toMatchObject({ command: "audit", user: "U0ALICE", outcome: "access_denied" });
  });
});
