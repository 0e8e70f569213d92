// A change as people read it for the figure's unit: a percentage moves in percentage points
// (98 % → 60 % is "▼ −38.0 pp", not "−39 %"); everything else in relative percent (format.ts).
import type { MetricUnit } from "../queries/catalog.ts";
import { formatChange } from "./format.ts";

export function formatFigureChange(value: number | null, previous: number | null, unit: MetricUnit): string | undefined {
  if (unit !== "Percent") return formatChange(value, previous);
  if (value === null || previous === null) return undefined;
  const pp = value - previous;
  if (Math.abs(pp) < 0.05) return "= no change";
  return `${pp > 0 ? "▲ +" : "▼ −"}${Math.abs(pp).toFixed(1)} pp`;
}
