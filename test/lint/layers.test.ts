// The layer lint rule, run through ESLint's own API on the project's eslint.config.js. Type-aware
// rules are switched off for these virtual files (they are not in the TypeScript project); the
// layer rules are plain syntax rules and run as `npx eslint .` runs them.
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const eslint = new ESLint({ cwd: ROOT, overrideConfig: tseslint.configs.disableTypeChecked });

const LAYER_RULES = new Set(["no-restricted-imports", "no-restricted-syntax"]);

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === null || LAYER_RULES.has(m.ruleId)).map((m) => `${m.line}: ${m.message}`);
}

describe("layer directions", () => {
  it("stops the query layer importing bot, adapter, schedule, app, cli or demo code, or a chat SDK", async () => {
    const errors = await layerErrors("src/queries/new-query.ts", [
      'import { parse } from "../bot/parse.ts";',
      'import type { SlackAdapter } from "../adapters/slack/slack-app.ts";',
      'export { Schedule } from "../schedules/schedule.ts";',
      'import { loadConfig } from "../app/config.ts";',
      'import type { App } from "@slack/bolt";',
      'export const later = () => import("@microsoft/agents-hosting");',
      'export const demo = () => import("../demo/simulator.ts");',
      "export type { SlackAdapter, App };",
      "export const used = [parse, loadConfig];",
    ].join("\n"));
    expect(errors).toEqual([
      expect.stringMatching(/^1: '\.\.\/bot\/parse\.ts' import is restricted .*The query layer must not import src\/\{bot,adapters,schedules,app,cli,demo,charts\}/),
      expect.stringMatching(/^2: .*adapters\/slack.*The query layer must not import/),
      expect.stringMatching(/^3: .*schedules\/schedule\.ts.*The query layer must not import/),
      expect.stringMatching(/^4: .*app\/config\.ts.*The query layer must not import/),
      expect.stringMatching(/^5: '@slack\/bolt' import is restricted .*The query layer must not import a chat SDK/),
      expect.stringMatching(/^6: The query layer must not import a chat SDK/),
      expect.stringMatching(/^7: The query layer must not import src\//),
    ]);
  });

  it("stops the log and retry modules importing any layer (every layer imports them)", async () => {
    const errors = await layerErrors("src/log/new-sink.ts", ['import type { Bot } from "../bot/bot.ts";', 'import { keys } from "../store/keys.ts";', "export type { Bot };", "export const used = keys;"].join("\n"));
    expect(errors).toEqual([expect.stringMatching(/^1: .*The log and retry modules must not import src\/\{queries,bot,adapters,schedules,app,cli,demo,charts\}/)]);
  });

  it("stops the bot core importing adapter, schedule, app or cli code, or a chat SDK", async () => {
    const errors = await layerErrors("src/bot/new-command.ts", [
      'import { startSlack } from "../adapters/slack/slack-app.ts";',
      'import { runner } from "../schedules/runner.ts";',
      'import { main } from "../cli/main.ts";',
      'import { TurnContext } from "@microsoft/agents-hosting";',
      'import type { KnownBlock } from "@slack/types";',
      "export type { KnownBlock };",
      "export const used = [startSlack, runner, main, TurnContext];",
    ].join("\n"));
    expect(errors).toEqual([
      expect.stringMatching(/^1: .*The bot core must not import src\/\{adapters,schedules,app,cli,charts\}/),
      expect.stringMatching(/^2: .*The bot core must not import src\//),
      expect.stringMatching(/^3: .*The bot core must not import src\//),
      expect.stringMatching(/^4: .*The bot core must not import a chat SDK/),
      expect.stringMatching(/^5: .*The bot core must not import a chat SDK/),
    ]);
  });

  it("stops the schedule layer importing adapter code, also from a subfolder", async () => {
    const errors = await layerErrors("src/schedules/reports/new-report.ts", [
      'export * from "../../adapters/teams/teams-app.ts";',
      'import { WebClient } from "@slack/web-api";',
      "export const used = [WebClient];",
    ].join("\n"));
    expect(errors).toEqual([
      expect.stringMatching(/^1: .*The schedule layer must not import src\/\{adapters,charts\}/),
      expect.stringMatching(/^2: .*The schedule layer must not import a chat SDK/),
    ]);
  });

  it("keeps the chart renderer to the neutral Chart and units, and every core layer off it", async () => {
    const errors = await layerErrors("src/charts/new-chart.ts", [
      'import type { Chart } from "../bot/message.ts";',
      'import type { MetricUnit } from "../queries/catalog.ts";',
      'import type { Logger } from "../log/logger.ts";',
      'import { composeReply } from "../bot/compose.ts";',
      'import type { QueryAnswer } from "../queries/result.ts";',
      'export const later = () => import("../adapters/slack/sender.ts");',
      "export type { Chart, MetricUnit, Logger, QueryAnswer };",
      "export const used = [composeReply];",
    ].join("\n"));
    expect(errors).toEqual([
      expect.stringMatching(/^4: .*The chart renderer must not import src\/\{queries,bot,.*\} \(except bot\/message\.ts, queries\/catalog\.ts\)/),
      expect.stringMatching(/^5: .*queries\/result\.ts.*The chart renderer must not import/),
      expect.stringMatching(/^6: The chart renderer must not import src\//),
    ]);
    for (const file of ["src/bot/new-command.ts", "src/queries/new-query.ts", "src/schedules/new-report.ts"]) {
      expect(await layerErrors(file, ['import { renderChartPng } from "../charts/render-png.ts";', "export const used = renderChartPng;"].join("\n"))).toEqual([expect.stringMatching(/^1: .*must not import src\/\{.*charts/)]);
    }
    expect(await layerErrors("src/adapters/slack/new-view.ts", ['import { renderChartPng } from "../../charts/render-png.ts";', "export const used = renderChartPng;"].join("\n"))).toEqual([]);
  });

  it("lets each layer import what lies below it", async () => {
    expect(await layerErrors("src/queries/new-query.ts", [
      'import { metric } from "./catalog.ts";',
      'import { DateTime } from "luxon";',
      'import type { MetricsListOptionalParams } from "@azure/arm-monitor";',
      "export type { MetricsListOptionalParams };",
      "export const used = [metric, DateTime];",
    ].join("\n"))).toEqual([]);
    expect(await layerErrors("src/bot/new-command.ts", [
      'import { metric } from "../queries/catalog.ts";',
      'import { formatValue } from "./format.ts";',
      "export const used = [metric, formatValue];",
    ].join("\n"))).toEqual([]);
    expect(await layerErrors("src/schedules/reports/new-report.ts", [
      'import { formatValue } from "../../bot/format.ts";',
      'import type { Store } from "../../store/store.ts";',
      'import type { Report } from "../report.ts";',
      "export type { Store, Report };",
      "export const used = [formatValue];",
    ].join("\n"))).toEqual([]);
  });

  it("leaves the adapters free to use their SDKs and the bot core", async () => {
    expect(await layerErrors("src/adapters/slack/new-view.ts", [
      'import type { KnownBlock } from "@slack/types";',
      'import { formatValue } from "../../bot/format.ts";',
      "export type { KnownBlock };",
      "export const used = [formatValue];",
    ].join("\n"))).toEqual([]);
  });
});
