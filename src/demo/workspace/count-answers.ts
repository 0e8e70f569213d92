// The templates that summarise rows (percentiles, errors by deployment, error codes, callers,
// absence), computed from the synthesised rows without keeping them: a minute's counts are the
// metrics' own, and only what a template reads per row (a duration, a time, a caller) is drawn.
// Columns and ordering follow the KQL of log-templates.ts and absence-template.ts.
import type { Cell, ResultColumn, ResultTable } from "../../queries/table-answer.ts";
import { DEMO_RESOURCE_ID } from "../demo-resource.ts";
import { STREAM_TYPES } from "../minute-traffic.ts";
import { CELLS, cellStream, isSuccess, MinuteCalls, resultSignature, streamTypeName } from "./minute-calls.ts";
import { NearestRank } from "./nearest-rank.ts";
import { statusColumn, statusMatches } from "./template-params.ts";
import { rowInSpan, rowsInSpan, visibleSpan, walkMinutes, type Span } from "./window-walk.ts";
import type { WorkspaceRead } from "./workspace-read.ts";

const col = (name: string, type: ResultColumn["type"]): ResultColumn => ({ name, type });
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const iso = (ms: number): string => new Date(ms).toISOString();

function percentileColumn(p: number): string {
  return `p${String(p).replace(".", "_")}_ms`;
}

/** The span a read covers, or undefined when none of it has landed. */
function spanOf(q: WorkspaceRead, start: number = q.params.start): Span | undefined {
  return visibleSpan(start, q.params.end, q.landed);
}

/** p50/p95/p99 of DurationMs of successful calls, by deployment and stream type. */
export function percentiles(q: WorkspaceRead): ResultTable {
  const ps = q.params.percentiles;
  const columns = [col("deployment", "string"), col("streamType", "string"), col("calls", "long"), ...ps.map((p) => col(percentileColumn(p), "real"))];
  const span = spanOf(q);
  const rows: Cell[][] = [];
  for (const d of q.params.deployments) {
    const calls = new MinuteCalls(q.traffic, d);
    const groups = STREAM_TYPES.map(() => new NearestRank());
    if (span !== undefined) {
      walkMinutes(calls, span, (whole) => {
        for (let cell = 0; cell < CELLS; cell++) {
          if (!isSuccess(cell) || calls.count(cell) === 0) continue;
          if (q.params.streamType !== undefined && streamTypeName(cell) !== q.params.streamType) continue;
          const group = groups[cellStream(cell)];
          const durations = calls.durations(cell);
          for (let i = 0; i < durations.length; i++) if (whole || rowInSpan(calls, cell, i, span)) group?.add(durations[i] ?? 0);
        }
      });
    }
    groups.forEach((g, s) => {
      if (g.size > 0) rows.push([d.name, STREAM_TYPES[s] ?? "", g.size, ...g.percentiles(ps)]);
    });
  }
  rows.sort((a, b) => byText(String(a[0]), String(b[0])) || byText(String(a[1]), String(b[1])));
  return { columns, rows };
}

/** Calls, 429s, 4xx and 5xx by deployment (plus the asked status), most throttled first. */
export function errorsByDeployment(q: WorkspaceRead): ResultTable {
  const status = q.params.status;
  const columns = [col("deployment", "string"), col("calls", "long"), col("throttled_429", "long"), col("client_errors_4xx", "long"), col("server_errors_5xx", "long"), ...(status === undefined ? [] : [col(statusColumn(status), "long")])];
  const span = spanOf(q);
  const rows: number[][] = [];
  const names: string[] = [];
  for (const d of q.params.deployments) {
    const calls = new MinuteCalls(q.traffic, d);
    const tally = [0, 0, 0, 0, 0];
    if (span !== undefined) {
      walkMinutes(calls, span, (whole) => {
        for (let cell = 0; cell < CELLS; cell++) {
          const n = rowsInSpan(calls, cell, span, whole);
          if (n === 0) continue;
          const code = resultSignature(cell);
          tally[0] = (tally[0] ?? 0) + n;
          if (code === "429") tally[1] = (tally[1] ?? 0) + n;
          if (code.startsWith("4")) tally[2] = (tally[2] ?? 0) + n;
          if (code.startsWith("5")) tally[3] = (tally[3] ?? 0) + n;
          if (status !== undefined && statusMatches(status, code)) tally[4] = (tally[4] ?? 0) + n;
        }
      });
    }
    if ((tally[0] ?? 0) === 0) continue;
    names.push(d.name);
    rows.push(status === undefined ? tally.slice(0, 4) : tally);
  }
  const order = rows.map((r, i) => ({ r, name: names[i] ?? "" }));
  const desc = (k: number) => (a: { r: number[] }, b: { r: number[] }) => (b.r[k] ?? 0) - (a.r[k] ?? 0);
  order.sort((a, b) => (status === undefined ? 0 : desc(4)(a, b)) || desc(1)(a, b) || desc(3)(a, b) || desc(2)(a, b) || byText(a.name, b.name));
  return { columns, rows: order.map(({ r, name }) => [name, ...r]) };
}

