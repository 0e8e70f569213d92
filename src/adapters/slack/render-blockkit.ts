// Reply → Slack Block Kit, inside Slack's limits (50 blocks, 3000 characters a section,
// 10 fields a section): long content is cut with "… and N more", never an invalid_blocks error.
import type { ActionsBlock, Button, ContextBlock, KnownBlock, SectionBlock } from "@slack/types";
import { formatChange, formatValue, NO_DATA } from "../../bot/format.ts";
import { dimensionLabel, source } from "../../bot/render-text.ts";
import type { Reply } from "../../bot/reply.ts";
import { sparkline } from "../../bot/sparkline.ts";
import type { MetricResult, QueryAnswer } from "../../queries/result.ts";
import { encodeFollowUp, type FollowUp } from "../../bot/follow-up.ts";

export const ACTION_PREFIX = "aoai_";

export const SLACK_LIMITS = { blocks: 50, sectionText: 3000, fields: 10, fieldText: 2000, buttonText: 75 } as const;

export interface SlackMessage {
  /** Notification and accessibility fallback. */
  readonly text: string;
  readonly blocks: KnownBlock[];
}

export interface RenderOptions {
  /** An answer only the asker sees gets a "Share in channel" button. */
  readonly shareable?: boolean;
}

/** `asked` is the question as typed: buttons re-ask it with another window or split. */
export function renderBlockKit(reply: Reply, asked: string, options: RenderOptions = {}): SlackMessage {
  switch (reply.kind) {
    case "help":
      return help(reply.examples, reply.deployments);
    case "error": {
      const lines = [`:warning: ${esc(reply.message)}`, esc(reply.hint ?? ""), reply.reference ? `Reference: \`${esc(reply.reference)}\`` : ""].filter((l) => l !== "");
      const blocks: KnownBlock[] = [section(lines.join("\n"))];
      if (reply.examples.length > 0) blocks.push(section("Try one of these:"), exampleButtons(reply.examples));
      return { text: esc(reply.message), blocks };
    }
    case "answer":
      return answer(reply.answer, asked, reply.question.splitBy !== undefined, options.shareable ?? false);
  }
}

/** The "working…" state shown while Azure is queried; replaced in place by the answer. */
export function workingMessage(asked: string): SlackMessage {
  const text = `:hourglass_flowing_sand: Working on \`${esc(clip(asked, 200))}\`…`;
  return { text, blocks: [section(text)] };
}

