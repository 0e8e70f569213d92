// "How close are we to quota?": per deployment, its limits from Resource Manager (never an RPM-per-TPM
// ratio), the busiest minute of the window from metrics, that minute as a share of the limit, and the
// 429s; provisioned deployments show utilisation instead, spillover deployments how much spilled.
// Rows are sorted by how close they came to a limit; a deployment without data says so, never 0 %.
import { pointValue, windowValue, type RawPoint } from "./aggregate.ts";
import type { DeploymentLimits, DeploymentReader } from "./arm-readers.ts";
import type { MetricsResponse } from "./azure-metrics.ts";
import { peakMinute } from "./derived.ts";
import { resolveDeployment } from "./deployments.ts";
import { InvalidWindowError } from "./errors.ts";
import { findMetric, groupSeries } from "./figures.ts";
import { PEAK_MINUTE_MAX_WINDOW_MINUTES, type MetricsRequest } from "./plan.ts";
import { QUOTA_READS, quotaRequests, type QuotaRead, type QuotaRequest } from "./quota-requests.ts";
import type { Resource } from "./resources.ts";
import { queryable, showsDeployment } from "./scope.ts";
import type { ArmRequest, Cell, ResultColumn, TableAnswer } from "./table-answer.ts";
import type { QuotaQuestion } from "./table-questions.ts";
import { describeInZone, iso, resolveWindow, type ResolvedWindow } from "./time-window.ts";

export interface QuotaQueriesOptions {
  readonly deployments: DeploymentReader;
  /** AzureMetrics (or the demo's, over its simulator). */
  readonly metrics: { query(req: MetricsRequest): Promise<MetricsResponse> };
  readonly zone: string;
  readonly now?: () => Date;
}

/** Standard deployments' capacity is in units of 1,000 TPM (the definition of the unit, not a ratio). */
const TPM_PER_CAPACITY_UNIT = 1_000;

/** One deployment's row before it becomes cells. */
interface QuotaRow {
  readonly resource: Resource;
  readonly limits: DeploymentLimits;
  readonly tpmLimit: number | null;
  readonly tpmFromCapacity: boolean;
  readonly peakTokens: Peak;
  readonly tpmShare: number | null;
  readonly peakRequests: Peak;
  readonly rpmShare: number | null;
  readonly throttled: number | null;
  readonly utilisation: Peak;
  readonly utilisationAverage: number | null;
  readonly spilled: { readonly share: number; readonly spilled: number; readonly of: number } | null;
  /** The largest share of a limit (tokens, requests, PTU utilisation); null: no data at all. */
  readonly closeness: number | null;
}

interface Peak {
  readonly value: number | null;
  readonly at?: Date;
}

export class QuotaQueries {
  private readonly reader: DeploymentReader;
  private readonly metrics: QuotaQueriesOptions["metrics"];
  private readonly zone: string;
  private readonly now: () => Date;

  constructor(options: QuotaQueriesOptions) {
    this.reader = options.deployments;
    this.metrics = options.metrics;
    this.zone = options.zone;
    this.now = options.now ?? (() => new Date());
  }

  /** Deployments - List per resource (read here too: which metric requests follow depends on it), then the metric requests. */
  async plan(q: QuotaQuestion, resources: readonly Resource[], now = this.now()): Promise<(ArmRequest | MetricsRequest)[]> {
    const w = this.window(q, now);
    const limits = await this.limits(q, resources);
    return [...resources.map(deploymentsRequest), ...limits.flatMap(({ resource, list }) => quotaRequests(resource, list, w).map((r) => r.request))];
  }

