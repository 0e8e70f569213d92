// Reply → Message: the one place the wording of answers, help, errors and the follow-up buttons is
// written. Every platform's renderer lays this Message out and never rewords it.
import { COMPARED_DIMENSIONS } from "../queries/plan.ts";
import type { Question } from "../queries/question.ts";
import type { MetricResult, QueryAnswer } from "../queries/result.ts";
import { formatMinutes } from "../queries/time-window.ts";
import type { FollowUp } from "./follow-up.ts";
import { dimensionLabel, formatValue, source } from "./format.ts";
import { formatFigureChange } from "./format-change.ts";
import { composeTable } from "./compose-table.ts";
import { chartsOf } from "./chart-of.ts";
import { composeLinks } from "./compose-links.ts";
import { traceOf } from "./compose-trace.ts";
import { message, TONE_ICON, type Action, type Figure, type Message, type Table } from "./message.ts";
import { sayVerdict, type Verdict } from "./verdict.ts";
import type { ErrorReply, Reply } from "./reply.ts";

export function composeReply(reply: Reply, asked: string): Message {
  return { ...composed(reply, asked), trace: traceOf(reply) };
}

function composed(reply: Reply, asked: string): Message {
  switch (reply.kind) {
    case "help":
      return help(reply.examples, reply.deployments);
    case "error":
      return failure(reply);
    case "answer": {
      const m = answer(reply.answer, asked, reply.question.splitBy !== undefined, reply.verdict);
      // a sharp change says what the activity log holds for the window; a log that could not be read is a note
      const activity = reply.activity?.kind === "events" ? [reply.activity.line] : [];
      const notes = reply.activity?.kind === "unread" ? [...m.notes, reply.activity.note] : m.notes;
      // every answer says what it understood, so a follow-up's merge (or a misreading) is visible
      return { ...m, lines: [...m.lines, ...activity, understood(reply.question, reply.answer)], notes };
    }
    case "table":
      return composeTable(reply.answer, { asked, question: reply.question });
  }
}

/** Shown while Azure is queried; replaced in place by the answer where the platform can. */
export function workingMessage(asked: string): Message {
  return message("working", "working", `Working on "${clip(asked, 200)}"…`);
}

/** Slack's ephemeral /aoai answers offer to post themselves for everyone. */
export function shareAction(asked: string): Action {
  return action("Share in channel", { kind: "share", text: asked });
}

const HELP_LINES = [
  "Windows: `30m`, `24h`, `7d`, `today`, `yesterday`, `since 09:00`, `between 10:00 and 11:00` (default: last hour).",
  "Filters: a deployment name, `model=`, `region=`, `api=`, `operation=`, `status=`, `stream=`. Splits: `by deployment`, `by status code`, `top 3`.",
  "In Slack, add `share` (`/aoai share latency`) to post the answer in the channel.",
];

function help(examples: readonly string[], deployments: readonly string[]): Message {
  return message("help", "info", "Ask me how your Azure OpenAI deployments are doing.", {
    lines: HELP_LINES,
    footnotes: deployments.length > 0 ? [`Deployments: ${deployments.map((d) => `\`${d}\``).join(", ")}`] : [],
    actionsTitle: "For example:",
    actions: examples.map((e) => action(e, { kind: "ask", text: e })),
  });
}

/** Refusals of what can't be answered yet offer the closest answerable questions. */
const INSTEAD_TITLE: Readonly<Record<string, string>> = { cannot_answer_yet: "Here is what I can:", unread_time: "Here is what I can:", no_prices: "Here is what I can:" };

function failure(reply: ErrorReply): Message {
  return message("error", "error", reply.message, {
    lines: reply.hint ? [reply.hint] : [],
    footnotes: reply.reference ? [`Reference: \`${reply.reference}\``] : [],
    ...(reply.examples.length > 0 ? { actionsTitle: INSTEAD_TITLE[reply.code] ?? "Try one of these:" } : {}),
    actions: reply.examples.map((e) => action(e, { kind: "ask", text: e })),
    ...(reply.reference ? { reference: reply.reference } : {}),
  });
}

