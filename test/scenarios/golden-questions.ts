// The representative answers every platform keeps a golden copy of, asked of the demo at one fixed time.
import { loadConfig } from "../../src/app/config.ts";
import { createQuerySource } from "../../src/app/query-source.ts";
import { Bot } from "../../src/bot/bot.ts";

export const GOLDEN_QUESTIONS = [
  ["single-figure", "latency gpt-4o 24h"],
  ["split-table", "tokens by deployment 7d"],
  ["no-data", "content filter blocks for text-embedding-3-large"],
  ["error", "latency deployment=gpt-5"],
  ["help", "help"],
] as const;

export function demoBot(now = new Date("2026-11-29T10:00:00Z")): Bot {
  return new Bot(createQuerySource(loadConfig({ env: {}, cwd: "/nonexistent" }), { source: "demo", now }).service);
}
