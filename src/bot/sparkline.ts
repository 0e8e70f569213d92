// Unicode sparkline: the text stand-in for a chart in every renderer. Gaps (no data) stay blank.

const BLOCKS = "▁▂▃▄▅▆▇█";
export const SPARKLINE_WIDTH = 48;

export function sparkline(values: readonly (number | null)[], width = SPARKLINE_WIDTH): string {
  const buckets = downsample(values, width);
  const present = buckets.filter((v): v is number => v !== null);
  if (present.length === 0) return "";
  const lo = Math.min(...present);
  const span = Math.max(...present) - lo;
  return buckets
    .map((v) => {
      if (v === null) return " ";
      if (span === 0) return BLOCKS[0];
      return BLOCKS[Math.min(7, Math.floor(((v - lo) / span) * 8))];
    })
    .join("");
}

/** Averages neighbouring points into at most `width` buckets; a bucket with no data stays null. */
function downsample(values: readonly (number | null)[], width: number): (number | null)[] {
  if (values.length <= width) return [...values];
  const out: (number | null)[] = [];
  for (let b = 0; b < width; b++) {
    const slice = values.slice(Math.floor((b * values.length) / width), Math.floor(((b + 1) * values.length) / width)).filter((v): v is number => v !== null);
    out.push(slice.length === 0 ? null : slice.reduce((s, v) => s + v, 0) / slice.length);
  }
  return out;
}
