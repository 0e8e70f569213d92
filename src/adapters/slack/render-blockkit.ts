// Message → Slack Block Kit, for answers and reports alike, inside Slack's limits (50 blocks, 3000
// characters a section, 10 fields a section): long content is cut with "… and N more", never an
// invalid_blocks error. Data tables are a `table` block (Slack takes one a message; later ones are
// aligned text), a figure's breakdown stays a fields section. Lays out and escapes; the words come
// from the Message.
import type { ActionsBlock, Button, ContextBlock, KnownBlock, SectionBlock } from "@slack/types";
import { shareAction } from "../../bot/compose.ts";
import { encodeFollowUp, type FollowUp } from "../../bot/follow-up.ts";
import { gist, heading, LEFT_OUT, LOCAL_TIME, windowLine, type Action, type Attachment, type Chart, type Figure, type Link, type Message, type Table } from "../../bot/message.ts";
import { sparkline } from "../../bot/sparkline.ts";
import { columnsLeftOut, preformattedTable, tableBlock } from "./table-block.ts";

export const ACTION_PREFIX = "aoai_";

export const SLACK_LIMITS = { blocks: 50, sectionText: 3000, fields: 10, fieldText: 2000, buttonText: 75, headerText: 150, buttons: 25 } as const;

export interface SlackMessage {
  /** Notification and accessibility fallback. */
  readonly text: string;
  readonly blocks: KnownBlock[];
  /** The whole result as a file, uploaded after the message (sender.ts). */
  readonly attachment?: Attachment;
  /** Pictures of the answer: uploaded after the message, or native blocks at `chartsAt` (chart-upload.ts, per `slack.charts`). */
  readonly charts?: readonly Chart[];
  /** Where in `blocks` native chart blocks go: right after the figures. */
  readonly chartsAt?: number;
}

export interface RenderOptions {
  /** An answer only the asker sees gets a "Share in channel" button. */
  readonly shareable?: boolean;
}

/** Messages that lead with a header; the short ones (help, errors, working…) are one section. */
const HEADED: ReadonlySet<Message["kind"]> = new Set(["answer", "report", "notice"]);
/** Figures take up to three blocks each (headline, breakdown, source). */
const FIGURE_BLOCKS = 3;

export function renderBlockKit(m: Message, options: RenderOptions = {}): SlackMessage {
  const head: KnownBlock[] = [];
  const body = m.lines.map(mrkdwn);
  if (HEADED.has(m.kind)) {
    head.push({ type: "header", text: { type: "plain_text", text: clip(heading(m), SLACK_LIMITS.headerText), emoji: true } });
    if (body.length > 0) head.push(section(body.join("\n")));
  } else head.push(section([esc(heading(m)), ...body].join("\n")));

  const tail: KnownBlock[] = tables(m.tables);
  const small = [...m.notes.map(mrkdwn), ...(m.window ? [mrkdwn(windowLine(m.window))] : [])];
  if (small.length > 0) tail.push(context(small.join("\n")));
  const refresh = m.actions.find((a) => a.followUp.kind === "refresh");
  const buttons = options.shareable && refresh ? [...m.actions, shareAction(refresh.followUp.text)] : m.actions;
  if (buttons.length > 0) {
    if (m.actionsTitle) tail.push(section(mrkdwn(m.actionsTitle)));
    tail.push(actions(buttons));
  }
  tail.push(...linkButtons(m.links ?? []));
  if (m.footnotes.length > 0) tail.push(context(m.footnotes.map(mrkdwn).join("\n")));

  // keep room for everything but the figures, and a line saying how many figures were left out
  const room = Math.max(0, Math.floor((SLACK_LIMITS.blocks - head.length - tail.length - 1) / FIGURE_BLOCKS));
  const figures = m.figures.slice(0, room).flatMap(figure);
  if (m.figures.length > room) figures.push(context(LEFT_OUT.figures(m.figures.length - room)));
  const blocks = [...head, ...figures, ...tail].slice(0, SLACK_LIMITS.blocks);
  const charts = m.charts && m.charts.length > 0 ? { charts: m.charts, chartsAt: Math.min(head.length + figures.length, blocks.length) } : {};
  return { text: esc(gist(m)), blocks, ...(m.attachment ? { attachment: m.attachment } : {}), ...charts };
}