  async answer(q: QuotaQuestion, resources: readonly Resource[], now = this.now()): Promise<TableAnswer> {
    const w = this.window(q, now);
    const limits = await this.limits(q, resources);
    const planned = limits.flatMap(({ resource, list }) => quotaRequests(resource, list, w));
    const responses = await Promise.all(planned.map(async (p) => ({ p, res: await this.metrics.query(p.request) })));
    const rows = limits.flatMap(({ resource, list }) => {
      const mine = responses.filter((r) => r.p.resource === resource);
      const read = (which: QuotaRead) => mine.find((r) => r.p.read === which);
      return list.map((l) => quotaRow(resource, l, read));
    });
    rows.sort((a, b) => (a.closeness === null ? 1 : 0) - (b.closeness === null ? 1 : 0) || (b.closeness ?? 0) - (a.closeness ?? 0) || a.limits.name.localeCompare(b.limits.name));
    const several = resources.length > 1;
    const columns = columnsFor(rows, several);
    return {
      kind: "quota",
      topic: q.topic,
      zone: this.zone,
      window: { start: iso(w.start), end: iso(w.end), label: w.label },
      table: { columns: columns.map((c) => c.column), rows: rows.map((r) => columns.map((c) => c.cell(r))) },
      shownRows: rows.length,
      ...(rows.length === 0 ? { empty: `No deployments on ${resources.map((r) => r.name).join(", ")}${q.deployments.length > 0 ? ` named ${q.deployments.join(", ")}` : ""}.` } : {}),
      lines: summaryLines(rows, this.zone),
      notes: [...q.notes, ...rowNotes(rows)],
      sources: [...resources.map((r) => `${r.name} · deployments.list · ${r.id} · sku.capacity, properties.rateLimits (count × 60 ÷ renewalPeriod per minute), properties.spilloverDeploymentName`), ...planned.map((p) => metricSource(p, w, this.zone))],
      requests: [...resources.map(deploymentsRequest), ...planned.map((p) => p.request)],
    };
  }

  /** Peaks read every PT1M point, so the window is at most a day. */
  private window(q: QuotaQuestion, now: Date): ResolvedWindow {
    const w = resolveWindow(q.window, now, this.zone);
    if (w.end.getTime() - w.start.getTime() > PEAK_MINUTE_MAX_WINDOW_MINUTES * 60_000) {
      throw new InvalidWindowError("Quota compares each deployment's busiest minute with its per-minute limits, so it reads every minute of the window: up to 24 hours.", {
        hint: 'Ask for 24 h or less, e.g. "how close to quota today" or "quota last 6h".',
      });
    }
    return w;
  }

  /**
   * Each resource's deployments, only the asked ones when some are named (an unknown name is said,
   * with the known ones). For an asker who may see only some deployments, only those: a hidden one
   * is neither a row nor a known name, and a spillover target they may not see is not named.
   */
  private async limits(q: QuotaQuestion, resources: readonly Resource[]): Promise<{ resource: Resource; list: DeploymentLimits[] }[]> {
    const all = await Promise.all(queryable(resources).map(async (resource) => ({ resource, list: (await this.reader.list(resource.id)).filter((l) => showsDeployment(resource, l.name)).map((l) => withoutHiddenSpillover(resource, l)) })));
    if (q.deployments.length === 0) return all;
    const known = [...new Set(all.flatMap((a) => a.list.map((l) => l.name)))];
    const wanted = new Set(q.deployments.map((d) => resolveDeployment(d, known).toLowerCase()));
    return all.map((a) => ({ ...a, list: a.list.filter((l) => wanted.has(l.name.toLowerCase())) }));
  }
}

function withoutHiddenSpillover(resource: Resource, limits: DeploymentLimits): DeploymentLimits {
  if (limits.spilloverDeploymentName === undefined || showsDeployment(resource, limits.spilloverDeploymentName)) return limits;
  const shown: { -readonly [K in keyof DeploymentLimits]: DeploymentLimits[K] } = { ...limits };
  delete shown.spilloverDeploymentName;
  return shown;
}

function deploymentsRequest(r: Resource): ArmRequest {
  return { api: "arm", operation: "deployments.list", scope: r.id };
}

type Read = (which: QuotaRead) => { p: QuotaRequest; res: MetricsResponse } | undefined;

