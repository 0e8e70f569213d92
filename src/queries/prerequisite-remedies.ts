// What `doctor` tells a person to do about a missing prerequisite: which role to assign on which
// scope, which diagnostic setting to create, and the `az` command line for it. Text only: the
// checks (prerequisite-checks.ts) decide when each applies.
import { isRestError } from "@azure/core-rest-pipeline";
import { UserError } from "./errors.ts";
import { resourceName } from "./resources.ts";

export interface Remedy {
  /** Short, for the table: "Assign Monitoring Reader on aoai-prod". */
  readonly summary: string;
  /** In full: the role and scope, or the setting and its cost. */
  readonly steps: string;
  /** An `az` command line doing it, where there is one. */
  readonly command?: string;
}

/** Azure CLI's placeholder for the identity the bot runs as (its managed identity or app registration). */
export const BOT_IDENTITY = "<bot identity>";
export const WORKSPACE_PLACEHOLDER = "<workspace resource id>";
/** The name `doctor` suggests for a new diagnostic setting. */
export const SUGGESTED_SETTING_NAME = "aoai-bot-logs";

/** Every category the bot reads (RequestResponse) or uses to tell a stopped pipeline from idle (Audit, Trace). */
export const LOG_CATEGORIES = ["RequestResponse", "Audit", "Trace"] as const;

const ASSIGNMENT_DELAY = "New role assignments can take up to an hour to apply.";
export const LOG_COST = "Routing logs to Log Analytics costs money: ingestion is billed per GB (RequestResponse adds a row per call), and retention beyond the included days too.";

export function roleCommand(role: string, scope: string): string {
  return `az role assignment create --assignee ${BOT_IDENTITY} --role "${role}" --scope ${scope}`;
}

export function roleRemedy(role: string, scope: string, why: string, alternative?: string): Remedy {
  return {
    summary: `Assign "${role}" on ${resourceName(scope)}`,
    steps: `Assign the bot's identity the "${role}" role on ${scope}${alternative === undefined ? "" : ` (${alternative})`}: ${why}. ${ASSIGNMENT_DELAY}`,
    command: roleCommand(role, scope),
  };
}

/** A setting on the account sending `categories` to `workspace` (created, or replaced under the same name). */
export function diagnosticSettingCommand(accountId: string, name: string, workspace: string | undefined, categories: readonly string[]): string {
  const logs = JSON.stringify(categories.map((category) => ({ category, enabled: true })));
  return `az monitor diagnostic-settings create --name ${name} --resource ${accountId} --workspace ${workspace ?? WORKSPACE_PLACEHOLDER} --logs '${logs}'`;
}

/** The subscription and resource group an account id names. */
export function resourceGroupOf(accountId: string): string {
  return accountId.split("/").slice(0, 5).join("/");
}

/** The HTTP status Azure answered with, wherever in the cause chain the RestError sits. */
export function httpStatusOf(err: unknown): number | undefined {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (isRestError(e) && e.statusCode !== undefined) return e.statusCode;
  }
  return undefined;
}

/** A failure's own words, for failures without a remedy of their own (throttling, a missing resource, credentials). */
export function failureRemedy(err: unknown): Remedy {
  const hint = err instanceof UserError ? err.hint : undefined;
  return { summary: hint === undefined ? "Try again" : "See the note", steps: hint ?? "Try again; if it keeps failing, check the bot's log for the cause." };
}
