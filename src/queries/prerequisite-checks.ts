// The checks `doctor` runs on each resource, as a table: what each reads, how its answer is judged,
// and how a failure of the read is said (a 403 is the role to assign, on which scope). A check that
// depends on another's read (the metric family on the definitions, the workspace query on the
// setting that names the workspace) says so instead of failing a second time.
import type { MetricDefinition } from "./azure-metrics.ts";
import type { ActivityEvent, DeploymentLimits, DiagnosticSetting } from "./arm-readers.ts";
import { UserError } from "./errors.ts";
import { LogsAccessDeniedError } from "./logs/log-errors.ts";
import type { LogsOutcome } from "./logs/logs-backend.ts";
import { EQUIVALENT_METRICS, familyOf, listedFamilies, METRIC_FAMILIES } from "./metric-families.ts";
import {
  diagnosticSettingCommand,
  failureRemedy,
  httpStatusOf,
  LOG_CATEGORIES,
  LOG_COST,
  resourceGroupOf,
  roleCommand,
  roleRemedy,
  SUGGESTED_SETTING_NAME,
  WORKSPACE_PLACEHOLDER,
  type Remedy,
} from "./prerequisite-remedies.ts";
import { resourceName } from "./resources.ts";

export type CheckStatus = "ok" | "fail" | "warn";

export const STATUS_MARK: Readonly<Record<CheckStatus, string>> = { ok: "✅", fail: "❌", warn: "⚠️" };

export interface CheckResult {
  readonly status: CheckStatus;
  /** What was found, in a few words. */
  readonly detail: string;
  /** What to do (failures and warnings that have a fix). */
  readonly remedy?: Remedy;
}

/** The reads one resource's checks share: each is sent once, when the first check needs it. */
export interface ResourceReads {
  readonly resourceId: string;
  definitions(): Promise<MetricDefinition[]>;
  settings(): Promise<DiagnosticSetting[]>;
  /** The workspace its logs are read from (configured, or found in its diagnostic settings). */
  workspace(): Promise<string>;
  /** The tiny query against that workspace; undefined when the bot has no log backend. */
  query(workspace: string): Promise<LogsOutcome> | undefined;
  activity(): Promise<ActivityEvent[]>;
  deployments(): Promise<DeploymentLimits[]>;
}

export type CheckId = "metrics" | "family" | "diagnostic-setting" | "workspace" | "activity-log" | "deployments";

export interface PrerequisiteCheck {
  readonly id: CheckId;
  readonly label: string;
  run(reads: ResourceReads): Promise<CheckResult>;
  /** The check's read failed (anything `run` threw). */
  failed(err: unknown, resourceId: string): CheckResult;
}

/** Failures that say "not now" rather than "not allowed" or "not there": asking again may pass. */
const TRANSIENT_CODES: ReadonlySet<string> = new Set(["azure_timeout", "azure_throttled", "arm_throttled", "logs_throttled", "logs_timeout", "logs_server_timeout"]);

/** A failure without a remedy of its own: its message, its hint; transient ones are warnings. */
export function otherFailure(err: unknown): CheckResult {
  const transient = err instanceof UserError && TRANSIENT_CODES.has(err.code);
  return { status: transient ? "warn" : "fail", detail: err instanceof Error ? err.message : String(err), remedy: failureRemedy(err) };
}

/** A 403 is the role to assign; anything else is said as it came. */
function deniedOr(err: unknown, remedy: () => Remedy, what: string): CheckResult {
  return httpStatusOf(err) === 403 ? { status: "fail", detail: `Azure refused the bot's identity ${what} (HTTP 403).`, remedy: remedy() } : otherFailure(err);
}

const FAMILY_EXAMPLES = EQUIVALENT_METRICS.slice(0, 3);

/** Which of the bot's log categories a setting sends (a category group counts for what it holds). */
const CATEGORY_COVERAGE: Readonly<Record<string, readonly string[]>> = {
  requestresponse: ["RequestResponse"],
  audit: ["Audit"],
  trace: ["Trace"],
  alllogs: [...LOG_CATEGORIES],
};

function sentCategories(s: DiagnosticSetting): Set<string> {
  return new Set(s.logs.filter((l) => l.enabled).flatMap((l) => CATEGORY_COVERAGE[l.category.toLowerCase()] ?? []));
}

const list = (names: readonly string[]) => names.join(", ");
const quoted = (settings: readonly DiagnosticSetting[]) => settings.map((s) => `"${s.name}"`).join(", ");

function createSetting(resourceId: string): Remedy {
  return {
    summary: `Create a diagnostic setting sending ${list(LOG_CATEGORIES)} to a Log Analytics workspace`,
    steps: `Create a diagnostic setting on ${resourceId} (Monitoring → Diagnostic settings) with the categories ${list(LOG_CATEGORIES)} (or the allLogs group) and the destination "Send to Log Analytics workspace". ${LOG_COST} Rows arrive a few minutes after calls.`,
    command: diagnosticSettingCommand(resourceId, SUGGESTED_SETTING_NAME, undefined, LOG_CATEGORIES),
  };
}

