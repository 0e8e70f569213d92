// `node bench/charts.ts [renders] [renderer|in-process]`: what a chart costs, drawn as the bot draws
// it (renderer: in the renderer process, charts/renderer-process.ts) or in this process: ms per PNG
// (median of 100 after a warm-up), RSS before and after 1,000 renders (flat or not), this
// process's and the renderer's, and the bytes of a typical chart.
// The charts are the demo's own: latency by deployment over 24 h (4 lines × 96 points) and the
// daily summary's requests by deployment (bars).
import v8 from "node:v8";
import vm from "node:vm";
import { composeReply } from "../src/bot/compose.ts";
import type { Chart } from "../src/bot/message.ts";
import { PNG_HEIGHT, PNG_WIDTH } from "../src/charts/render-png.ts";
import { RendererProcess } from "../src/charts/renderer-process.ts";
import { demoBot } from "../test/scenarios/golden-questions.ts";
import { reportExamples } from "../test/schedules/report-examples.ts";

const RENDERS = Number(process.argv[2] ?? 1000);
const MODE = process.argv[3] ?? "renderer";
// recycled as in the bot: what it costs includes the restarts
const renderer = MODE === "renderer" ? new RendererProcess({ budgetMs: 10_000 }) : undefined;
const inProcess = renderer ? undefined : await import("../src/charts/render-png.ts");
const mb = (n: number) => Math.round(n / 1024 / 1024);
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;
/** RSS and heap after a full collection: what the renders kept. */
const kept = () => {
  gc();
  const m = process.memoryUsage();
  return { rssMb: mb(m.rss), heapMb: mb(m.heapUsed) };
};

const asked = "latency by deployment last 24h";
const [line] = composeReply(await demoBot().ask(asked), asked).charts ?? [];
const [bars] = (await reportExamples())["report-summary"].charts ?? [];
if (!line || !bars) throw new Error("the demo answer and summary carry charts");

async function png(chart: Chart): Promise<Buffer> {
  const out = renderer ? await renderer.render(chart) : await inProcess?.renderChartPng(chart, { budgetMs: 10_000 });
  if (!out) throw new Error(`${chart.title} did not render`);
  return out;
}

const first = performance.now();
const sample = await png(line);
const cold = performance.now() - first;
for (let i = 0; i < 20; i++) await png(line);

const times: number[] = [];
for (let i = 0; i < 100; i++) {
  const t = performance.now();
  await png(i % 2 === 0 ? line : bars);
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);

const before = process.memoryUsage().rss;
const keptBefore = kept();
const rss: number[] = [];
for (let i = 1; i <= RENDERS; i++) {
  await png(i % 2 === 0 ? line : bars);
  if (i % 100 === 0) rss.push(mb(process.memoryUsage().rss));
}
const after = process.memoryUsage().rss;
const keptAfter = kept();

const rendererMb = renderer?.rss === undefined ? undefined : mb(renderer.rss);
await renderer?.stop();
console.log(JSON.stringify({
  mode: MODE,
  png: `${PNG_WIDTH}×${PNG_HEIGHT}`,
  coldMs: Math.round(cold),
  medianMs: Math.round(times[50]! * 10) / 10,
  p95Ms: Math.round(times[95]! * 10) / 10,
  lineBytes: sample.length,
  barBytes: (await png(bars)).length,
  renders: RENDERS,
  rssMbBefore: mb(before),
  rssMbAfter: mb(after),
  rssMbEvery100: rss,
  afterGcBefore: keptBefore,
  afterGcAfter: keptAfter,
  rendererRssMbAtEnd: rendererMb,
}, null, 2));
