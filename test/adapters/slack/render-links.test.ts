// "Open in Azure portal" in Slack: URL buttons in their own actions block (acknowledged by the app,
// never read as a follow-up), and a line saying so when a link is longer than a button takes.
import { describe, expect, it } from "vitest";
import { ACTION_PREFIX, renderBlockKit } from "../../../src/adapters/slack/render-blockkit.ts";
import { message, type Link } from "../../../src/bot/message.ts";
import { visibleText } from "../../scenarios/visible-text.ts";

interface Block { readonly type: string; readonly block_id?: string; readonly elements?: readonly { readonly type: string; readonly action_id?: string; readonly url?: string; readonly value?: string; readonly text?: { readonly text: string } }[] }

const answer = (links: Link[]) => message("answer", "info", "Requests — last 1 h", { links, actions: [{ label: "Refresh", followUp: { kind: "refresh", text: "requests" } }], footnotes: ["Source: x"] });

describe("portal links on Slack", () => {
  it("are URL buttons under the follow-ups, with action ids the follow-up handler ignores", () => {
    const links = [{ label: "Open in Azure portal: Requests", url: "https://portal.azure.com/#blade/a" }, { label: "Open in Azure portal: 429s", url: "https://portal.azure.com/#blade/b" }];
    const blocks = renderBlockKit(answer(links)).blocks as unknown as Block[];
    const at = blocks.findIndex((b) => b.block_id === "portal_links");
    expect(blocks[at - 1]?.block_id).toBe("aoai_follow_up");
    expect(blocks[at]?.elements?.map((e) => [e.type, e.text?.text, e.url])).toEqual(links.map((l) => ["button", l.label, l.url]));
    for (const e of blocks[at]?.elements ?? []) {
      expect(e.action_id?.startsWith(ACTION_PREFIX)).toBe(false);
      expect(e.value).toBeUndefined();
    }
  });

  it("a link longer than Slack's 3000-character button URL is left out, and the answer says so", () => {
    const long = { label: "Open in Log Analytics", url: `https://portal.azure.com/#blade/${"q".repeat(3000)}` };
    const blocks = renderBlockKit(answer([long])).blocks as unknown as Block[];
    expect(blocks.some((b) => b.block_id === "portal_links")).toBe(false);
    expect(visibleText(blocks)).toContain("1 portal link is longer than Slack takes in a button: `aoai ask` prints it in full.");
  });

  it("an answer without links has no link block", () => {
    const blocks = renderBlockKit(message("answer", "info", "Requests")).blocks as unknown as Block[];
    expect(blocks.some((b) => b.block_id === "portal_links")).toBe(false);
  });
});
