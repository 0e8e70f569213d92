import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keys } from "../../../src/store/keys.ts";
import { startBotProcess, type BotProcess } from "../../../src/app/bot-process.ts";
import { loadConfig } from "../../../src/app/config.ts";
import { cardOf, FakeBotConnector } from "../../fakes/bot-connector.ts";
import { botAdded, cardAction, channelMention, personalMessage } from "./activities.ts";

const NOW = new Date("2026-11-29T10:00:00Z");
let connector: FakeBotConnector;
let proc: BotProcess;
let endpoint: string;

async function start(options: { demoLatencyMs?: number; inlineWaitMs?: number } = {}) {
  const env = { AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-teams-")), "t.sqlite") };
  const p = await startBotProcess({ ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0 }, { env, host: "127.0.0.1", source: "demo", now: NOW, ...(options.demoLatencyMs === undefined ? {} : { demoLatencyMs: options.demoLatencyMs }), teams: { ...(options.inlineWaitMs === undefined ? {} : { inlineWaitMs: options.inlineWaitMs }) } });
  return { p, url: `http://127.0.0.1:${p.server.port}/api/messages` };
}
const post = (url: string, body: unknown, headers: Record<string, string> = {}) => fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
const seen = (card: unknown) => JSON.stringify(card);

beforeAll(async () => {
  connector = await new FakeBotConnector().start();
  const s = await start();
  proc = s.p;
  endpoint = s.url;
});
afterAll(async () => {
  await proc.stop();
  await connector.close();
});

describe("personal chat", () => {
  it("answers any message with a typing indicator and an Adaptive Card", async () => {
    const activity = personalMessage(connector.url, "latency");
    expect((await post(endpoint, activity)).status).toBe(200);
    const calls = connector.calls.filter((c) => c.activityId === activity.id);
    expect(calls.map((c) => c.body.type)).toEqual(["typing", "message"]);
    const card = cardOf(calls[1]!.body);
    expect(card).toMatchObject({ type: "AdaptiveCard", version: "1.5" });
    expect(seen(card)).toContain("Latency — last 1 h");
    expect(seen(card)).toContain("Time to response");
    expect(seen(card)).toContain("Action.Execute");
  });

  it("answers a redelivered activity once", async () => {
    const activity = personalMessage(connector.url, "429s gpt-4o-mini");
    await post(endpoint, activity);
    await post(endpoint, activity);
    expect(connector.calls.filter((c) => c.activityId === activity.id && c.body.type === "message")).toHaveLength(1);
  });

  it("explains what it can answer for help and for questions it can't read", async () => {
    const help = personalMessage(connector.url, "help");
    await post(endpoint, help);
    const bad = personalMessage(connector.url, "what's the weather");
    await post(endpoint, bad);
    const helpCard = seen(cardOf(connector.calls.find((c) => c.activityId === help.id && c.body.type === "message")!.body));
    const badCard = seen(cardOf(connector.calls.find((c) => c.activityId === bad.id && c.body.type === "message")!.body));
    expect(helpCard).toContain("latency gpt-4o 24h");
    expect(badCard).toContain("I couldn't tell which metric");
    expect(badCard).toContain("Action.Execute");
  });
});

describe("channels and group chats", () => {
  it("strips its own mention, keeps the others, and answers in the same thread", async () => {
    const thread = "19:ops@thread.tacv2;messageid=1700000000001";
    const activity = channelMention(connector.url, "blocked calls last hour for deployment gpt-4o", thread);
    expect((await post(endpoint, activity)).status).toBe(200);
    const reply = connector.messages(thread)[0]!;
    expect(reply.activityId).toBe(activity.id);
    const card = seen(cardOf(reply.body));
    expect(card).toContain("Rate-limited calls (429)");
    expect(card).toContain("Content-filter blocks");
    expect(card).toContain("ModelDeploymentName eq 'gpt-4o'");
  });

  it("greets once when added, and remembers the conversation for scheduled posts", async () => {
    const conversation = "19:new-team@thread.tacv2";
    await post(endpoint, botAdded(connector.url, conversation));
    await post(endpoint, botAdded(connector.url, conversation));
    expect(connector.messages(conversation)).toHaveLength(1);
    expect(seen(cardOf(connector.messages(conversation)[0]!.body))).toContain("is anything failing?");
    const ref = JSON.parse((await proc.store.get(keys.teamsConversation(conversation))) ?? "{}") as { serviceUrl?: string; conversation?: { id?: string } };
    expect(ref).toMatchObject({ serviceUrl: connector.url, conversation: { id: conversation } });
  });
});

describe("card buttons", () => {
  it("answers Action.Execute with the updated card in the invoke response", async () => {
    const res = await post(endpoint, cardAction(connector.url, { kind: "window", text: "latency", minutes: 1440 }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { statusCode: number; type: string; value: unknown };
    expect(body).toMatchObject({ statusCode: 200, type: "application/vnd.microsoft.card.adaptive" });
    expect(seen(body.value)).toContain("Latency — last 24 h");
  });

  it("updates the card in place for Action.Submit from older clients", async () => {
    const activity = personalMessage(connector.url, "", { text: undefined, replyToId: "bot-activity-77", value: { verb: "aoai.followUp", followUp: { kind: "split", text: "latency" } } });
    await post(endpoint, activity);
    const update = connector.calls.find((c) => c.method === "PUT" && c.activityId === "bot-activity-77");
    expect(update).toBeDefined();
    expect(seen(cardOf(update!.body))).toContain("deployment");
  });

  it("refuses a button that is not one of ours, without crashing", async () => {
    const res = await post(endpoint, cardAction(connector.url, { kind: "drop-tables", text: "x" }));
    expect(res.status).toBe(200);
    expect((await res.json())).toMatchObject({ statusCode: 400 });
  });
});

describe("malformed requests", () => {
  it.each([
    ["not JSON", "{ nope", 400],
    ["an array", "[]", 400],
    ["no type", JSON.stringify({ id: "x", text: "latency" }), 400],
    ["no conversation", JSON.stringify({ type: "message", id: "x", text: "latency", serviceUrl: "http://127.0.0.1:1/" }), 400],
    ["a huge body", JSON.stringify({ type: "message", text: "x".repeat(400_000) }), 400],
  ])("answers %s with %d and keeps serving", async (_name, body, status) => {
    expect((await post(endpoint, body)).status).toBe(status);
    expect((await fetch(`http://127.0.0.1:${proc.server.port}/healthz`)).status).toBe(200);
  });

  const card = (over: Record<string, unknown>) => ({ ...cardAction(connector.url, { kind: "window", text: "latency", minutes: 60 }), ...over });
  const message = (over: Record<string, unknown>) => personalMessage(connector.url, "latency", over);
  it.each([
    ["an invoke without recipient", () => card({ recipient: undefined }), "recipient"],
    ["an invoke without channelId", () => card({ channelId: undefined }), "channelId"],
    ["a card action without a value", () => card({ value: "x" }), "value"],
    ["a message whose text is a number", () => message({ text: 42 }), "text"],
    ["a message whose sender has no id", () => message({ from: { name: "Ada" } }), "from.id"],
    ["a mention that names nobody", () => message({ entities: [{ type: "mention", text: "<at>aoai</at>" }] }), "entities.0"],
    ["a serviceUrl that is not a URL", () => message({ serviceUrl: "javascript:alert(1)" }), "serviceUrl"],
    ["a conversation id with NUL", () => message({ conversation: { id: "a:chat\u0000x", conversationType: "personal" } }), "conversation.id"],
    ["a conversation id over 1 KB", () => message({ conversation: { id: `a:${"c".repeat(1100)}`, conversationType: "personal" } }), "conversation.id"],
    ["an activity id with NUL", () => message({ id: "msg\u00001" }), "id"],
    ["an activity id over 1 KB", () => message({ id: "m".repeat(1025) }), "id"],
  ])("refuses %s with 400, saying which field, and answers nothing", async (_name, make, field) => {
    const activity = make();
    const res = await post(endpoint, activity);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain(`${field}:`);
    expect(connector.calls.filter((c) => c.activityId === activity.id)).toHaveLength(0);
  });

  it("acknowledges kinds it does not act on with an empty 200", async () => {
    const reaction = message({ type: "messageReaction", reactionsAdded: [{ type: "like" }] });
    const res = await post(endpoint, reaction);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    expect(connector.calls.filter((c) => c.activityId === reaction.id)).toHaveLength(0);
  });
});

describe("when Teams or Azure is slow", () => {
  it("retries a throttled reply after Retry-After", async () => {
    connector.fail("POST", 429, 1);
    const activity = personalMessage(connector.url, "latency", { conversation: { id: "a:throttled", conversationType: "personal" } });
    const started = Date.now();
    await post(endpoint, activity);
    // a 429 means Teams did not take it, so it is safe to send again after Retry-After
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(connector.messages("a:throttled")).toHaveLength(1);
  });

  it("does not replay a reply that failed with 5xx (it may have been delivered)", async () => {
    connector.fail("POST", 502);
    connector.fail("POST", 502);
    const activity = personalMessage(connector.url, "latency", { conversation: { id: "a:flaky", conversationType: "personal" } });
    expect((await post(endpoint, activity)).status).toBe(200);
    expect(connector.messages("a:flaky")).toHaveLength(0);
  });

  it("answers a slow card action with a working card, then updates the card in place", async () => {
    const slow = await start({ demoLatencyMs: 300, inlineWaitMs: 50 });
    try {
      const res = await post(slow.url, cardAction(connector.url, { kind: "window", text: "latency", minutes: 1440 }));
      expect(seen(((await res.json()) as { value: unknown }).value)).toContain("Working on");
      const update = await connector.waitFor(() => connector.calls.find((c) => c.method === "PUT" && c.activityId === "bot-activity-1"));
      expect(seen(cardOf(update.body))).toContain("Latency — last 24 h");
    } finally {
      await slow.p.stop();
    }
  });

  it("shows working… and edits it into the answer when Azure is slow", async () => {
    const slow = await start({ demoLatencyMs: 300, inlineWaitMs: 50 });
    try {
      const activity = personalMessage(connector.url, "latency", { conversation: { id: "a:slow", conversationType: "personal" } });
      expect((await post(slow.url, activity)).status).toBe(200);
      const working = connector.messages("a:slow")[0]!;
      expect(working.body.text).toContain("Working on");
      const update = await connector.waitFor(() => connector.calls.find((c) => c.method === "PUT" && c.conversationId === "a:slow"));
      expect(update.activityId).toBe(working.createdId);
      expect(seen(cardOf(update.body))).toContain("Time to response");
    } finally {
      await slow.p.stop();
    }
  });
});