function answer(a: QueryAnswer, asked: string, split: boolean, verdict?: Verdict): Message {
  const multiResource = new Set(a.results.map((r) => r.resource.id)).size > 1;
  const minutes = Math.round((Date.parse(a.window.end) - Date.parse(a.window.start)) / 60_000);
  // the baseline as the query layer chose it: "the previous hour", "the same time yesterday"
  const previous = a.baseline?.label ?? `previous ${formatMinutes(minutes)}`;
  const first = a.results[0];
  const local = first?.provenance.localWindow;
  // a health question leads with its verdict: one line naming what is off, then the figures it was judged on
  const said = verdict && sayVerdict(verdict);
  const lead = said && `${TONE_ICON[said.tone]} ${said.line}`;
  const charts = chartsOf(a);
  return message("answer", said?.tone ?? "info", `${a.topic} — ${a.window.label}`, {
    summary: lead ?? (first ? `${a.topic}: ${first.label} ${formatValue(first.value, first.unit)} (${a.window.label})` : a.topic),
    ...(said && lead ? { lines: [lead, ...said.details], footnotes: [said.rules] } : {}),
    figures: a.results.map((r) => figure(r, multiResource, previous)),
    ...(charts.length > 0 ? { charts } : {}),
    notes: a.notes,
    window: { start: a.window.start, end: a.window.end, compared: a.previousWindow, ...(local ? { local } : {}) },
    ...composeLinks(a.links),
    actions: followUps(asked, split),
  });
}

function figure(r: MetricResult, multiResource: boolean, previous: string): Figure {
  const label = `${r.label}${multiResource ? ` [${r.resource.name}]` : ""}`;
  if (r.error) return { label, value: null, unit: r.unit, text: "not available", baseline: "", source: source(r), error: `Azure Monitor said ${r.error.code}: ${r.error.message}` };
  const change = formatFigureChange(r.value, r.previous, r.unit);
  const baseline = r.value === null ? "(Azure Monitor returned no data points for this window)" : r.previous === null ? `no data in ${r.baseline?.label ?? "the previous window"}` : `vs ${r.baseline?.label ?? previous} (${formatValue(r.previous, r.unit)})`;
  return {
    label,
    value: r.value,
    unit: r.unit,
    text: formatValue(r.value, r.unit),
    ...(change !== undefined && r.value !== null ? { change } : {}),
    baseline,
    series: { label, unit: r.unit, points: r.points },
    ...(r.splitBy !== undefined ? { breakdown: breakdown(r) } : {}),
    source: source(r),
  };
}

function breakdown(r: MetricResult): Table {
  const by = r.splitBy ?? "ModelDeploymentName";
  return {
    title: `by ${dimensionLabel(by)}`,
    columns: [dimensionLabel(by), r.label, "change"],
    rows: r.series.map((s) => [s.dimensions[by] ?? "", formatValue(s.value, r.unit), formatFigureChange(s.value, s.previous, r.unit) ?? ""]),
    more: r.hiddenSeries,
    empty: "no series had data",
  };
}

function followUps(asked: string, split: boolean): Action[] {
  return [
    action("1h", { kind: "window", text: asked, minutes: 60 }),
    action("24h", { kind: "window", text: asked, minutes: 1440 }),
    action("7d", { kind: "window", text: asked, minutes: 10080 }),
    ...(split ? [] : [action("Split by deployment", { kind: "split", text: asked })]),
    action("Refresh", { kind: "refresh", text: asked }),
  ];
}

function action(label: string, followUp: FollowUp): Action {
  return { label, followUp };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** "Understood: Tokens · gpt-4o · yesterday (vs the day before) · by region": what was asked, in one line. */
export function understood(q: Question, a: QueryAnswer): string {
  const scope = (Object.entries(q.filters) as [keyof Question["filters"], readonly string[] | undefined][]).flatMap(([dim, values]) => {
    if (!values || values.length === 0) return [];
    // several deployments, models or regions are compared side by side (plan.ts), other values added up
    const joined = values.join((COMPARED_DIMENSIONS as readonly string[]).includes(dim) && q.splitBy !== dim ? " vs " : " or ");
    return [dim === "ModelDeploymentName" ? joined : `${dimensionLabel(dim)} ${joined}`];
  });
  const baseline = a.baseline ? ` (vs ${a.baseline.label})` : "";
  const split = q.splitBy === undefined ? [] : [`by ${dimensionLabel(q.splitBy)}${q.top === undefined ? "" : `, top ${String(q.top)}`}`];
  return `Understood: ${[a.topic, ...(scope.length > 0 ? scope : ["all deployments"]), `${a.window.label}${baseline}`, ...split].join(" · ")}`;
}