function figure(f: Figure): KnownBlock[] {
  if (f.error) return [section(`*${esc(f.label)}*: ${esc(f.text)} — ${esc(f.error)}`), context(esc(f.source))];
  // without a change to show, the baseline is a remark ("no data in the previous window"), not a comparison
  const comparison = f.change ? `${f.change} ${esc(f.baseline)}` : f.baseline ? `_${esc(f.baseline)}_` : "";
  const spark = f.series ? sparkline(f.series.points.map((p) => p.value)) : "";
  const blocks: KnownBlock[] = [section(`*${esc(f.label)}*: *${esc(f.text)}*  ${comparison}${spark.trim() ? `\n\`${spark}\`` : ""}`)];
  if (f.breakdown) blocks.push(breakdown(f.breakdown));
  blocks.push(context(esc(f.source)));
  return blocks;
}

/** A figure's split: one field per row, its value and change under the row's name. */
function breakdown(t: Table): KnownBlock {
  const title = mrkdwn(t.title ?? "");
  if (t.rows.length === 0) return section(`${title}: ${mrkdwn(t.empty ?? "")}`);
  const shown = t.rows.slice(0, SLACK_LIMITS.fields);
  const more = t.more + t.rows.length - shown.length;
  const fields = shown.map(([name = "", ...cells]) => field(`*${mrkdwn(name)}*\n${cells.filter((c) => c !== "").map(mrkdwn).join("  ")}`));
  return { type: "section", text: { type: "mrkdwn", text: clip(`${title}${more > 0 ? ` (top ${shown.length}; and ${more} more)` : ""}`, SLACK_LIMITS.sectionText) }, fields };
}

/** Slack takes one `table` block a message: the first data table with rows is one, later ones are aligned text. */
function tables(list: readonly Table[]): KnownBlock[] {
  let native = false;
  return list.flatMap((t) => {
    if (!t.data || t.rows.length === 0) return table(t);
    const first = !native;
    native = true;
    return dataTable(t, t.data.align, first);
  });
}

function dataTable(t: Table, align: readonly ("left" | "right")[], native: boolean): KnownBlock[] {
  const laid = native ? tableBlock(t, align) : preformattedTable(t, align);
  const more = t.more + t.rows.length - laid.rows;
  const left = [...(more > 0 ? [LEFT_OUT.rows(more, t.moreLabel)] : []), ...(laid.columns < t.columns.length ? [columnsLeftOut(t.columns.slice(laid.columns))] : [])];
  return [...(t.title ? [section(mrkdwn(t.title))] : []), laid.block, ...(left.length > 0 ? [context(mrkdwn(left.join(" · ")))] : [])];
}

/** A table: one field per row, each cell under its column's name (a fields section shows two columns). */
function table(t: Table): KnownBlock[] {
  const blocks: KnownBlock[] = t.title ? [section(mrkdwn(t.title))] : [];
  if (t.rows.length === 0) return [...blocks, section(mrkdwn(t.empty ?? ""))];
  const [, ...names] = t.columns;
  const shown = t.rows.slice(0, SLACK_LIMITS.fields);
  blocks.push({ type: "section", fields: shown.map(([first = "", ...cells]) => field(`*${mrkdwn(first)}*\n${names.map((c, j) => `${mrkdwn(c)}: ${mrkdwn(cells[j] ?? "")}`).join("\n")}`)) });
  const more = t.more + t.rows.length - shown.length;
  if (more > 0) blocks.push(context(LEFT_OUT.rows(more, t.moreLabel)));
  return blocks;
}

function actions(list: readonly Action[]): ActionsBlock {
  const examples = list.every((a) => a.followUp.kind === "ask");
  return { type: "actions", block_id: examples ? "aoai_examples" : "aoai_follow_up", elements: list.slice(0, SLACK_LIMITS.buttons).map((a) => button(a.label, a.followUp)).filter((b) => b.value !== "") };
}

/** Slack refuses a button URL longer than this (Block Kit button reference). */
const LINK_URL_MAX = 3000;

/**
 * "Open in Azure portal" as URL buttons in their own actions block. Slack still sends an interaction
 * for a URL button: its action_id has no ACTION_PREFIX, so slack-app acknowledges it and does nothing.
 */
function linkButtons(list: readonly Link[]): KnownBlock[] {
  const fit = list.filter((l) => l.url.length <= LINK_URL_MAX);
  const blocks: KnownBlock[] = fit.length === 0 ? [] : [{ type: "actions", block_id: "portal_links", elements: fit.map((l, i): Button => ({ type: "button", action_id: `portal_link_${String(i)}`, text: { type: "plain_text", text: clip(l.label, SLACK_LIMITS.buttonText), emoji: true }, url: l.url })) }];
  const left = list.length - fit.length;
  if (left > 0) blocks.push(context(`${String(left)} portal link${left === 1 ? " is" : "s are"} longer than Slack takes in a button: \`aoai ask\` prints ${left === 1 ? "it" : "them"} in full.`));
  return blocks;
}

function button(label: string, f: FollowUp): Button {
  const id = f.kind === "window" ? `window_${f.minutes}` : f.kind === "ask" ? `ask_${hash(f.text)}` : f.kind;
  return { type: "button", action_id: `${ACTION_PREFIX}${id}`, text: { type: "plain_text", text: clip(label, SLACK_LIMITS.buttonText), emoji: true }, value: encodeFollowUp(f) };
}

function field(text: string): { type: "mrkdwn"; text: string } {
  return { type: "mrkdwn", text: clip(text, SLACK_LIMITS.fieldText) };
}

function section(text: string): SectionBlock {
  return { type: "section", text: { type: "mrkdwn", text: clip(text, SLACK_LIMITS.sectionText) } };
}

function context(text: string): ContextBlock {
  return { type: "context", elements: [{ type: "mrkdwn", text: clip(text, SLACK_LIMITS.sectionText) }] };
}

/** **bold** → *bold*, ⟦ISO⟧ → the viewer's local time (a Slack date token with the UTC instant as fallback). */
function mrkdwn(text: string): string {
  return esc(text)
    .replace(/\*\*(.+?)\*\*/g, "*$1*")
    .replace(LOCAL_TIME, (_m, iso: string) => `<!date^${Math.floor(Date.parse(iso) / 1000)}^{date_short_pretty} {time}|${iso}>`);
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
