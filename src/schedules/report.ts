// The platform-neutral report model: what a scheduled post says, before Slack, Teams or the
// console renders it. Text uses **bold** only; times that should read in the viewer's zone are
// written as ⟦ISO⟧ and each renderer turns them into its own local-time format.

export interface Report {
  readonly kind: "summary" | "condition" | "absence" | "missed" | "notice";
  readonly title: string;
  readonly status: "info" | "firing" | "resolved" | "ok" | "warning";
  readonly lines: readonly string[];
  readonly table?: { readonly columns: readonly string[]; readonly rows: readonly (readonly string[])[]; readonly more: number };
  /** Where the figures came from (metric, aggregation, grain, window). */
  readonly footnotes: readonly string[];
}

export const LOCAL_TIME = /⟦([^⟧]+)⟧/g;

export function localTime(iso: string): string {
  return `⟦${iso}⟧`;
}

export const STATUS_ICON: Readonly<Record<Report["status"], string>> = { info: "📊", firing: "🔴", resolved: "✅", ok: "🟢", warning: "⚠️" };