/** Failed calls by ResultSignature with when each code was last seen, most frequent first. */
export function errorCodes(q: WorkspaceRead): ResultTable {
  const columns = [col("ResultSignature", "string"), col("calls", "long"), col("last_seen", "datetime")];
  const span = spanOf(q);
  const codes = new Map<string, { calls: number; last: number }>();
  for (const d of q.params.deployments) {
    if (span === undefined) break;
    const calls = new MinuteCalls(q.traffic, d);
    walkMinutes(calls, span, (whole) => {
      for (let cell = 0; cell < CELLS; cell++) {
        const n = calls.count(cell);
        const code = resultSignature(cell);
        if (n === 0 || isSuccess(cell) || !statusMatches(q.params.status, code)) continue;
        let k = 0;
        let last = -1;
        for (let i = 0; i < n; i++) {
          if (!whole && !rowInSpan(calls, cell, i, span)) continue;
          k++;
          last = Math.max(last, calls.offsetMs(cell, i));
        }
        if (k === 0) continue;
        const entry = codes.get(code) ?? { calls: 0, last: -Infinity };
        entry.calls += k;
        entry.last = Math.max(entry.last, calls.minuteMs + last);
        codes.set(code, entry);
      }
    });
  }
  const rows = [...codes].sort(([a, x], [b, y]) => y.calls - x.calls || byText(a, b)).slice(0, q.params.limit);
  return { columns, rows: rows.map(([code, e]) => [code, e.calls, iso(e.last)]) };
}

/** Calls, failed calls and 429s by (masked) caller address, busiest first. */
export function callers(q: WorkspaceRead): ResultTable {
  const columns = [col("CallerIPAddress", "string"), col("calls", "long"), col("errors", "long"), col("throttled_429", "long")];
  const span = spanOf(q);
  const tallies = new Map<string, [number, number, number]>();
  for (const d of q.params.deployments) {
    if (span === undefined) break;
    const calls = new MinuteCalls(q.traffic, d);
    const local = calls.callerAddresses.map((): [number, number, number] => [0, 0, 0]);
    walkMinutes(calls, span, (whole) => {
      for (let cell = 0; cell < CELLS; cell++) {
        const n = calls.count(cell);
        if (n === 0) continue;
        const failed = isSuccess(cell) ? 0 : 1;
        const throttled = resultSignature(cell) === "429" ? 1 : 0;
        for (let i = 0; i < n; i++) {
          if (!whole && !rowInSpan(calls, cell, i, span)) continue;
          const t = local[calls.caller(cell, i)];
          if (t === undefined) continue;
          t[0]++;
          t[1] += failed;
          t[2] += throttled;
        }
      }
    });
    calls.callerAddresses.forEach((address, i) => {
      const t = local[i];
      if (t === undefined || t[0] === 0) return;
      const sum = tallies.get(address) ?? [0, 0, 0];
      tallies.set(address, [sum[0] + t[0], sum[1] + t[1], sum[2] + t[2]]);
    });
  }
  const rows = [...tallies].sort(([a, x], [b, y]) => y[0] - x[0] || byText(a, b)).slice(0, q.params.limit);
  return { columns, rows: rows.map(([address, t]) => [address, ...t]) };
}

/** The newest row time of the deployment in the span, or undefined when it wrote none there. */
function lastRow(calls: MinuteCalls, span: Span): number | undefined {
  let found: number | undefined;
  walkMinutes(
    calls,
    span,
    (whole) => {
      for (let cell = 0; cell < CELLS; cell++) {
        const n = calls.count(cell);
        for (let i = 0; i < n; i++) {
          if (!whole && !rowInSpan(calls, cell, i, span)) continue;
          const at = calls.minuteMs + calls.offsetMs(cell, i);
          if (found === undefined || at > found) found = at;
        }
      }
      return found !== undefined;
    },
    true,
  );
  return found;
}

/** Rows per deployment in [start, end), and its newest row since `since` (absence-template.ts). */
export function absence(q: WorkspaceRead): ResultTable {
  const columns = [col("_ResourceId", "string"), col("deployment", "string"), col("rows", "long"), col("last_row", "datetime")];
  const span = spanOf(q);
  const lookback = spanOf(q, Math.min(q.params.since ?? q.params.start, q.params.start));
  const rows: Cell[][] = [];
  for (const d of q.params.deployments) {
    const calls = new MinuteCalls(q.traffic, d);
    const last = lookback === undefined ? undefined : lastRow(calls, lookback);
    if (last === undefined) continue;
    let n = 0;
    if (span !== undefined) {
      walkMinutes(calls, span, (whole) => {
        for (let cell = 0; cell < CELLS; cell++) n += rowsInSpan(calls, cell, span, whole);
      });
    }
    rows.push([DEMO_RESOURCE_ID.toLowerCase(), d.name, n, iso(last)]);
  }
  rows.sort((a, b) => byText(String(a[1]), String(b[1])));
  return { columns, rows };
}