function help(examples: readonly string[], deployments: readonly string[]): SlackMessage {
  const text = "Ask me how your Azure OpenAI deployments are doing, e.g. `/aoai latency gpt-4o 24h`.";
  const blocks: KnownBlock[] = [
    section(`${text}\nWindows: \`30m\` \`24h\` \`7d\` \`today\` \`yesterday\` \`since 09:00\` (default: last hour). Filters: a deployment name, \`model=\`, \`region=\`, \`status=\`. Splits: \`by deployment\`, \`by status code\`, \`top 3\`.\nAdd \`share\` (\`/aoai share latency\`) to post the answer in the channel.`),
    exampleButtons(examples),
  ];
  if (deployments.length > 0) blocks.push(context(`Deployments: ${deployments.map((d) => `\`${esc(d)}\``).join(", ")}`));
  return { text, blocks };
}

function answer(a: QueryAnswer, asked: string, split: boolean, shareable: boolean): SlackMessage {
  const blocks: KnownBlock[] = [{ type: "header", text: { type: "plain_text", text: clip(`${a.topic} — ${a.window.label}`, 150), emoji: true } }];
  const multiResource = new Set(a.results.map((r) => r.resource.id)).size > 1;
  // each result takes up to 3 blocks; keep room for notes, the window line and the buttons
  const room = Math.floor((SLACK_LIMITS.blocks - 4) / 3);
  for (const r of a.results.slice(0, room)) blocks.push(...result(r, multiResource));
  if (a.results.length > room) blocks.push(context(`… and ${a.results.length - room} more figures (ask about fewer signals at once)`));
  const notes = [...a.notes.map(esc), window(a)];
  blocks.push(context(notes.join("\n")));
  blocks.push(actions(asked, split, shareable));
  const first = a.results[0];
  const text = esc(first ? `${a.topic}: ${first.label} ${formatValue(first.value, first.unit)} (${a.window.label})` : a.topic);
  return { text, blocks };
}

function result(r: MetricResult, multiResource: boolean): KnownBlock[] {
  const who = multiResource ? ` [${esc(r.resource.name)}]` : "";
  if (r.error) return [section(`*${esc(r.label)}${who}*: not available — Azure Monitor said \`${esc(r.error.code)}\`: ${esc(r.error.message)}`), context(esc(source(r)))];
  const ch = formatChange(r.value, r.previous);
  const vs = r.value === null ? "_(Azure Monitor returned no data points for this window)_" : r.previous === null ? "_no data in the previous window_" : `${ch ?? ""} vs previous (${formatValue(r.previous, r.unit)})`;
  const spark = sparkline(r.points.map((p) => p.value));
  const headline = section(`*${esc(r.label)}${who}*: *${formatValue(r.value, r.unit)}*  ${vs}${spark.trim() ? `\n\`${spark}\`` : ""}`);
  const blocks: KnownBlock[] = [headline];
  if (r.splitBy !== undefined) {
    const by = r.splitBy;
    const shown = r.series.slice(0, SLACK_LIMITS.fields);
    const more = r.hiddenSeries + (r.series.length - shown.length);
    if (shown.length === 0) blocks.push(section(`by ${dimensionLabel(by)}: ${NO_DATA}`));
    else {
      const fields = shown.map((s) => {
        const c = formatChange(s.value, s.previous);
        return { type: "mrkdwn" as const, text: clip(`*${esc(s.dimensions[by] ?? "")}*\n${formatValue(s.value, r.unit)}${c ? `  ${c}` : ""}`, SLACK_LIMITS.fieldText) };
      });
      blocks.push({ type: "section", text: { type: "mrkdwn", text: `by ${dimensionLabel(by)}${more > 0 ? ` (top ${shown.length}; and ${more} more)` : ""}` }, fields });
    }
  }
  blocks.push(context(esc(source(r))));
  return blocks;
}

/** The window in the viewer's own time zone (Slack date tokens), with a UTC fallback. */
function window(a: QueryAnswer): string {
  const date = (iso: string, format: string) => `<!date^${Math.floor(Date.parse(iso) / 1000)}^${format}|${iso}>`;
  return `Window: ${date(a.window.start, "{date_short_pretty} {time}")} – ${date(a.window.end, "{date_short_pretty} {time}")} (your time) · ${a.window.start}/${a.window.end} UTC · compared with ${a.previousWindow.start}/${a.previousWindow.end}`;
}

function actions(asked: string, split: boolean, shareable: boolean): ActionsBlock {
  const buttons: Button[] = [
    button("1h", { kind: "window", text: asked, minutes: 60 }),
    button("24h", { kind: "window", text: asked, minutes: 1440 }),
    button("7d", { kind: "window", text: asked, minutes: 10080 }),
  ];
  if (!split) buttons.push(button("Split by deployment", { kind: "split", text: asked }));
  buttons.push(button("Refresh", { kind: "refresh", text: asked }));
  if (shareable) buttons.push(button("Share in channel", { kind: "share", text: asked }));
  return { type: "actions", block_id: "aoai_follow_up", elements: buttons.filter((b) => b.value !== "") };
}

function exampleButtons(examples: readonly string[]): ActionsBlock {
  // an actions block holds at most 25 elements
  return { type: "actions", block_id: "aoai_examples", elements: examples.slice(0, 25).map((e) => button(e, { kind: "ask", text: e })).filter((b) => b.value !== "") };
}

function button(label: string, f: FollowUp): Button {
  const id = f.kind === "window" ? `window_${f.minutes}` : f.kind === "ask" ? `ask_${hash(f.text)}` : f.kind;
  return { type: "button", action_id: `${ACTION_PREFIX}${id}`, text: { type: "plain_text", text: clip(label, SLACK_LIMITS.buttonText), emoji: true }, value: encodeFollowUp(f) };
}

function section(text: string): SectionBlock {
  return { type: "section", text: { type: "mrkdwn", text: clip(text, SLACK_LIMITS.sectionText) } };
}

function context(text: string): ContextBlock {
  return { type: "context", elements: [{ type: "mrkdwn", text: clip(text, SLACK_LIMITS.sectionText) }] };
}

/** Slack reads <, > and & as control characters (mentions, links): text from people and Azure is escaped. */
export function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** action_ids must be unique within a message: a short stable hash of the example. */
function hash(s: string): string {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}