function quotaRow(resource: Resource, limits: DeploymentLimits, read: Read): QuotaRow {
  const points = (which: QuotaRead, metricIndex = 0, name = limits.name): RawPoint[] => {
    const got = read(which);
    if (got === undefined) return [];
    const metricName = got.p.request.metricnames.split(",")[metricIndex]!;
    const entry = findMetric(got.res, metricName);
    if (entry === undefined || (entry.errorCode !== undefined && entry.errorCode !== "Success")) return [];
    const byDeployment = groupSeries(entry.timeseries, undefined, "ModelDeploymentName");
    const key = [...byDeployment.keys()].find((k) => k.toLowerCase() === name.toLowerCase());
    return key === undefined ? [] : byDeployment.get(key)!;
  };
  const total = (pts: readonly RawPoint[]) => windowValue(pts, "Total").value;
  const tokens = points("usage", 0);
  const requests = points("usage", 1);
  const requestTotal = total(requests);
  const peakTokens = peak(tokens, "Total");
  const peakRequests = peak(requests, "Total");
  const fromCapacity = limits.tokensPerMinute === undefined && !limits.provisioned && limits.capacity !== undefined;
  const tpmLimit = limits.tokensPerMinute ?? (fromCapacity ? limits.capacity * TPM_PER_CAPACITY_UNIT : null);
  const rpmLimit = limits.requestsPerMinute ?? null;
  // a deployment that had requests but no 429 series had no 429s; without requests there is nothing to count
  const throttledTotal = total(points("throttled"));
  const utilisation = limits.provisioned ? peak(points("utilisation"), "Maximum") : { value: null };
  const averages = limits.provisioned ? points("utilisation").map((p) => pointValue(p, "Average")).filter((v): v is number => v !== null) : [];
  const tpmShare = limits.provisioned ? null : shareOf(peakTokens.value, tpmLimit);
  const rpmShare = shareOf(peakRequests.value, rpmLimit);
  const shares = [tpmShare, rpmShare, round1(utilisation.value)].filter((v): v is number => v !== null);
  return {
    resource,
    limits,
    tpmLimit,
    tpmFromCapacity: fromCapacity,
    peakTokens,
    tpmShare,
    peakRequests,
    rpmShare,
    throttled: throttledTotal ?? (requestTotal !== null ? 0 : null),
    utilisation,
    utilisationAverage: averages.length > 0 ? round1(averages.reduce((s, v) => s + v, 0) / averages.length) : null,
    spilled: limits.spilloverDeploymentName === undefined ? null : spilledShare(total(points("spillover")), total(points("spillover", 0, limits.spilloverDeploymentName)), requestTotal),
    closeness: shares.length > 0 ? Math.max(...shares) : null,
  };
}

function peak(points: readonly RawPoint[], aggregation: "Total" | "Maximum"): Peak {
  const d = peakMinute(points, aggregation);
  return d.peakAt === undefined ? { value: d.value } : { value: d.value, at: d.peakAt };
}

/**
 * Spilled requests may be counted under the provisioned deployment (IsSpillover 'true') or under
 * the standard one that served them: either way the share is of everything sent to the provisioned one.
 */
function spilledShare(underOwn: number | null, underTarget: number | null, ownRequests: number | null): QuotaRow["spilled"] {
  if (underOwn === null && underTarget === null && ownRequests === null) return null;
  const spilled = (underOwn ?? 0) + (underTarget ?? 0);
  const of = (ownRequests ?? 0) + (underTarget ?? 0);
  return of > 0 ? { share: round1((spilled / of) * 100)!, spilled, of } : null;
}

function shareOf(value: number | null, limit: number | null): number | null {
  return value === null || limit === null || limit <= 0 ? null : round1((value / limit) * 100);
}

function round1(v: number | null): number | null {
  return v === null ? null : Math.round(v * 10) / 10;
}

interface QuotaColumn {
  readonly column: ResultColumn;
  readonly cell: (r: QuotaRow) => Cell;
  /** Shown only when some row has a use for it. */
  readonly when?: (rows: readonly QuotaRow[]) => boolean;
}

const QUOTA_COLUMNS: readonly QuotaColumn[] = [
  { column: { name: "deployment", type: "string" }, cell: (r) => r.limits.name },
  { column: { name: "sku", type: "string" }, cell: (r) => r.limits.sku },
  { column: { name: "TPM limit", type: "long" }, cell: (r) => r.tpmLimit },
  { column: { name: "peak tokens/min", type: "long" }, cell: (r) => r.peakTokens.value },
  { column: { name: "% of TPM", type: "real" }, cell: (r) => r.tpmShare },
  { column: { name: "RPM limit", type: "long" }, cell: (r) => r.limits.requestsPerMinute ?? null },
  { column: { name: "peak requests/min", type: "long" }, cell: (r) => r.peakRequests.value },
  { column: { name: "% of RPM", type: "real" }, cell: (r) => r.rpmShare },
  { column: { name: "429s", type: "long" }, cell: (r) => r.throttled },
  { column: { name: "PTU utilisation peak %", type: "real" }, cell: (r) => round1(r.utilisation.value), when: (rows) => rows.some((r) => r.limits.provisioned) },
  { column: { name: "spillover %", type: "real" }, cell: (r) => r.spilled?.share ?? null, when: (rows) => rows.some((r) => r.limits.spilloverDeploymentName !== undefined) },
];

const RESOURCE_COLUMN: QuotaColumn = { column: { name: "resource", type: "string" }, cell: (r) => r.resource.name };

function columnsFor(rows: readonly QuotaRow[], several: boolean): QuotaColumn[] {
  return [...QUOTA_COLUMNS.filter((c) => c.when === undefined || c.when(rows)), ...(several ? [RESOURCE_COLUMN] : [])];
}

