// Scheduled reports in Block Kit, inside the same limits as answers.
import type { KnownBlock } from "@slack/types";
import { LOCAL_TIME, STATUS_ICON, type Report } from "../../schedules/report.ts";
import { esc, SLACK_LIMITS, type SlackMessage } from "./render-blockkit.ts";

const TABLE_ROWS = 10;

export function renderReportBlocks(r: Report): SlackMessage {
  const text = `${STATUS_ICON[r.status]} ${r.title}`;
  const blocks: KnownBlock[] = [{ type: "header", text: { type: "plain_text", text: clip(text, 150), emoji: true } }];
  if (r.lines.length > 0) blocks.push(section(r.lines.map(mrkdwn).join("\n")));
  if (r.table) {
    const [first, ...rest] = r.table.columns;
    const rows = r.table.rows.slice(0, TABLE_ROWS);
    // a fields section shows two columns: one field per deployment with its figures listed
    for (let i = 0; i < rows.length; i += SLACK_LIMITS.fields) {
      blocks.push({
        type: "section",
        fields: rows.slice(i, i + SLACK_LIMITS.fields).map((row) => ({ type: "mrkdwn" as const, text: clip(`*${esc(row[0] ?? "")}*\n${rest.map((c, j) => `${esc(c)}: ${esc(row[j + 1] ?? "")}`).join("\n")}`, SLACK_LIMITS.fieldText) })),
      });
    }
    const more = r.table.more + r.table.rows.length - rows.length;
    if (more > 0) blocks.push(context(`… and ${more} more ${first ?? "rows"}`));
  }
  if (r.footnotes.length > 0) blocks.push(context(r.footnotes.map(mrkdwn).join("\n")));
  return { text: esc(text), blocks: blocks.slice(0, SLACK_LIMITS.blocks) };
}

/** **bold** → *bold*, ⟦ISO⟧ → the viewer's local time. */
function mrkdwn(line: string): string {
  return esc(line)
    .replace(/\*\*(.+?)\*\*/g, "*$1*")
    .replace(LOCAL_TIME, (_m, iso: string) => `<!date^${Math.floor(Date.parse(iso) / 1000)}^{date_short_pretty} {time}|${iso}>`);
}

function section(text: string): KnownBlock {
  return { type: "section", text: { type: "mrkdwn", text: clip(text, SLACK_LIMITS.sectionText) } };
}

function context(text: string): KnownBlock {
  return { type: "context", elements: [{ type: "mrkdwn", text: clip(text, SLACK_LIMITS.sectionText) }] };
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
