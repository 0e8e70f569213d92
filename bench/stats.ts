// Small figures helpers of the bench: percentiles, medians of runs, a process's memory from /proc.
import { readFileSync } from "node:fs";

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export function median(values: readonly number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

/** p50 and p99 of one run's samples. */
export function spread(samples: readonly number[]): { p50: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

/** Each field the median over runs. */
export function medianOf<K extends string>(runs: readonly Record<K, number>[]): Record<K, number> {
  const first = runs[0];
  if (first === undefined) throw new Error("no runs");
  return Object.fromEntries(Object.keys(first).map((k) => [k, median(runs.map((r) => r[k as K]))])) as Record<K, number>;
}

/** Resident and peak resident memory (MiB) of a running process, as the kernel counts them. */
export function memoryOf(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { rssMiB: kb("VmRSS") / 1024, peakMiB: kb("VmHWM") / 1024 };
}

export const ms = (n: number, digits = 0) => `${n.toFixed(digits)} ms`;