/** The setting re-created under its own name with the missing categories added (a create replaces a setting of that name). */
function completeSetting(resourceId: string, setting: DiagnosticSetting, missing: readonly string[]): Remedy {
  const keep = setting.logs.filter((l) => l.enabled && CATEGORY_COVERAGE[l.category.toLowerCase()] === undefined).map((l) => l.category);
  const categories = [...new Set([...keep, ...LOG_CATEGORIES.filter((c) => sentCategories(setting).has(c) || missing.includes(c))])];
  return {
    summary: `Enable ${list(missing)} in "${setting.name}"`,
    steps: `Enable ${list(missing)} in the diagnostic setting "${setting.name}" on ${resourceId} (Monitoring → Diagnostic settings → Edit setting), or re-create it under the same name with the command below, which replaces its log categories. ${LOG_COST}`,
    command: diagnosticSettingCommand(resourceId, setting.name, setting.workspaceResourceId, categories),
  };
}

function queried(workspace: string, outcome: LogsOutcome): CheckResult {
  const where = `Queried ${workspaceName(workspace)}`;
  switch (outcome.status) {
    case "complete":
      return { status: "ok", detail: outcome.table.rows.length > 0 ? `${where}: rows from the last hour.` : `${where}: no rows in the last hour (rows arrive a few minutes after calls).` };
    case "no-data":
      return { status: "ok", detail: `${where}: it holds no data for the last hour.` };
    case "partial":
      return { status: "warn", detail: `${where}, partially: ${outcome.error}`, remedy: { summary: "Try again", steps: "Log Analytics answered only in part; ask `doctor` again in a minute." } };
  }
}

function workspaceName(workspace: string): string {
  return workspace.includes("/") ? resourceName(workspace) : `workspace ${workspace}`;
}

/** Log Analytics Reader on the workspace; a workspace known by its GUID only is looked up by it first. */
function workspaceRole(workspace: string): Remedy {
  const byId = !workspace.includes("/");
  const scope = byId ? WORKSPACE_PLACEHOLDER : workspace;
  const find = byId ? ` Its resource id: \`az monitor log-analytics workspace list --query "[?customerId=='${workspace}'].id" -o tsv\`.` : "";
  return {
    summary: `Assign "Log Analytics Reader" on ${workspaceName(workspace)}`,
    steps: `Assign the bot's identity the "Log Analytics Reader" role (or the narrower "Log Analytics Data Reader") on ${byId ? `the workspace ${workspace}` : workspace}: querying its logs needs Microsoft.OperationalInsights/workspaces/query/read.${find} New role assignments can take up to an hour to apply.`,
    command: roleCommand("Log Analytics Reader", scope),
  };
}

