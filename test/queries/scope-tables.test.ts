// Table answers for an asker who may see only some deployments (scope.ts): log templates, log
// absence, the activity log, quota and doctor show only those, and what is sent (KQL, metric
// filters) is kept to them. The real query layer over the demo (simulator, simulated workspace,
// simulated Resource Manager); each restricted answer is set beside the unrestricted one, so the
// hidden rows are known to exist.
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/app/config.ts";
import { createQuerySource, type QuerySource } from "../../src/app/query-source.ts";
import { DEMO_RESOURCE_ID } from "../../src/demo/demo-resource.ts";
import { NotScopableError, NothingVisibleError, UnknownDeploymentError, UserError } from "../../src/queries/errors.ts";
import type { Resource } from "../../src/queries/resources.ts";
import { restrictResources } from "../../src/queries/scope.ts";
import type { MetricsRequest } from "../../src/queries/plan.ts";
import type { LogsRequest, TableAnswer } from "../../src/queries/table-answer.ts";
import type { LogQuestion, TableQuestion } from "../../src/queries/table-questions.ts";

const NOW = new Date("2026-12-01T14:30:00Z");
const HOUR = { kind: "absolute", start: "2026-12-01T10:00:00Z", end: "2026-12-01T11:00:00Z" } as const;
const SCOPE = { deployments: ["GPT-4O", "text-embedding-*"] };
const VISIBLE = ["gpt-4o", "text-embedding-3-large"];
const HIDDEN = /gpt-4o-mini|gpt-4o-ptu/;
const KQL_VISIBLE = '| where deployment in~ ("gpt-4o", "text-embedding-3-large")';

let source: QuerySource;
let all: Resource[];
let scoped: Resource[];

const logs = (template: LogQuestion["template"], over: Partial<LogQuestion> = {}): LogQuestion => ({ kind: "logs", template, topic: template, window: HOUR, deployments: [], notes: [], ...over });

/** The values of a column, as the table holds them. */
function column(answer: TableAnswer, name: string): unknown[] {
  const at = answer.table.columns.findIndex((c) => c.name === name);
  if (at < 0) throw new Error(`no column ${name} in ${answer.table.columns.map((c) => c.name).join(", ")}`);
  return answer.table.rows.map((r) => r[at]);
}

async function refusal(question: TableQuestion, resources: readonly Resource[] = scoped): Promise<UserError> {
  const err: unknown = await source.tables.answer(question, resources, NOW).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof UserError)) throw new Error(`expected a UserError, got ${String(err)}`);
  return err;
}

const metricFilters = (a: TableAnswer) => a.requests.filter((r): r is MetricsRequest => r.api === "metrics").map((r) => r.filter ?? "");
const kqlOf = (a: TableAnswer) => a.requests.filter((r): r is LogsRequest => r.api === "logs").map((r) => r.query);

beforeAll(async () => {
  source = createQuerySource(loadConfig({ env: {}, cwd: "/nonexistent" }), { source: "demo", now: NOW });
  all = await source.service.resources();
  scoped = restrictResources(all, SCOPE);
});

describe("log templates", () => {
  it("keeps errors by deployment to the visible deployments, in the KQL and in the rows", async () => {
    const open = await source.tables.answer(logs("errors-by-deployment"), all, NOW);
    const answer = await source.tables.answer(logs("errors-by-deployment"), scoped, NOW);
    expect(column(open, "deployment").join()).toMatch(HIDDEN);
    expect(column(answer, "deployment").length).toBeGreaterThan(0);
    expect(column(answer, "deployment").every((d) => typeof d === "string" && VISIBLE.includes(d))).toBe(true);
    expect(kqlOf(answer)).toHaveLength(1);
    expect(kqlOf(answer)[0]).toContain(KQL_VISIBLE);
    expect(kqlOf(open)[0]).not.toContain("deployment in~");
    expect(JSON.stringify({ ...answer, requests: [] })).not.toMatch(HIDDEN);
  });

  it("keeps the latency percentiles to a visible deployment asked by name, and refuses a hidden one as unknown", async () => {
    const answer = await source.tables.answer(logs("percentiles", { deployments: ["gpt-4o"] }), scoped, NOW);
    expect(new Set(column(answer, "deployment"))).toEqual(new Set(["gpt-4o"]));
    const err = await refusal(logs("percentiles", { deployments: ["gpt-4o-mini"] }));
    expect(err).toBeInstanceOf(UnknownDeploymentError);
    expect(err.hint).toBe("Known deployments: gpt-4o, text-embedding-3-large.");
  });

  it("refuses the templates without a deployment column and raw KQL, which can't be kept to the visible deployments", async () => {
    for (const q of [logs("sample"), logs("azure-metrics"), { kind: "kql", topic: "kql", query: "AzureDiagnostics | take 5", window: HOUR, notes: [] } satisfies TableQuestion]) {
      const err = await refusal(q);
      expect(err).toBeInstanceOf(NotScopableError);
      expect(err.message).toContain("can't be limited to the deployments you may see");
    }
    // unrestricted, the sample is answered
    expect((await source.tables.answer(logs("sample"), all, NOW)).table.rows.length).toBeGreaterThan(0);
  });

  it("judges log absence for the visible deployments only, metrics and KQL kept to them", async () => {
    const q = logs("absence", { silentMinutes: 60 });
    const open = await source.tables.answer(q, all, NOW);
    const answer = await source.tables.answer(q, scoped, NOW);
    expect(column(open, "deployment").join()).toMatch(HIDDEN);
    expect(column(answer, "deployment")).toEqual(expect.arrayContaining(VISIBLE));
    expect(column(answer, "deployment")).toHaveLength(2);
    expect(answer.lines.join("\n")).not.toMatch(HIDDEN);
    expect(metricFilters(answer).length).toBeGreaterThan(0);
    for (const f of metricFilters(answer)) expect(f).toContain("(ModelDeploymentName eq 'gpt-4o' or ModelDeploymentName eq 'text-embedding-3-large')");
    expect(kqlOf(answer)[0]).toContain('| where deployment in~ ("gpt-4o", "text-embedding-3-large")');
    // what --plan lists is what was sent
    expect((await source.tables.plan(q, scoped, NOW)).filter((r) => r.api !== "arm")).toEqual(answer.requests.filter((r) => r.api !== "arm"));
  });
});

