// Who asked what, as the real Slack adapter hands the turns in, on PostgreSQL (several replicas
// share it): a mention records the workspace, channel and user Slack sent, a button press records a
// "press" with the button's question, and `aoai audit` on the same database lists both.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BotProcess } from "../../src/app/bot-process.ts";
import { silentLogger } from "../../src/log/logger.ts";
import type { AuditRow } from "../../src/store/audit-row.ts";
import { FakeSlackApi } from "../fakes/slack-api.ts";
import { blockAction, eventCallback, sendSigned } from "../fakes/slack-request.ts";
import { visibleText } from "../scenarios/visible-text.ts";
import { startSlackBot } from "../adapters/slack/slack-bot.ts";
import { cliIn } from "../cli/run-cli.ts";

const PG = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
/** A channel no earlier run wrote rows for (PostgreSQL keeps them between runs). */
const CHANNEL = `C0AUD${Date.now().toString(36).toUpperCase()}`;
let slack: FakeSlackApi;
let proc: BotProcess;
let events: string;
let ts = 1764400000;

beforeAll(async () => {
  slack = await new FakeSlackApi().start();
  ({ proc, events } = await startSlackBot(slack, { DATABASE_URL: PG }, silentLogger));
});
afterAll(async () => {
  await proc.stop();
  await slack.close();
});

/** The length of each figures request's timespan (baselines left out). */
const spansOf = (row: AuditRow | undefined): number[] =>
  (row?.requests ?? []).filter((r) => !r.endsWith("(baseline)")).flatMap((r) => {
    // a window and its baseline sent as one request: its line names each window it covers
    const covered = [...r.matchAll(/\bwindow (\d{4}-\S+?)\/(\d{4}-[^\s)]+)/g)];
    const m = covered.length > 0 ? covered : [/(\d{4}-\S+?)\/(\d{4}-\S+)/.exec(r)].filter((x) => x !== null);
    return m.map((x) => Date.parse(x[2] ?? "") - Date.parse(x[1] ?? ""));
  });

const rowsHere = async (): Promise<AuditRow[]> => (await proc.store.auditSince(Date.now() - 3_600_000, 1_000)).filter((r) => r.channel === CHANNEL);

describe("audit rows of Slack turns", () => {
  it("say who asked where, for a mention and for a button pressed under its answer", async () => {
    const own = `${String(++ts)}.000100`;
    await sendSigned(events, eventCallback({ type: "app_mention", user: "U0AUDIT", text: "<@UBOT> tokens gpt-4o last hour", ts: own, channel: CHANNEL, event_ts: own }));
    const answer = await slack.waitFor(() => slack.messages(CHANNEL).find((m) => m.threadTs === own && !visibleText(m.blocks).includes("Working on")));
    const buttons = (answer.blocks as { elements?: { action_id?: string; value?: string }[] }[]).flatMap((b) => b.elements ?? []);
    const value = buttons.find((e) => e.action_id === "aoai_window_10080")?.value ?? "";
    await sendSigned(events, blockAction({ type: "block_actions", team: { id: "T0001" }, user: { id: "U0AUDIT" }, channel: { id: CHANNEL }, container: { type: "message", message_ts: answer.ts, channel_id: CHANNEL, is_ephemeral: false, thread_ts: own }, message: { type: "message", ts: answer.ts, thread_ts: own }, response_url: `${slack.url}/hooks/audit-btn`, actions: [{ type: "button", action_id: "aoai_window_10080", block_id: "aoai_follow_up", value, action_ts: "1" }] }));
    await slack.waitFor(() => slack.posts("chat.update").find((c) => c.args.channel === CHANNEL && visibleText(c.args.blocks).includes("last 7 d")));
    await proc.audit.recorder.flush();
    const [press, mention] = await rowsHere();
    expect(mention).toMatchObject({ kind: "say", platform: "slack", workspace: "T0001", channel: CHANNEL, user: "U0AUDIT", command: "ask", question: "tokens gpt-4o last hour", outcome: "answered" });
    expect(mention?.requests.some((r) => r.startsWith("metrics aoai-demo TokenTransaction"))).toBe(true);
    expect(press).toMatchObject({ kind: "press", platform: "slack", workspace: "T0001", channel: CHANNEL, user: "U0AUDIT", command: "ask", question: "tokens gpt-4o last hour", outcome: "answered" });
    // the press asked for 7 days: its requests say so
    expect(spansOf(mention)).toContain(3_600_000);
    expect(spansOf(press)).toContain(7 * 86_400_000);
    expect(press?.requestId).not.toBe(mention?.requestId);

    const listed = await cliIn({ DATABASE_URL: PG }, "audit", "--since", "1h", "--json", "--limit", "1000");
    expect(listed.code).toBe(0);
    const mine = (JSON.parse(listed.out) as { rows: AuditRow[] }).rows.filter((r) => r.channel === CHANNEL);
    expect(mine.map((r) => r.kind)).toEqual(["press", "say"]);
  });
});