export const PREREQUISITE_CHECKS: readonly PrerequisiteCheck[] = [
  {
    id: "metrics",
    label: "Metrics readable",
    run: async (r) => {
      const defs = await r.definitions();
      if (defs.length > 0) return { status: "ok", detail: `${defs.length} metric definitions listed.` };
      return { status: "warn", detail: "Azure lists no metrics for this resource.", remedy: { summary: "Check the resource id", steps: `Check that ${r.resourceId} is an Azure OpenAI or AI Services account.` } };
    },
    failed: (err, id) => deniedOr(err, () => roleRemedy("Monitoring Reader", id, "reading metrics and their definitions needs Microsoft.Insights/metrics/read", "or on its resource group or subscription"), "reading its metrics"),
  },
  {
    id: "family",
    label: "Metric family",
    run: async (r) => {
      const defs = await r.definitions();
      const listed = listedFamilies(defs);
      if (listed.length === 0) {
        return {
          status: "warn",
          detail: `Lists neither ${METRIC_FAMILIES["azure-openai"].displayName} nor ${METRIC_FAMILIES.models.displayName} metrics (no ${FAMILY_EXAMPLES[0]?.azureOpenAI ?? ""} or ${FAMILY_EXAMPLES[0]?.models ?? ""}).`,
          remedy: { summary: "Check the resource id", steps: `The bot answers for Microsoft.CognitiveServices accounts of kind OpenAI or AIServices; check what ${r.resourceId} is.`, command: `az cognitiveservices account show --ids ${r.resourceId} --query kind` },
        };
      }
      const family = METRIC_FAMILIES[familyOf(defs)];
      // the examples named are ones this resource lists, never the catalog's
      const names = new Set(defs.map((d) => d.name?.value?.toLowerCase()));
      const shown = EQUIVALENT_METRICS.filter((e) => names.has((family.id === "models" ? e.models : e.azureOpenAI).toLowerCase())).slice(0, 3);
      if (family.id === "models") {
        return { status: "ok", detail: `${family.displayName} (${family.resourceKind}): answers are read from ${shown.map((e) => e.models).join(", ")} … in place of ${shown.map((e) => e.azureOpenAI).join(", ")} ….` };
      }
      const also = listed.includes("models") ? `; the ${METRIC_FAMILIES.models.displayName} family is listed too` : "";
      return { status: "ok", detail: `${family.displayName} (${shown.map((e) => e.azureOpenAI).join(", ")} …)${also}.` };
    },
    failed: () => ({ status: "warn", detail: "Not known: its metric definitions could not be read (see Metrics readable)." }),
  },
  {
    id: "diagnostic-setting",
    label: "Diagnostic setting",
    run: async (r) => {
      const settings = await r.settings();
      if (settings.length === 0) return { status: "fail", detail: "No diagnostic setting: its resource logs are not kept anywhere.", remedy: createSetting(r.resourceId) };
      const toWorkspace = settings.filter((s) => s.workspaceResourceId !== undefined);
      if (toWorkspace.length === 0) {
        return { status: "fail", detail: `${quoted(settings)} send${settings.length === 1 ? "s" : ""} logs elsewhere (storage or Event Hubs), not to a Log Analytics workspace.`, remedy: createSetting(r.resourceId) };
      }
      const sent = new Set(toWorkspace.flatMap((s) => [...sentCategories(s)]));
      const missing = LOG_CATEGORIES.filter((c) => !sent.has(c));
      const best = toWorkspace.find((s) => sentCategories(s).has("RequestResponse")) ?? toWorkspace[0]!;
      const where = `${quoted(toWorkspace)} → ${[...new Set(toWorkspace.map((s) => resourceName(s.workspaceResourceId ?? "")))].join(", ")}`;
      if (missing.length === 0) return { status: "ok", detail: `${where}: sends ${list(LOG_CATEGORIES)}.` };
      const sending = LOG_CATEGORIES.filter((c) => sent.has(c));
      const says = `${where}: sends ${sending.length > 0 ? list(sending) : "none of the request logs"}, not ${list(missing)}.`;
      // RequestResponse is what every log answer reads; Audit and Trace only help tell what happened
      return { status: missing.includes("RequestResponse") ? "fail" : "warn", detail: says, remedy: completeSetting(r.resourceId, best, missing) };
    },
    failed: (err, id) => deniedOr(err, () => roleRemedy("Monitoring Reader", id, "reading its diagnostic settings needs Microsoft.Insights/diagnosticSettings/read", 'or "Reader"'), "reading its diagnostic settings"),
  },
  {
    id: "workspace",
    label: "Workspace queryable",
    run: async (r) => {
      let workspace: string;
      try {
        workspace = await r.workspace();
      } catch (err) {
        // no setting names one: the diagnostic setting's row says what to create
        return { status: "warn", detail: `No workspace to query: ${err instanceof Error ? err.message : String(err)}`, ...(err instanceof UserError && err.hint !== undefined ? { remedy: { summary: "See Diagnostic setting", steps: err.hint } } : {}) };
      }
      const running = r.query(workspace);
      if (running === undefined) return { status: "warn", detail: `Not checked: the bot has no Log Analytics access configured (workspace ${workspaceName(workspace)}).` };
      return queried(workspace, await running);
    },
    failed: (err) => (err instanceof LogsAccessDeniedError ? { status: "fail", detail: `Log Analytics refused the bot's identity on ${workspaceName(err.workspace)} (HTTP 403).`, remedy: workspaceRole(err.workspace) } : otherFailure(err)),
  },
  {
    id: "activity-log",
    label: "Activity log readable",
    run: async (r) => {
      const events = await r.activity();
      return { status: "ok", detail: `${events.length} administrative event${events.length === 1 ? "" : "s"} in the last hour.` };
    },
    failed: (err, id) => deniedOr(err, () => roleRemedy("Monitoring Reader", resourceGroupOf(id), "the bot reads the activity log of the account's resource group and keeps the account's own events", 'or on the subscription; "Reader" works too'), "reading the activity log"),
  },
  {
    id: "deployments",
    label: "Deployments readable",
    run: async (r) => {
      const deployments = await r.deployments();
      if (deployments.length === 0) return { status: "warn", detail: "No deployments listed: there is nothing to ask about yet.", remedy: { summary: "Deploy a model", steps: `Deploy a model on ${r.resourceId}, or check the resource id.` } };
      const limited = deployments.filter((d) => d.tokensPerMinute !== undefined || d.requestsPerMinute !== undefined || (d.provisioned && d.capacity !== undefined));
      const count = `${deployments.length} deployment${deployments.length === 1 ? "" : "s"}`;
      if (limited.length === 0) return { status: "warn", detail: `${count}, none with rate limits or provisioned capacity: quota can't be judged.` };
      return { status: "ok", detail: `${count}, limits on ${limited.length === deployments.length ? (deployments.length === 1 ? "it" : `all ${deployments.length}`) : `${limited.length} (${list(limited.map((d) => d.name))})`}.` };
    },
    failed: (err, id) => deniedOr(err, () => roleRemedy("Reader", id, "listing deployments and their limits needs Microsoft.CognitiveServices/accounts/deployments/read", 'or "Monitoring Reader"'), "listing its deployments"),
  },
];
