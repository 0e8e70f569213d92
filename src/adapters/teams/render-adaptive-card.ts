// Reply → Adaptive Card 1.5 for Teams, with a text fallback. Buttons use Action.Execute (Universal
// Actions, the card is updated in place) and fall back to Action.Submit on older clients. Cards stay
// under 28 KB: breakdown rows, then sparklines, then whole figures are cut, saying what was left out.
import { encodeFollowUp, type FollowUp } from "../../bot/follow-up.ts";
import { formatChange, formatValue } from "../../bot/format.ts";
import { dimensionLabel, renderText, source } from "../../bot/render-text.ts";
import type { Reply } from "../../bot/reply.ts";
import { sparkline } from "../../bot/sparkline.ts";
import type { MetricResult, QueryAnswer } from "../../queries/result.ts";

export const CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";
export const MAX_CARD_BYTES = 28 * 1024;
/** The verb every button sends; its data says what to do. */
export const FOLLOW_UP_VERB = "aoai.followUp";

type Element = Record<string, unknown>;

export interface AdaptiveCard {
  readonly type: "AdaptiveCard";
  readonly $schema: string;
  readonly version: "1.5";
  readonly fallbackText: string;
  readonly body: Element[];
  readonly actions: Element[];
  readonly msteams?: { readonly width: "Full" };
}

interface Budget {
  readonly rows: number;
  readonly sparklines: boolean;
  readonly results: number;
}

const BUDGETS: readonly Budget[] = [
  { rows: 10, sparklines: true, results: 20 },
  { rows: 5, sparklines: true, results: 20 },
  { rows: 5, sparklines: false, results: 10 },
  { rows: 3, sparklines: false, results: 5 },
  { rows: 0, sparklines: false, results: 2 },
];

export function renderAdaptiveCard(reply: Reply, asked: string): AdaptiveCard {
  for (const budget of BUDGETS) {
    const card = build(reply, asked, budget);
    if (Buffer.byteLength(JSON.stringify(card)) <= MAX_CARD_BYTES) return card;
  }
  // only pathological text gets here (a notes or error text of tens of KB): send the gist
  return shell(clip(renderText(reply), 2000), [text(clip(renderText(reply), 8000))], []);
}

/** The "working…" state shown while Azure is queried; replaced in place by the answer card. */
export function workingText(asked: string): string {
  return `⏳ Working on "${clip(asked, 200)}"…`;
}

function build(reply: Reply, asked: string, budget: Budget): AdaptiveCard {
  switch (reply.kind) {
    case "help":
      return shell("Ask me how your Azure OpenAI deployments are doing.", [
        text("Ask me how your Azure OpenAI deployments are doing, for example:", { weight: "Bolder" }),
        text("Windows: 30m, 24h, 7d, today, yesterday, since 09:00 (default: last hour). Filters: a deployment name, model=, region=, status=. Splits: by deployment, by status code, top 3.", { isSubtle: true }),
        ...(reply.deployments.length > 0 ? [text(`Deployments: ${reply.deployments.join(", ")}`, { isSubtle: true, size: "Small" })] : []),
      ], reply.examples.slice(0, 6).map((e) => action(e, { kind: "ask", text: e })));
    case "error":
      return shell(reply.message, [
        text(`⚠️ ${reply.message}`, { weight: "Bolder", color: "Attention" }),
        ...(reply.hint ? [text(reply.hint)] : []),
        ...(reply.reference ? [text(`Reference: ${reply.reference}`, { isSubtle: true, size: "Small" })] : []),
        ...(reply.examples.length > 0 ? [text("Try one of these:", { isSubtle: true })] : []),
      ], reply.examples.slice(0, 6).map((e) => action(e, { kind: "ask", text: e })));
    case "answer":
      return answer(reply.answer, asked, reply.question.splitBy !== undefined, budget);
  }
}

