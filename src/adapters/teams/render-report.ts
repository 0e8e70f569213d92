// Scheduled reports as Adaptive Cards, under the same 28 KB budget as answers.
import { LOCAL_TIME, STATUS_ICON, type Report } from "../../schedules/report.ts";
import { MAX_CARD_BYTES, type AdaptiveCard } from "./render-adaptive-card.ts";

type Element = Record<string, unknown>;

export function renderReportCard(r: Report): AdaptiveCard {
  for (const rows of [15, 8, 3, 0]) {
    const card = build(r, rows);
    if (Buffer.byteLength(JSON.stringify(card)) <= MAX_CARD_BYTES) return card;
  }
  return build({ ...r, lines: r.lines.slice(0, 3), footnotes: [] }, 0);
}

function build(r: Report, maxRows: number): AdaptiveCard {
  const body: Element[] = [text(`${STATUS_ICON[r.status]} ${r.title}`, { weight: "Bolder", size: "Medium", color: r.status === "firing" || r.status === "warning" ? "Attention" : r.status === "resolved" ? "Good" : "Default" })];
  for (const l of r.lines) body.push(text(card(l)));
  if (r.table && maxRows > 0) {
    const rows = r.table.rows.slice(0, maxRows);
    body.push({
      type: "Table",
      firstRowAsHeader: true,
      showGridLines: false,
      columns: r.table.columns.map((_, i) => ({ width: i === 0 ? 3 : 2 })),
      rows: [r.table.columns, ...rows].map((row, i) => ({ type: "TableRow", cells: row.map((c) => ({ type: "TableCell", items: [text(c, i === 0 ? { weight: "Bolder", size: "Small" } : { size: "Small" })] })) })),
    });
    const more = r.table.more + r.table.rows.length - rows.length;
    if (more > 0) body.push(text(`… and ${more} more`, { isSubtle: true }));
  }
  for (const f of r.footnotes) body.push(text(card(f), { isSubtle: true, size: "Small", spacing: "None" }));
  return { type: "AdaptiveCard", $schema: "http://adaptivecards.io/schemas/adaptive-card.json", version: "1.5", fallbackText: r.title, body, actions: [], msteams: { width: "Full" } };
}

/** ⟦ISO⟧ → Adaptive Card DATE/TIME functions, which render in the viewer's zone. */
function card(line: string): string {
  return line.replace(LOCAL_TIME, (_m, iso: string) => `{{DATE(${iso.replace(/\.\d{3}Z$/, "Z")}, SHORT)}} {{TIME(${iso.replace(/\.\d{3}Z$/, "Z")})}}`);
}

function text(value: string, options: Record<string, unknown> = {}): Element {
  return { type: "TextBlock", text: value, wrap: true, ...options };
}
