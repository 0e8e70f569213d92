// Raw per-minute traffic a verdict test defines (calls and latency per deployment × status code),
// and the loopback Azure Monitor fake's replies built from it the way Azure Monitor builds them:
// split by `eq '*'`, filtered by `eq 'v'`, summed into the asked grain, minutes from `dataEnd` on
// not ingested yet. Tests compute expected figures from `cell()` directly, never with the bot's code.
import type { FakeHandler, RecordedRequest } from "../fakes/azure-monitor.ts";

export const RESOURCE = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-prod";
export const MIN = 60_000;

export interface Cell {
  readonly calls: number;
  /** Average time to response of these calls, ms. */
  readonly ms: number;
}

export interface Traffic {
  /** What the resource lists as its deployments (a listed one may have no calls at all). */
  readonly deployments: readonly string[];
  readonly codes: readonly string[];
  /** Calls of one deployment and status code in the minute starting at `t` (ms). */
  readonly cell: (deployment: string, code: string, t: number) => Cell;
  /** The first minute whose metrics have not arrived. */
  readonly dataEnd: Date;
}

/** Calls of the deployments and codes in [start, end), the arrived minutes only. */
export function calls(tr: Traffic, deployments: readonly string[], codes: readonly string[], start: Date, end: Date): number {
  let n = 0;
  for (let t = start.getTime(); t < Math.min(end.getTime(), tr.dataEnd.getTime()); t += MIN) for (const d of deployments) for (const c of codes) n += tr.cell(d, c, t).calls;
  return n;
}

/** Σ(calls × ms) ÷ Σcalls over [start, end): the window's average time to response. */
export function latency(tr: Traffic, deployments: readonly string[], codes: readonly string[], start: Date, end: Date): number {
  let n = 0;
  let weighted = 0;
  for (let t = start.getTime(); t < Math.min(end.getTime(), tr.dataEnd.getTime()); t += MIN) {
    for (const d of deployments) {
      for (const c of codes) {
        const x = tr.cell(d, c, t);
        n += x.calls;
        weighted += x.calls * x.ms;
      }
    }
  }
  return weighted / n;
}

const GRAIN_MINUTES: Readonly<Record<string, number>> = { PT1M: 1, PT5M: 5, PT15M: 15, PT30M: 30, PT1H: 60, PT6H: 360, PT12H: 720, P1D: 1440 };

function clauses(filter: string | undefined): Map<string, string[] | "*"> {
  const out = new Map<string, string[] | "*">();
  for (const m of (filter ?? "").matchAll(/(\w+) eq '([^']*)'/g)) {
    const [dim, value] = [m[1] ?? "", m[2] ?? ""];
    const had = out.get(dim);
    out.set(dim, value === "*" ? "*" : [...(Array.isArray(had) ? had : []), value]);
  }
  return out;
}

function entry(tr: Traffic, name: string, req: RecordedRequest) {
  const [start = 0, end = 0] = (req.query.timespan ?? "").split("/").map((s) => Date.parse(s));
  const grain = req.query.interval === "FULL" ? Math.ceil((end - start) / MIN) : (GRAIN_MINUTES[req.query.interval ?? "PT1M"] ?? 1);
  const c = clauses(req.query.$filter);
  const keeps = (dim: string, v: string) => {
    const want = c.get(dim);
    return want === undefined || want === "*" || want.some((w) => w.toLowerCase() === v.toLowerCase());
  };
  const splitDims = [...c.entries()].filter(([, v]) => v === "*").map(([d]) => d);
  const groups = new Map<string, { d: string; code: string }[]>();
  for (const d of tr.deployments) {
    for (const code of tr.codes) {
      if (!keeps("ModelDeploymentName", d) || !keeps("StatusCode", code)) continue;
      const key = splitDims.map((dim) => (dim === "ModelDeploymentName" ? d : code)).join("|");
      groups.set(key, [...(groups.get(key) ?? []), { d, code }]);
    }
  }
  const latencyMetric = name === "AzureOpenAITimeToResponse";
  const timeseries = [...groups.entries()].flatMap(([key, cells]) => {
    const data: Record<string, number | string>[] = [];
    let any = false;
    for (let b = start; b < end && b < tr.dataEnd.getTime(); b += grain * MIN) {
      let n = 0;
      let weighted = 0;
      for (let t = b; t < Math.min(b + grain * MIN, end, tr.dataEnd.getTime()); t += MIN) {
        for (const k of cells) {
          const x = tr.cell(k.d, k.code, t);
          n += x.calls;
          weighted += x.calls * x.ms;
        }
      }
      if (n > 0) any = true;
      const timeStamp = new Date(b).toISOString().replace(".000Z", "Z");
      data.push(latencyMetric ? (n > 0 ? { timeStamp, average: weighted / n, count: n } : { timeStamp, count: 0 }) : { timeStamp, total: n });
    }
    if (!any) return [];
    const values = key === "" ? [] : key.split("|");
    return [{ metadatavalues: splitDims.map((d, i) => ({ name: { value: d.toLowerCase(), localizedValue: d }, value: values[i] ?? "" })), data }];
  });
  return { id: `${RESOURCE}/providers/Microsoft.Insights/metrics/${name}`, type: "Microsoft.Insights/metrics", name: { value: name, localizedValue: name }, unit: latencyMetric ? "MilliSeconds" : "Count", errorCode: "Success", timeseries };
}

const SERVED = new Set(["AzureOpenAIRequests", "AzureOpenAITimeToResponse"]);

/** The fake's handler for this traffic: the deployment lookup, and every Metrics - List. */
export function trafficHandler(tr: Traffic): FakeHandler {
  return (req) => {
    if (req.query.resultType === "Metadata") {
      const timeseries = tr.deployments.map((d) => ({ metadatavalues: [{ name: { value: "modeldeploymentname", localizedValue: "ModelDeploymentName" }, value: d }], data: [] }));
      return { status: 200, body: { timespan: req.query.timespan ?? "", value: [{ name: { value: "AzureOpenAIRequests", localizedValue: "AzureOpenAIRequests" }, unit: "Count", errorCode: "Success", timeseries }] } };
    }
    const names = (req.query.metricnames ?? "").split(",");
    const value = names.map((n) => (SERVED.has(n) ? entry(tr, n, req) : { name: { value: n, localizedValue: n }, unit: "Count", errorCode: "Success", timeseries: [] }));
    return { status: 200, body: { timespan: req.query.timespan, interval: req.query.interval, value } };
  };
}