function answer(a: QueryAnswer, asked: string, split: boolean, budget: Budget): AdaptiveCard {
  const multiResource = new Set(a.results.map((r) => r.resource.id)).size > 1;
  const body: Element[] = [text(`${a.topic} — ${a.window.label}`, { weight: "Bolder", size: "Medium" })];
  for (const r of a.results.slice(0, budget.results)) body.push(...result(r, multiResource, budget));
  if (a.results.length > budget.results) body.push(text(`… and ${a.results.length - budget.results} more figures (ask about fewer signals at once)`, { isSubtle: true }));
  for (const n of a.notes) body.push(text(n, { isSubtle: true, size: "Small" }));
  // DATE()/TIME() render in the viewer's own time zone
  body.push(text(`Window: {{DATE(${a.window.start}, SHORT)}} {{TIME(${a.window.start})}} – {{DATE(${a.window.end}, SHORT)}} {{TIME(${a.window.end})}} (your time) · ${a.window.start}/${a.window.end} UTC · compared with ${a.previousWindow.start}/${a.previousWindow.end}`, { isSubtle: true, size: "Small" }));
  const actions = [
    action("1h", { kind: "window", text: asked, minutes: 60 }),
    action("24h", { kind: "window", text: asked, minutes: 1440 }),
    action("7d", { kind: "window", text: asked, minutes: 10080 }),
    ...(split ? [] : [action("Split by deployment", { kind: "split", text: asked })]),
    action("Refresh", { kind: "refresh", text: asked }),
  ];
  const first = a.results[0];
  return shell(first ? `${a.topic}: ${first.label} ${formatValue(first.value, first.unit)} (${a.window.label})` : a.topic, body, actions);
}

function result(r: MetricResult, multiResource: boolean, budget: Budget): Element[] {
  const who = multiResource ? ` [${r.resource.name}]` : "";
  if (r.error) return [text(`**${r.label}${who}**: not available — Azure Monitor said ${r.error.code}: ${r.error.message}`), text(source(r), { isSubtle: true, size: "Small" })];
  const ch = formatChange(r.value, r.previous);
  const vs = r.value === null ? "(Azure Monitor returned no data points for this window)" : r.previous === null ? "no data in the previous window" : `${ch ?? ""} vs previous (${formatValue(r.previous, r.unit)})`;
  const out: Element[] = [text(`**${r.label}${who}**: **${formatValue(r.value, r.unit)}**  ${vs}`, { spacing: "Medium" })];
  const spark = sparkline(r.points.map((p) => p.value));
  if (budget.sparklines && spark.trim()) out.push(text(spark, { fontType: "Monospace", spacing: "None" }));
  if (r.splitBy !== undefined && budget.rows > 0) {
    const by = r.splitBy;
    const shown = r.series.slice(0, budget.rows);
    const more = r.hiddenSeries + r.series.length - shown.length;
    out.push({
      type: "Table",
      firstRowAsHeader: true,
      showGridLines: false,
      columns: [{ width: 3 }, { width: 2 }, { width: 2 }],
      rows: [
        row([dimensionLabel(by), r.label, "change"], true),
        ...shown.map((s) => row([s.dimensions[by] ?? "", formatValue(s.value, r.unit), formatChange(s.value, s.previous) ?? ""])),
      ],
    });
    if (more > 0) out.push(text(`… and ${more} more`, { isSubtle: true, spacing: "None" }));
  } else if (r.splitBy !== undefined) {
    const more = r.hiddenSeries + r.series.length;
    if (more > 0) out.push(text(`${more} ${dimensionLabel(r.splitBy)} rows left out to keep the card small`, { isSubtle: true }));
  }
  out.push(text(source(r), { isSubtle: true, size: "Small", spacing: "None" }));
  return out;
}

function row(cells: readonly string[], header = false): Element {
  return { type: "TableRow", cells: cells.map((c) => ({ type: "TableCell", items: [text(c, header ? { weight: "Bolder" } : {})] })) };
}

function action(title: string, f: FollowUp): Element {
  const data = { followUp: JSON.parse(encodeFollowUp(f) || "null") as unknown };
  return { type: "Action.Execute", title: clip(title, 60), verb: FOLLOW_UP_VERB, data, fallback: { type: "Action.Submit", title: clip(title, 60), data: { ...data, verb: FOLLOW_UP_VERB } } };
}

function text(value: string, options: Record<string, unknown> = {}): Element {
  return { type: "TextBlock", text: value, wrap: true, ...options };
}

function shell(fallbackText: string, body: Element[], actions: Element[]): AdaptiveCard {
  return { type: "AdaptiveCard", $schema: "http://adaptivecards.io/schemas/adaptive-card.json", version: "1.5", fallbackText: clip(fallbackText, 500), body, actions: actions.filter((a) => (a.data as { followUp: unknown }).followUp !== null), msteams: { width: "Full" } };
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
