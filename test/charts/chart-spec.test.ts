import { describe, expect, it } from "vitest";
import { logger as vegaLogger, Warn } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { CHART_HEIGHT, CHART_WIDTH, chartSpec, FONT } from "../../src/charts/chart-spec.ts";
import { OTHER_COLOUR, SERIES_COLOURS } from "../../src/charts/palette.ts";
import { timeTicks } from "../../src/charts/time-ticks.ts";
import { BARS, DST_DAY, LINES, manyLines, ONE_LINE } from "./chart-examples.ts";

/** The parts of a spec a test looks into, read as plain JSON. */
interface Json {
  readonly [key: string]: Json | undefined;
}
const json = (spec: TopLevelSpec): Json => JSON.parse(JSON.stringify(spec)) as Json;
const golden = (spec: TopLevelSpec) => `${JSON.stringify(spec, null, 2)}\n`;

/** What vega-lite warns about while compiling (an unknown channel, a dropped field). */
function compileWarnings(spec: TopLevelSpec): string[] {
  const said: string[] = [];
  compile(spec, { logger: vegaLogger(Warn, undefined, (_m, _l, args) => said.push(args.map(String).join(" "))) });
  return said;
}

describe("chart specs", () => {
  it("pins a line chart: one line per series, gaps where no data, a dot for a lone minute, other grey and dashed", async () => {
    await expect(golden(chartSpec(LINES))).toMatchFileSnapshot("__golden__/line.json");
  });

  it("pins a bar chart: horizontal, in the given order, no data written as such, other grey", async () => {
    await expect(golden(chartSpec(BARS))).toMatchFileSnapshot("__golden__/bar.json");
  });

  it("compiles without a warning", () => {
    for (const chart of [LINES, ONE_LINE, BARS, DST_DAY, manyLines(8)]) expect(compileWarnings(chartSpec(chart))).toEqual([]);
  });

  it("is a fixed size in DejaVu Sans, with the title, the caption as subtitle and the unit on the value axis", () => {
    const s = json(chartSpec(LINES));
    expect([s.width, s.height, s.autosize]).toEqual([CHART_WIDTH, CHART_HEIGHT, { type: "fit", contains: "padding" }]);
    expect(s.config?.font).toBe(FONT);
    expect(s.title).toEqual({ text: LINES.title, subtitle: [LINES.caption] });
    expect(s.encoding?.y?.axis?.title).toBe("ms");
    expect(json(chartSpec(BARS)).layer?.[0]?.encoding?.x?.axis?.title).toBe("%");
  });

  it("labels the time axis in the chart's zone, not the server's: 09:00 UTC is 10:00 in Berlin", () => {
    const x = json(chartSpec(LINES)).encoding?.x;
    const utc = ["09:00", "09:10", "09:20", "09:30", "09:40", "09:50", "10:00"].map((t) => Date.parse(`2026-11-29T${t}:00Z`));
    expect(x?.scale?.type).toBe("utc");
    expect(x?.axis?.values).toEqual(utc);
    expect(x?.axis?.labelExpr).toBe(`${JSON.stringify(Object.fromEntries(utc.map((t, i) => [String(t), ["10:00", "10:10", "10:20", "10:30", "10:40", "10:50", "11:00"][i]])))}[time(datum.value)]`);
  });

  it("keeps wall-clock ticks on a DST day: 06:00 comes seven hours after midnight when the clocks go back", () => {
    const ticks = timeTicks(Date.parse("2026-10-24T22:00:00Z"), Date.parse("2026-10-25T23:00:00Z"), "Europe/Berlin");
    expect(ticks.map((t) => t.label)).toEqual(["Sun 25", "06:00", "12:00", "18:00", "Mon 26"]);
    expect((ticks[1]!.at - ticks[0]!.at) / 3_600_000).toBe(7);
    expect((ticks[2]!.at - ticks[1]!.at) / 3_600_000).toBe(6);
  });

  it("keeps at most 8 ticks whatever the window, on round local times", () => {
    const day = 86_400_000;
    for (const span of [5 * 60_000, 3_600_000, day, 7 * day, 30 * day]) {
      const ticks = timeTicks(Date.parse("2026-11-29T09:00:00Z") - span, Date.parse("2026-11-29T09:00:00Z"), "America/New_York");
      expect(ticks.length).toBeGreaterThanOrEqual(2);
      expect(ticks.length).toBeLessThanOrEqual(8);
    }
    expect(timeTicks(Date.parse("2026-11-22T09:00:00Z"), Date.parse("2026-11-29T09:00:00Z"), "UTC").map((t) => t.label)).toEqual(["Mon 23", "Tue 24", "Wed 25", "Thu 26", "Fri 27", "Sat 28", "Sun 29"]);
  });

  it("colours series with Okabe–Ito in order, and 'other' grey whatever its place", () => {
    const colour = (spec: TopLevelSpec) => json(spec).encoding?.color?.scale;
    expect(colour(chartSpec(manyLines(8)))).toEqual({ domain: Array.from({ length: 8 }, (_, i) => `deployment-${i + 1}`), range: [...SERIES_COLOURS] });
    expect(colour(chartSpec(LINES))?.range).toEqual([SERIES_COLOURS[0], SERIES_COLOURS[1], OTHER_COLOUR]);
  });

  it("draws no legend for a single line, and writes 0 on a count axis as 0 (not 0k)", () => {
    const s = json(chartSpec(ONE_LINE));
    expect(s.encoding?.color?.legend).toBeNull();
    expect(s.encoding?.y?.axis).toMatchObject({ format: "~s", labelExpr: "datum.value === 0 ? '0' : datum.label", tickMinStep: 1 });
  });

  it("gives a flat line (all 0: no 429s) an axis from 0 to 1 instead of a NaN tick", () => {
    const zeros = { ...ONE_LINE, series: [{ label: "429s", points: ONE_LINE.series[0]!.points.map((p) => ({ ...p, value: 0 })) }] };
    expect(json(chartSpec(zeros)).encoding?.y?.scale?.domain).toEqual([0, 1]);
  });

  it("wraps a long caption at its ' · ' parts and keeps series labels distinct", () => {
    const s = json(chartSpec({ ...LINES, caption: `${LINES.caption} · 8 of 12 drawn; the other 4 are left out (averages don't add up)`, series: [LINES.series[0]!, LINES.series[0]!] }));
    expect(s.title?.subtitle).toEqual(["Sun 29 Nov 10:00–11:00 Europe/Berlin · AzureOpenAITimeToResponse · Average · PT15M", "8 of 12 drawn; the other 4 are left out (averages don't add up)"]);
    expect(s.encoding?.color?.scale?.domain).toEqual(["gpt-4o", "gpt-4o (2)"]);
  });
});
