// Follow-ups through the real Slack adapter: a question in a thread, then "what about yesterday?" in
// the same thread changes that question; another thread knows nothing of it; the buttons under a
// follow-up's answer keep its question; two replicas sharing PostgreSQL share the context.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BotProcess } from "../../../src/app/bot-process.ts";
import { FakeSlackApi } from "../../fakes/slack-api.ts";
import { blockAction, eventCallback, sendSigned } from "../../fakes/slack-request.ts";
import { visibleText } from "../../scenarios/visible-text.ts";
import { startSlackBot } from "./slack-bot.ts";

const PG = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
let slack: FakeSlackApi;
let proc: BotProcess;
let events: string;
/** Ids no earlier run left a context under (PostgreSQL keeps records between runs). */
const run = Date.now().toString(36);
let ts = 1764400000;

beforeAll(async () => {
  slack = await new FakeSlackApi().start();
  ({ proc, events } = await startSlackBot(slack, {}));
});
afterAll(async () => {
  await proc.stop();
  await slack.close();
});

/** Mentions the bot (in `thread` when given) and returns what the reply in that thread shows. */
async function mention(url: string, channel: string, text: string, thread?: string): Promise<{ seen: string; ts: string; blocks: unknown }> {
  const own = `${String(++ts)}.000100`;
  const before = slack.messages(channel).length;
  await sendSigned(url, eventCallback({ type: "app_mention", user: "U0001", text: `<@UBOT> ${text}`, ts: own, channel, event_ts: own, ...(thread ? { thread_ts: thread } : {}) }));
  const reply = await slack.waitFor(() => {
    const m = slack.messages(channel).slice(before).find((x) => x.threadTs === (thread ?? own));
    return m && !visibleText(m.blocks).includes("Working on") ? m : undefined;
  });
  return { seen: visibleText(reply.blocks), ts: own, blocks: reply.blocks };
}

function buttonValue(blocks: unknown, actionId: string): string {
  const buttons = (blocks as { elements?: { action_id?: string; value?: string }[] }[]).flatMap((b) => b.elements ?? []);
  return buttons.find((e) => e.action_id === actionId)?.value ?? "";
}

describe("follow-ups in a Slack thread", () => {
  it("reads 'what about yesterday?' in the same thread as yesterday's tokens for gpt-4o, and says so", async () => {
    const first = await mention(events, "C0FU1", "tokens gpt-4o last hour");
    expect(first.seen).toContain("Understood: Tokens · gpt-4o · last 1 h");
    const next = await mention(events, "C0FU1", "what about yesterday?", first.ts);
    expect(next.seen).toContain("Understood: Tokens · gpt-4o · yesterday (vs the day before)");
    expect(next.seen).toContain("TokenTransaction");
    expect(next.seen).toContain("ModelDeploymentName eq 'gpt-4o'");
    expect(next.seen).toContain("2026-11-28T00:00:00Z/2026-11-29T00:00:00Z");
    expect(next.seen).not.toContain("Health overview");
  });

  it("keeps another thread of the same channel apart: there the follow-up has nothing to change", async () => {
    await mention(events, "C0FU2", "latency gpt-4o-mini 24h");
    const other = await mention(events, "C0FU2", "what about yesterday?");
    expect(other.seen).toContain('There is no earlier question here for "what about yesterday?" to change.');
    expect(other.seen).toContain('Ask a full question first, e.g. "latency yesterday"');
  });

  it("changes the deployment, the split and the signal in turn", async () => {
    const first = await mention(events, "C0FU3", "tokens gpt-4o last hour");
    expect((await mention(events, "C0FU3", "and for gpt-4o-mini?", first.ts)).seen).toContain("Understood: Tokens · gpt-4o-mini · last 1 h");
    const split = await mention(events, "C0FU3", "split that by region", first.ts);
    expect(split.seen).toContain("Understood: Tokens · gpt-4o-mini · last 1 h (vs the previous hour) · by region");
    expect(split.seen).toContain("by region");
    const latency = await mention(events, "C0FU3", "same for latency", first.ts);
    expect(latency.seen).toContain("Understood: Latency · gpt-4o-mini · last 1 h (vs the previous hour) · by region");
    expect(latency.seen).toContain("AzureOpenAITimeToResponse");
  });

  it("answers a follow-up's button with its question, and the press becomes the thread's context", async () => {
    const first = await mention(events, "C0FU4", "tokens gpt-4o last hour");
    const followUp = await mention(events, "C0FU4", "what about yesterday?", first.ts);
    const value = buttonValue(followUp.blocks, "aoai_window_10080");
    expect(JSON.parse(value)).toMatchObject({ kind: "window", text: "what about yesterday?", question: { topic: "Tokens" } });
    const answer = slack.messages("C0FU4").find((m) => m.threadTs === first.ts && visibleText(m.blocks).includes("yesterday (vs"));
    await sendSigned(events, blockAction({ type: "block_actions", team: { id: "T0001" }, user: { id: "U0001" }, channel: { id: "C0FU4" }, container: { type: "message", message_ts: answer?.ts, channel_id: "C0FU4", is_ephemeral: false, thread_ts: first.ts }, message: { type: "message", ts: answer?.ts, thread_ts: first.ts }, response_url: `${slack.url}/hooks/fu-btn`, actions: [{ type: "button", action_id: "aoai_window_10080", block_id: "aoai_follow_up", value, action_ts: "1" }] }));
    const updated = await slack.waitFor(() => slack.posts("chat.update").find((c) => c.args.channel === "C0FU4" && visibleText(c.args.blocks).includes("last 7 d")));
    expect(visibleText(updated.args.blocks)).toContain("Understood: Tokens · gpt-4o · last 7 d");
    // the press moved the thread's context to 7 days
    expect((await mention(events, "C0FU4", "same for latency", first.ts)).seen).toContain("Understood: Latency · gpt-4o · last 7 d");
  });

  it("follows up in a DM, whose channel is the conversation", async () => {
    const dm = async (text: string) => {
      const own = `${String(++ts)}.000100`;
      const before = slack.messages("D0FU1").length;
      await sendSigned(events, eventCallback({ type: "message", channel_type: "im", user: "U0001", text, ts: own, channel: "D0FU1" }));
      return visibleText((await slack.waitFor(() => slack.messages("D0FU1").slice(before).find((m) => !visibleText(m.blocks).includes("Working on")))).blocks);
    };
    await dm("429s gpt-4o-mini today");
    expect(await dm("now 7d")).toContain("Understood: Rate limiting (429) · gpt-4o-mini · last 7 d");
  });
});

describe("two replicas sharing PostgreSQL", () => {
  it("answers a follow-up on one replica to a question the other answered", async () => {
    const a = await startSlackBot(slack, { DATABASE_URL: PG });
    const b = await startSlackBot(slack, { DATABASE_URL: PG });
    try {
      const channel = `C${run.toUpperCase()}`;
      const first = await mention(a.events, channel, "tokens gpt-4o last hour");
      const next = await mention(b.events, channel, "what about yesterday?", first.ts);
      expect(next.seen).toContain("Understood: Tokens · gpt-4o · yesterday (vs the day before)");
      expect(next.seen).toContain("2026-11-28T00:00:00Z/2026-11-29T00:00:00Z");
    } finally {
      await a.proc.stop();
      await b.proc.stop();
    }
  });
});
