// "logs": questions answered from the resource logs (Log Analytics). "logs <question>" asks the logs
// even where metrics would answer ("logs top error codes today"); the parser reads the leading word
// (table-parse.ts), so `aoai ask "logs sample"` means the same. A bare "logs" lists what can be asked.
import { composeReply } from "../compose.ts";
import { message, type Message } from "../message.ts";
import type { Command } from "./command.ts";

/** The built-in log questions, as people type them: each reads as one of the vetted KQL templates. */
export const LOG_QUESTIONS: readonly string[] = [
  "logs sample",
  "logs metrics",
  "last 10 failed requests for gpt-4o-mini",
  "top callers today",
  "logs top error codes today",
  "429s in the logs last hour",
  "p95 latency for gpt-4o last 24h",
  "are logs arriving for gpt-4o?",
];

export const LOGS_USAGE: readonly string[] = [
  "Logs: `logs <question>` asks the resource logs (Log Analytics), e.g. `logs sample`, `logs metrics`, `last 10 failed requests`, `top callers today`, `logs top error codes today`, `are logs arriving for gpt-4o?` (default: last hour).",
  "Changes and quota: `what changed today?`, `who changed gpt-4o this week?` (activity log), `quota`, `how close is gpt-4o to its limit?` (default: last 24 hours).",
];

export function logsCommand(): Command {
  return {
    name: "logs",
    words: ["logs"],
    waitsOnAzure: true,
    access: "logs",
    usage: LOGS_USAGE,
    run: async ({ text, args, place, bot }) => (args === "" ? logsUsage() : composeReply(await bot.ask(text, place), text)),
  };
}

function logsUsage(): Message {
  return message("notice", "info", "Ask the resource logs", {
    lines: [
      "`logs <question>` answers from the resource logs in Log Analytics, with vetted queries: latency percentiles, errors and 429s by deployment, top error codes, the last failed requests, top callers (IPs masked as Azure masks them), a sample of rows, and whether logs are arriving.",
      "Windows as in other questions (`today`, `24h`, `since 09:00`); the default is the last hour. The logs need a diagnostic setting sending them to a workspace: `doctor` checks it.",
    ],
    actionsTitle: "For example:",
    actions: LOG_QUESTIONS.map((q) => ({ label: q, followUp: { kind: "ask", text: q } })),
  });
}