/** The closest row in words, the 429s, and the spilled shares. */
function summaryLines(rows: readonly QuotaRow[], zone: string): string[] {
  const lines: string[] = [];
  const closest = rows[0];
  if (closest !== undefined && closest.closeness !== null) lines.push(`${closest.limits.name} came closest to a limit: ${closestPart(closest, zone)}.`);
  const throttled = rows.filter((r) => (r.throttled ?? 0) > 0).sort((a, b) => (b.throttled ?? 0) - (a.throttled ?? 0));
  if (throttled.length > 0) lines.push(`Throttled (429): ${throttled.map((r) => `${r.limits.name} ${fmt(r.throttled!)}`).join(", ")}.`);
  for (const r of rows) {
    if (r.spilled !== null && r.spilled.spilled > 0) lines.push(`${r.limits.name} sent ${fmt(r.spilled.share)} % of its requests (${fmt(r.spilled.spilled)} of ${fmt(r.spilled.of)}) to ${r.limits.spilloverDeploymentName!} (spillover).`);
  }
  return lines;
}

function closestPart(r: QuotaRow, zone: string): string {
  const parts: { share: number; text: string }[] = [];
  if (r.tpmShare !== null) parts.push({ share: r.tpmShare, text: `peak 1-minute tokens ${fmt(r.peakTokens.value!)} of ${fmt(r.tpmLimit!)} TPM (${fmt(r.tpmShare)} %)${minute(r.peakTokens.at, zone)}` });
  if (r.rpmShare !== null) parts.push({ share: r.rpmShare, text: `peak 1-minute requests ${fmt(r.peakRequests.value!)} of ${fmt(r.limits.requestsPerMinute!)} RPM (${fmt(r.rpmShare)} %)${minute(r.peakRequests.at, zone)}` });
  if (r.utilisation.value !== null) parts.push({ share: r.utilisation.value, text: `PTU utilisation peaked at ${fmt(round1(r.utilisation.value)!)} %${minute(r.utilisation.at, zone)}${r.utilisationAverage === null ? "" : `, ${fmt(r.utilisationAverage)} % on average`}` });
  return parts.sort((a, b) => b.share - a.share)[0]!.text;
}

/** What a reader needs to trust the row: no data is not 0 %, a limit taken from capacity, how RPM is enforced. */
function rowNotes(rows: readonly QuotaRow[]): string[] {
  const notes: string[] = [];
  const silent = rows.filter((r) => r.closeness === null && r.peakTokens.value === null && r.peakRequests.value === null);
  if (silent.length > 0) notes.push(`No metric data in the window for ${silent.map((r) => r.limits.name).join(", ")}: shown as no data, not 0 %.`);
  const fromCapacity = rows.filter((r) => r.tpmFromCapacity);
  if (fromCapacity.length > 0) notes.push(`Azure sent no token rate limit for ${fromCapacity.map((r) => r.limits.name).join(", ")}: its TPM limit is sku.capacity × 1,000.`);
  const noLimit = rows.filter((r) => !r.limits.provisioned && r.limits.requestsPerMinute === undefined);
  if (noLimit.length > 0) notes.push(`Azure sent no request rate limit for ${noLimit.map((r) => r.limits.name).join(", ")}, so no RPM share is shown (the bot never derives RPM from TPM).`);
  if (rows.some((r) => r.rpmShare !== null)) notes.push("Azure enforces request limits over short periods (1 or 10 seconds): a minute under its RPM limit can still see 429s when requests come in bursts.");
  if (rows.some((r) => r.limits.provisioned)) notes.push("Provisioned deployments have no TPM limit: their PTU utilisation is shown instead; at 100 % they answer 429 (or spill over).");
  return notes;
}

function metricSource(p: QuotaRequest, w: ResolvedWindow, zone: string): string {
  const r = p.request;
  return `${p.resource.name} · ${r.metricnames} · ${r.aggregation} · ${r.interval} · ${r.filter ?? "no filter"} · ${r.timespan} (${describeInZone(w, zone)}) · ${QUOTA_READS[p.read]}`;
}

function minute(at: Date | undefined, zone: string): string {
  return at === undefined ? "" : ` in the minute from ${describeInZone({ start: at, end: at }, zone).replace(/–\S+/, "")}`;
}

function fmt(v: number): string {
  return v.toLocaleString("en-US", { maximumFractionDigits: v >= 100 ? 0 : 1 });
}
