// The Bot Connector failing the bot's replies and edits, and the Bot Framework redelivering an
// activity, through the real Agents SDK adapter in a real bot process (Azure slow enough that every
// question gets "working…" first, then the edit). Each test asserts what the person sees in the
// conversation (fakes/bot-connector.ts shown(): messages with their edits applied): one answer, never
// two and never "working…" left behind, or — only where a 5xx may have delivered it — the give-up
// logged at error with its conversation. The process keeps serving throughout.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { teamsPlatform } from "../../src/adapters/teams/platform.ts";
import { startBotProcess, type BotProcess } from "../../src/app/bot-process.ts";
import { loadConfig } from "../../src/app/config.ts";
import { cardOf, FakeBotConnector } from "../fakes/bot-connector.ts";
import { captureLogger } from "../support/capture-logger.ts";
import { personalMessage } from "../adapters/teams/activities.ts";
import { unhandledDuringFile } from "../support/unhandled.ts";

const NOW = new Date("2026-11-29T10:00:00Z");
const REDELIVERIES = 8;

let connector: FakeBotConnector;
let proc: BotProcess;
let endpoint: string;
const log = captureLogger({ level: "warn" });
const unhandled = unhandledDuringFile();

beforeAll(async () => {
  connector = await new FakeBotConnector().start();
  const env = { AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-teams-faults-")), "t.sqlite") };
  proc = await startBotProcess({ ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0 }, { env, host: "127.0.0.1", source: "demo", now: NOW, demoLatencyMs: 150, teams: { inlineWaitMs: 30 }, logger: log.logger });
  endpoint = `http://127.0.0.1:${proc.server.port}/api/messages`;
});
afterAll(async () => {
  await proc.stop();
  await connector.close();
});

const send = (activity: Record<string, unknown>) => fetch(endpoint, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(activity) }).then((r) => r.status);
const ask = (conversation: string, text: string) => personalMessage(connector.url, text, { conversation: { id: conversation, conversationType: "personal" } });
/** What each message in the conversation says now. */
const says = (conversation: string) => connector.shown(conversation).map((m) => (typeof m.body.text === "string" && m.body.text !== "" ? m.body.text : JSON.stringify(cardOf(m.body) ?? {})));
const answered = (conversation: string) => says(conversation).filter((t) => !t.includes("Working on"));
const errorsIn = (conversation: string) => log.entries().filter((e) => e.level === "error" && e.conversation === conversation);
const failedIn = (conversation: string, method: string) => connector.failed.filter((f) => f.conversationId === conversation && f.method === method);

async function stillServing(conversation: string): Promise<void> {
  expect((await fetch(endpoint.replace("/api/messages", "/healthz"))).status).toBe(200);
  const before = answered(conversation).length;
  expect(await send(ask(conversation, "help"))).toBe(200);
  await connector.waitFor(() => (answered(conversation).length > before ? true : undefined));
  expect(unhandled).toEqual([]);
}

describe("Teams: the Bot Connector failing replies and edits", () => {
  // each its own question: one answered from the cache comes within the inline wait, with no "working…" to edit
  it.each([
    ["429 with Retry-After", 429, { retryAfter: 1 }, "latency last 2 hours"],
    ["503", 503, { count: 2 }, "latency last 3 hours"],
  ] as const)("an edit of 'working…' into the answer that meets %s goes again and lands once", async (_what, status, options, question) => {
    const conversation = `a:edit-${status}`;
    connector.failIn(conversation, "PUT", status, options);
    expect(await send(ask(conversation, question))).toBe(200);
    await connector.waitFor(() => (answered(conversation).length > 0 ? true : undefined), 12_000);
    expect(failedIn(conversation, "PUT")).toHaveLength("count" in options ? options.count : 1);
    expect(says(conversation)).toHaveLength(1);
    expect(answered(conversation)[0]).toContain("Time to response");
    expect(failedIn(conversation, "POST").concat(failedIn(conversation, "PUT"))).not.toHaveLength(0);
    expect(errorsIn(conversation)).toEqual([]);
    await stillServing(conversation);
  });

  it("a 429 with Retry-After on the reply is waited out: one 'working…', edited into the answer", async () => {
    const conversation = "a:reply-429";
    connector.failIn(conversation, "POST", 429, { retryAfter: 1, type: "message" });
    expect(await send(ask(conversation, "latency last 4 hours"))).toBe(200);
    await connector.waitFor(() => (answered(conversation).length > 0 ? true : undefined), 12_000);
    expect(failedIn(conversation, "POST")).toHaveLength(1);
    expect(says(conversation)).toHaveLength(1);
    expect(errorsIn(conversation)).toEqual([]);
  });

  it("a 502 on 'working…' is not sent again (it may have landed); the answer follows as a message of its own", async () => {
    const conversation = "a:working-502";
    connector.failIn(conversation, "POST", 502, { type: "message" });
    expect(await send(ask(conversation, "latency last 5 hours"))).toBe(200);
    await connector.waitFor(() => (answered(conversation).length > 0 ? true : undefined), 12_000);
    expect(failedIn(conversation, "POST")).toHaveLength(1);
    expect(says(conversation)).toHaveLength(1);
    expect(answered(conversation)[0]).toContain("Time to response");
    expect(failedIn(conversation, "POST").concat(failedIn(conversation, "PUT"))).not.toHaveLength(0);
    expect(errorsIn(conversation)).toEqual([expect.objectContaining({ what: "working message", msg: `teams: gave up on a message to conversation ${conversation}` })]);
    await stillServing(conversation);
  });

  it("a 502 on a direct reply is logged at error with its conversation, never sent twice, and the next question is answered", async () => {
    const conversation = "a:reply-502";
    connector.failIn(conversation, "POST", 502, { type: "message" });
    expect(await send(ask(conversation, "help"))).toBe(200);
    await connector.waitFor(() => (errorsIn(conversation).length > 0 ? true : undefined));
    expect(says(conversation)).toEqual([]);
    expect(errorsIn(conversation)).toEqual([expect.objectContaining({ what: "answer", msg: `teams: gave up on a message to conversation ${conversation}` })]);
    await stillServing(conversation);
  });
});

describe("Teams: the Bot Framework redelivering an activity", () => {
  it(`answers one activity delivered ${REDELIVERIES} times at once, and again afterwards, exactly once — while the connector throttles`, async () => {
    const conversation = "a:redelivered";
    connector.failIn(conversation, "POST", 429, { retryAfter: 1, type: "message" });
    const activity = ask(conversation, "latency last 6 hours");
    const statuses = await Promise.all(Array.from({ length: REDELIVERIES }, () => send(activity)));
    expect(statuses).toEqual(Array.from({ length: REDELIVERIES }, () => 200));
    await connector.waitFor(() => (answered(conversation).length > 0 ? true : undefined), 12_000);
    // a late redelivery, after the answer is out
    expect(await send(activity)).toBe(200);
    await proc.adapter(teamsPlatform)?.idle();
    await new Promise((r) => setTimeout(r, 300));
    expect(says(conversation)).toHaveLength(1);
    expect(connector.calls.filter((c) => c.conversationId === conversation && c.method === "POST" && c.body.type === "message")).toHaveLength(1);
    expect(failedIn(conversation, "POST")).toHaveLength(1);
    expect(errorsIn(conversation)).toEqual([]);
    await stillServing(conversation);
  });
});
