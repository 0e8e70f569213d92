// Answer latency with a slow Azure: questions whose windows differ (so no answer is another's),
// asked one after another on the demo with `latencyMs` per Azure request; the bot's overhead is
// the answer time over one Azure round trip (its requests run in parallel, so ideally ≈ 1×).
import { loadConfig } from "../src/app/config.ts";
import { createQuerySource } from "../src/app/query-source.ts";
import { Bot } from "../src/bot/bot.ts";
import { composeReply } from "../src/bot/compose.ts";
import { renderText } from "../src/bot/render-text.ts";
import { spread } from "./stats.ts";

const NOW = new Date("2026-11-29T10:00:00Z");
let asked = 0;

export async function answerLatency(latencyMs: number, answers: number): Promise<{ p50: number; p99: number; overhead: number }> {
  const source = createQuerySource(loadConfig({ env: {}, cwd: "/nonexistent" }), { source: "demo", now: NOW, demoLatencyMs: latencyMs });
  const bot = new Bot(source.service);
  await bot.ask("requests"); // deployment discovery and JIT, not part of any answer below
  const times: number[] = [];
  for (let i = 0; i < answers; i++) {
    const q = `latency gpt-4o last ${20 + (asked++ % 200)} minutes`;
    const t = performance.now();
    const reply = await bot.ask(q);
    renderText(composeReply(reply, q));
    times.push(performance.now() - t);
    if (reply.kind === "error") throw new Error(`"${q}": ${reply.message}`);
  }
  const s = spread(times);
  return { ...s, overhead: s.p50 / latencyMs };
}
