// Reports as plain text, for the console and `aoai report --print`.
import { LOCAL_TIME, STATUS_ICON, type Report } from "./report.ts";

export function renderReportText(r: Report): string {
  const out = [`${STATUS_ICON[r.status]} ${r.title}`, ...r.lines.map((l) => `  ${plain(l)}`)];
  if (r.table) {
    const rows = [r.table.columns, ...r.table.rows];
    const widths = r.table.columns.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? "").length)));
    for (const row of rows) out.push(`    ${row.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ")}`);
    if (r.table.more > 0) out.push(`    … and ${r.table.more} more`);
  }
  for (const f of r.footnotes) out.push(`  source: ${plain(f)}`);
  return out.join("\n");
}

function plain(text: string): string {
  return text.replace(/\*\*/g, "").replace(LOCAL_TIME, (_m, iso: string) => iso);
}
