// A kql answer's full result as a CSV file beside it: the real Slack WebClient (filesUploadV2:
// files.getUploadURLExternal → POST to the upload URL → files.completeUploadExternal) through the
// one SlackSender, against the loopback Slack fake. The answer is never lost to a failed upload.
import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { boltLogger } from "../../../src/adapters/slack/bolt-logger.ts";
import { renderBlockKit } from "../../../src/adapters/slack/render-blockkit.ts";
import { SlackSender } from "../../../src/adapters/slack/sender.ts";
import { silentLogger } from "../../../src/log/logger.ts";
import { dataTableExamples, KQL_CSV_ROWS } from "../../bot/data-table-examples.ts";
import { FakeSlackApi } from "../../fakes/slack-api.ts";

let slack: FakeSlackApi;
let sender: SlackSender;
const kql = dataTableExamples()["data-table-kql"];
const csv = kql.attachment?.csv ?? "";
const THREAD = "1795946000.000100";
let channel = 0;
/** A fresh channel per test, so each reads only its own messages. */
let here = "";

beforeAll(async () => {
  slack = await new FakeSlackApi().start();
  // the client as startSlack builds it: no client-side retries, 429s handed to the sender
  const client = new WebClient("xoxb-test", { slackApiUrl: `${slack.url}/api/`, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: 5_000, logger: boltLogger(silentLogger) });
  sender = new SlackSender(client, { maxAttempts: 3, budgetMs: 2_000, baseDelayMs: 10, maxDelayMs: 50 }, silentLogger);
});
beforeEach(() => {
  here = `C${String(++channel).padStart(4, "0")}`;
});
afterAll(async () => {
  await slack.close();
});

const filesIn = (c: string) => slack.sharedFiles().filter((f) => f.channel === c);

describe("a kql answer with its CSV", () => {
  it("posts the answer, then uploads every row as a CSV into the same thread", async () => {
    const posted = await sender.post(here, renderBlockKit(kql), THREAD);
    const [answer, ...others] = slack.messages(here);
    expect(answer?.ts).toBe(posted.ts);
    expect(answer?.threadTs).toBe(THREAD);
    expect(JSON.stringify(answer?.blocks)).toContain('"type":"table"');
    expect(others).toEqual([]);

    const [file, ...more] = filesIn(here);
    expect(more).toEqual([]);
    expect(file).toMatchObject({ filename: "kql-result.csv", title: "kql result (60 rows)", threadTs: THREAD, completed: true });
    const text = file?.bytes?.toString("utf8") ?? "";
    expect(text).toBe(csv);
    expect(file?.length).toBe(Buffer.byteLength(csv));
    // the header and all 60 rows, although the message shows 50
    expect(text.trimEnd().split("\r\n")).toHaveLength(KQL_CSV_ROWS + 1);
    expect(text).toContain("2026-11-29T09:00:00.000Z"); // the 60th row, not in the message
    expect(JSON.stringify(answer?.blocks)).not.toContain("2026-11-29T09:00:00.000Z");
  });

  it("uploads only after the answer is posted", async () => {
    await sender.post(here, renderBlockKit(kql), THREAD);
    const order = slack.calls.filter((c) => c.args.channel === here || c.args.channel_id === here || c.method === "files.getUploadURLExternal").map((c) => c.method);
    expect(order.indexOf("chat.postMessage")).toBeLessThan(order.lastIndexOf("files.getUploadURLExternal"));
    expect(order.at(-1)).toBe("files.completeUploadExternal");
  });

  it("puts the file beside an answer that replaced a working message in a thread", async () => {
    const working = await sender.post(here, { text: "⏳ Working…", blocks: [] }, THREAD);
    await sender.update(here, working.ts, renderBlockKit(kql), THREAD);
    expect(slack.messages(here)).toHaveLength(1);
    expect(JSON.stringify(slack.messages(here)[0]?.blocks)).toContain('"type":"table"');
    expect(filesIn(here)).toEqual([expect.objectContaining({ threadTs: THREAD, filename: "kql-result.csv" })]);
  });

  it("shares the file in the conversation itself when the answer is not in a thread (a DM)", async () => {
    await sender.post(here, renderBlockKit(kql));
    expect(filesIn(here)).toEqual([expect.objectContaining({ threadTs: undefined, completed: true })]);
  });

  it("keeps the answer and says to add files:write when the app lacks the scope", async () => {
    slack.refuse("files.getUploadURLExternal", "missing_scope");
    const posted = await sender.post(here, renderBlockKit(kql), THREAD);
    const [answer, notice, ...others] = slack.messages(here);
    expect(answer?.ts).toBe(posted.ts);
    expect(JSON.stringify(answer?.blocks)).toContain('"type":"table"');
    expect(notice?.threadTs).toBe(THREAD);
    expect(notice?.text).toContain("I couldn't attach kql-result.csv (all 60 rows as CSV)");
    expect(notice?.text).toContain("lacks the `files:write` bot scope");
    expect(notice?.text).toContain("reinstall the app");
    expect(others).toEqual([]);
    expect(filesIn(here)).toEqual([]);
  });

  it("says why when Slack refuses to share the file in the channel", async () => {
    slack.refuse("files.completeUploadExternal", "not_in_channel");
    await sender.post(here, renderBlockKit(kql), THREAD);
    const [, notice] = slack.messages(here);
    expect(notice?.text).toContain("the bot is not a member of this channel");
    expect(filesIn(here)).toEqual([]);
  });

  it("retries an upload Slack rate limited, then shares it once with no warning", async () => {
    slack.fail("files.getUploadURLExternal", 1, 429, 0);
    await sender.post(here, renderBlockKit(kql), THREAD);
    expect(filesIn(here)).toHaveLength(1);
    expect(slack.messages(here)).toHaveLength(1);
  });

  it("carries no file through a slash command's response_url and says how to get one", async () => {
    const before = slack.files.length;
    await sender.respond(`${slack.url}/hooks/kql-${here}`, { response_type: "ephemeral", replace_original: true, ...renderBlockKit(kql) });
    const reply = await slack.waitFor(() => slack.responses.find((r) => r.path === `/hooks/kql-${here}`));
    expect(reply.body).not.toHaveProperty("attachment");
    expect(JSON.stringify(reply.body.blocks)).toContain('"type":"table"');
    expect(JSON.stringify(reply.body.blocks)).toContain("attached only to answers the bot posts itself");
    expect(slack.files.length).toBe(before);
  });
});

describe("a table block Slack refuses", () => {
  it("is posted again as aligned text, and the file still follows", async () => {
    slack.refuse("chat.postMessage", "invalid_blocks");
    await sender.post(here, renderBlockKit(kql), THREAD);
    const [answer, ...others] = slack.messages(here);
    const blocks = JSON.stringify(answer?.blocks);
    expect(blocks).not.toContain('"type":"table"');
    expect(blocks).toContain('"type":"rich_text_preformatted"');
    expect(blocks).toMatch(/TimeGenerated +OperationName +DurationMs +ResultSignature +CorrelationId/);
    expect(blocks).toMatch(/2026-11-29T09:59:00\.000Z +ChatCompletions_Create +180 +200 +1a2b3c4d-/);
    expect(others).toEqual([]);
    expect(filesIn(here)).toHaveLength(1);
  });
});
