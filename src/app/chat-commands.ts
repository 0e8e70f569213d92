// The conversation's command rows that need the configuration: resource logs, raw KQL (for those an
// access rule or `kql.allowedUsers` allows: the conversation checks) and the prerequisites check. Every surface registers the same
// rows, so `kql` or `doctor` typed in Slack, Teams, the console or `aoai ask` does the same thing.
import type { Bot } from "../bot/bot.ts";
import type { Command } from "../bot/commands/command.ts";
import { doctorCommand } from "../bot/commands/doctor.ts";
import { kqlCommand } from "../bot/commands/kql.ts";
import { logsCommand } from "../bot/commands/logs.ts";
import type { Logger } from "../log/logger.ts";
import type { Config } from "./config.ts";

/** `_bot` is unused (each turn's command gets the turn's Bot view) and kept so callers need not change. */
export function tableCommands(_bot: Bot, config: Config, logger?: Logger): Command[] {
  return [logsCommand(), kqlCommand({ maxRows: config.kql.maxRows, ...(logger ? { logger } : {}) }), doctorCommand()];
}