describe("activity log", () => {
  const today = { kind: "activity", topic: "Changes", window: { kind: "today" }, deployments: [], notes: [] } as const;

  it("drops the events on hidden deployments, keeps the visible ones and the account's own", async () => {
    const open = await source.tables.answer(today, all, NOW);
    const answer = await source.tables.answer(today, scoped, NOW);
    expect(column(open, "deployment")).toContain("gpt-4o-mini");
    expect(column(answer, "deployment")).toContain("gpt-4o");
    expect(column(answer, "deployment").every((d) => d === null || VISIBLE.includes(d as string))).toBe(true);
    expect(answer.lines.join("\n")).not.toMatch(HIDDEN);
    expect(await refusal({ ...today, deployments: ["gpt-4o-mini"] })).toBeInstanceOf(UnknownDeploymentError);
  });

  it("leaves hidden deployments' events out of the line under a sharp change", async () => {
    const start = new Date("2026-12-01T00:00:00Z");
    const every = await source.tables.changesDuring([DEMO_RESOURCE_ID], start, NOW);
    const seen = await source.tables.changesDuring([DEMO_RESOURCE_ID], start, NOW, scoped);
    expect(every.some((e) => e.deployment === "gpt-4o-mini")).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((e) => e.deployment === undefined || VISIBLE.includes(e.deployment))).toBe(true);
    expect(await source.tables.changesDuring([DEMO_RESOURCE_ID], start, NOW, [])).toEqual([]);
  });
});

describe("quota", () => {
  const quota = { kind: "quota", topic: "Quota", window: { kind: "relative", minutes: 360 }, deployments: [], notes: [] } as const;

  it("shows the visible deployments only, their metrics asked for those only", async () => {
    const open = await source.tables.answer(quota, all, NOW);
    const answer = await source.tables.answer(quota, scoped, NOW);
    expect(column(open, "deployment").join()).toMatch(HIDDEN);
    expect([...column(answer, "deployment")].sort()).toEqual(VISIBLE);
    expect([...answer.lines, ...answer.notes].join("\n")).not.toMatch(HIDDEN);
    for (const f of metricFilters(answer)) {
      expect(f).toMatch(/^ModelDeploymentName eq '\*' and \(ModelDeploymentName eq 'gpt-4o' or ModelDeploymentName eq 'text-embedding-3-large'\)/);
    }
    const err = await refusal({ ...quota, deployments: ["gpt-4o-ptu"] });
    expect(err).toBeInstanceOf(UnknownDeploymentError);
    expect(`${err.message} ${err.hint ?? ""}`).not.toMatch(/gpt-4o-mini/);
  });

  it("refuses when the rule leaves no deployment of the resource", async () => {
    const err = await refusal(quota, restrictResources(all, { deployments: ["none"] }));
    expect(err).toBeInstanceOf(NothingVisibleError);
  });
});

describe("doctor", () => {
  it("checks only the resources given, counting the visible deployments; without them, every configured one", async () => {
    const open = await source.tables.doctor();
    const answer = await source.tables.doctor(scoped);
    const found = (a: TableAnswer) => String(a.table.rows.find((r) => r[1] === "Deployments readable")?.[3] ?? "");
    expect(found(open)).toMatch(/^4 deployments/);
    expect(found(answer)).toMatch(/^2 deployments/);
    expect(JSON.stringify(answer.table)).not.toMatch(HIDDEN);
    const none = await source.tables.doctor([]);
    expect(none.table.rows).toEqual([]);
    expect(JSON.stringify(none.table)).not.toContain("aoai");
  });
});
