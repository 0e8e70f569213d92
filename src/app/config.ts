// Configuration: aoai.config.yaml (or --config) overlaid by environment variables, validated
// with zod. Secrets never live here: Azure, Slack and Teams credentials come from the environment.
import { existsSync, readFileSync } from "node:fs";
import { IANAZone } from "luxon";
import { createRequire } from "node:module";
import type { parseDocument } from "yaml";
import { z } from "zod";
import { UserError } from "../queries/errors.ts";
import { ConfigError } from "./config-error.ts";
import { isResourceId, isWorkspaceId } from "../queries/resources.ts";
import { scheduleConfigSchema, scheduleFromConfig, type Schedule } from "../schedules/schedule.ts";
import { PLATFORMS } from "./platforms.ts";
import { parseCondition } from "../schedules/reports/condition.ts";
import { TeamsConfigSchema, teamsChannels, unknownTeamsTarget } from "../adapters/teams/channels-config.ts";
import type { TeamsChannels } from "../adapters/teams/conversation-id.ts";
import { DEFAULT_VERDICT, type VerdictThresholds } from "../bot/verdict.ts";
import type { PriceTable } from "../queries/prices.ts";
import { SLACK_CHART_MODES, type SlackChartMode } from "../adapters/slack/chart-mode.ts";
import { AccessSchema, ruleFromConfig, type AccessRule } from "../access/rules.ts";
import { AuditConfigSchema, DEFAULT_RETENTION_DAYS, retentionDays, type AuditSettings } from "../audit/audit-retention.ts";

export const DEFAULT_CONFIG_FILE = "aoai.config.yaml";
/** The yaml parser (72 modules) is loaded only when there is a file to read: most `aoai ask` runs have none. */
const yaml = (): typeof import("yaml") => createRequire(import.meta.url)("yaml") as typeof import("yaml");
export const DEFAULT_ARM_ENDPOINT = "https://management.azure.com";
export const DEFAULT_PORT = 3978;
/** Log Analytics query API (public cloud); the SDK uses the endpoint verbatim, so it ends in /v1. */
export const DEFAULT_LOGS_ENDPOINT = "https://api.loganalytics.io/v1";

const resourceId = z.string().trim().refine(isResourceId, {
  error: "must be an Azure OpenAI resource ID: /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.CognitiveServices/accounts/<name>",
});
const timezone = z.string().refine((tz) => IANAZone.isValidZone(tz), { error: "must be an IANA time zone such as UTC, Europe/Berlin or America/New_York" });

const price = z.number().nonnegative();
/** Spend estimates: per model (as Azure reports ModelName), prices per 1M tokens in one currency. */
const PricesSchema = z.strictObject({
  currency: z.string().regex(/^[A-Z]{3}$/, { error: "must be a three-letter currency code such as USD or EUR" }),
  models: z
    .record(z.string().trim().min(1), z.strictObject({ inputPer1M: price, outputPer1M: price }))
    .refine((m) => Object.keys(m).length > 0, { error: "needs at least one model, e.g. gpt-4o: { inputPer1M: 2.50, outputPer1M: 10.00 }" })
    .refine((m) => new Set(Object.keys(m).map((k) => k.toLowerCase())).size === Object.keys(m).length, { error: "names a model twice (names are compared without case)" }),
});

/** An Azure region's name as ARM writes an account's `location` (the metrics batch API's host is `<region>.metrics.monitor.azure.com`). */
const azureRegion = z.string().trim().toLowerCase().regex(/^[a-z][a-z0-9]*$/, { error: "must be an Azure region name such as swedencentral or eastus2 (the account's location)" });

/** A Log Analytics workspace: its workspace (customer) id GUID, or its ARM resource id. */
const workspaceId = z.string().trim().refine(isWorkspaceId, {
  error: "must be a Log Analytics workspace id (a GUID) or its resource ID: /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.OperationalInsights/workspaces/<name>",
});

/** `kql <query>`: who may run raw queries besides those an access rule allows (Slack user ids, Teams AAD object ids, "console", "cli"). */
const KqlSchema = z.strictObject({
  allowedUsers: z.array(z.string().trim().min(1)).default([]),
  maxRows: z.number().int().min(1).max(100).default(50),
});

const percent = z.number().min(0).max(100);
/** What "is anything wrong?" calls off: % of calls (throttleRate, errorRate, successRate), % slower than the baseline (latencyChange), calls needed to judge (minCalls). */
const VerdictSchema = z.strictObject({
  throttleRate: percent.default(DEFAULT_VERDICT.throttleRate),
  errorRate: percent.default(DEFAULT_VERDICT.errorRate),
  successRate: percent.default(DEFAULT_VERDICT.successRate),
  latencyChange: z.number().positive().max(10_000).default(DEFAULT_VERDICT.latencyChange),
  minCalls: z.number().int().min(1).default(DEFAULT_VERDICT.minCalls),
});

const FileSchema = z.strictObject({
  resources: z.array(z.union([resourceId, z.strictObject({ id: resourceId, workspaceId: workspaceId.optional(), region: azureRegion.optional() })])).optional(),
  timezone: timezone.optional(),
  armEndpoint: z.url({ protocol: /^https$/, error: "must be an https:// URL" }).optional(),
  logsEndpoint: z.url({ protocol: /^https$/, error: "must be an https:// URL such as https://api.loganalytics.io/v1" }).optional(),
  queryTimeoutMs: z.number().int().min(1000).max(120_000).optional(),
  port: z.number().int().min(0).max(65535).optional(),
  // each platform row says how a `post:` entry names one of its targets
  schedules: z.array(scheduleConfigSchema(PLATFORMS.map((p) => p.target))).optional(),
  teams: TeamsConfigSchema.optional(),
  verdict: VerdictSchema.optional(),
  prices: PricesSchema.optional(),
  kql: KqlSchema.optional(),
  /** `slack.charts`: png (default) | native | off — see src/adapters/slack/chart-mode.ts. */
  slack: z.strictObject({ charts: z.enum(SLACK_CHART_MODES).optional() }).optional(),
  /** `access:` who may ask what, where (src/access/rules.ts). */
  access: AccessSchema.optional(),
  /** `audit.retentionDays`: how long the audit log keeps its rows (AOAI_AUDIT_RETENTION_DAYS overrides). */
  audit: AuditConfigSchema.optional(),
});

export interface Config {
  readonly resourceIds: readonly string[];
  readonly timezone: string;
  readonly armEndpoint: string;
  /** Log Analytics query API, e.g. https://api.loganalytics.azure.cn/v1 in Azure China. */
  readonly logsEndpoint: string;
  readonly queryTimeoutMs: number | undefined;
  readonly port: number;
  readonly schedules: readonly Schedule[];
  /** `teams.channels`: admin-given names for Teams conversations (lower-cased name → conversation id). */
  readonly teamsChannels: TeamsChannels;
  /** `verdict:` thresholds of the one-line verdict on health questions (defaults: DEFAULT_VERDICT). */
  readonly verdict: VerdictThresholds;
  /** `prices:`: what spend estimates multiply token counts by; absent, spend questions say how to add it. */
  readonly prices?: PriceTable;
  /** Log Analytics workspace per resource id (`resources[].workspaceId`, or AOAI_WORKSPACE_ID for every resource); absent: discovered from diagnostic settings. */
  readonly workspaces: Readonly<Record<string, string>>;
  /** `resources[].region` by lower-cased resource id: which accounts the metrics batch API may read together (src/queries/batch-metrics.ts). */
  readonly regions?: Readonly<Record<string, string>>;
  /** `kql:` who may run raw KQL, and how many rows chat shows. */
  readonly kql: { readonly allowedUsers: readonly string[]; readonly maxRows: number };
  /** `slack.charts`: how answers' charts reach Slack (absent: png). */
  readonly slackCharts?: SlackChartMode;
  /** `access:` rules and whom denied people should ask; no rules: the default policy (src/access/policy.ts). */
  readonly access: { readonly contact?: string; readonly rules: readonly AccessRule[] };
  /** `audit:` how long audit rows are kept (default DEFAULT_RETENTION_DAYS). */
  readonly audit: AuditSettings;
  /** Where the configuration came from, for the startup banner. */
  readonly file: string | undefined;
}

export interface LoadOptions {
  /** --config: a file that must exist. Without it, ./aoai.config.yaml is read when present. */
  readonly file?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

export function loadConfig(options: LoadOptions = {}): Config {
  const env = options.env ?? process.env;
  // AOAI_CONFIG names the file where a flag is awkward (a container's mounted secret)
  const named = options.file ?? (env.AOAI_CONFIG !== undefined && env.AOAI_CONFIG.trim() !== "" ? env.AOAI_CONFIG.trim() : undefined);
  const file = named ?? (existsSync(`${options.cwd ?? "."}/${DEFAULT_CONFIG_FILE}`) ? `${options.cwd ?? "."}/${DEFAULT_CONFIG_FILE}` : undefined);
  const fromFile = file === undefined ? {} : readFile(file, options.file !== undefined ? "--config" : named !== undefined ? "AOAI_CONFIG" : undefined);

  const resourceIds = env.AOAI_RESOURCE_IDS !== undefined && env.AOAI_RESOURCE_IDS.trim() !== ""
    ? env.AOAI_RESOURCE_IDS.split(",").map((s) => s.trim()).filter((s) => s.length > 0).map((id) => check("AOAI_RESOURCE_IDS", resourceId, id))
    : (fromFile.resources ?? []).map((r) => (typeof r === "string" ? r : r.id));
  const tz = env.AOAI_TIMEZONE !== undefined && env.AOAI_TIMEZONE !== "" ? check("AOAI_TIMEZONE", timezone, env.AOAI_TIMEZONE) : (fromFile.timezone ?? "UTC");
  const armEndpoint = env.AOAI_ARM_ENDPOINT !== undefined && env.AOAI_ARM_ENDPOINT !== "" ? check("AOAI_ARM_ENDPOINT", z.url({ protocol: /^https$/, error: "must be an https:// URL" }), env.AOAI_ARM_ENDPOINT) : (fromFile.armEndpoint ?? DEFAULT_ARM_ENDPOINT);
  const logsEndpoint = env.AOAI_LOGS_ENDPOINT !== undefined && env.AOAI_LOGS_ENDPOINT !== "" ? check("AOAI_LOGS_ENDPOINT", z.url({ protocol: /^https$/, error: "must be an https:// URL" }), env.AOAI_LOGS_ENDPOINT) : (fromFile.logsEndpoint ?? DEFAULT_LOGS_ENDPOINT);
  const auditDays = env.AOAI_AUDIT_RETENTION_DAYS !== undefined && env.AOAI_AUDIT_RETENTION_DAYS !== "" ? check("AOAI_AUDIT_RETENTION_DAYS", z.coerce.number().pipe(retentionDays), env.AOAI_AUDIT_RETENTION_DAYS) : (fromFile.audit?.retentionDays ?? DEFAULT_RETENTION_DAYS);
  const port = env.PORT !== undefined && env.PORT !== "" ? check("PORT", z.coerce.number().int().min(0).max(65535), env.PORT) : (fromFile.port ?? DEFAULT_PORT);
  const channels = teamsChannels(fromFile.teams);
  if (typeof channels === "string") throw new ConfigError("teams.channels", channels);
  const schedules = (fromFile.schedules ?? []).map((c, i) => {
    const s = scheduleFromConfig(c);
    if (typeof s === "string") throw new ConfigError(`schedules.${i}`, s);
    if (s.report.kind === "condition") {
      // checked now, not at 3 a.m. when it first runs (deployment names are checked at run time)
      try {
        parseCondition(s.report.condition, []);
      } catch (err) {
        if (err instanceof UserError) throw new ConfigError(`schedules.${i}.condition`, `${err.message} ${err.hint ?? ""}`.trim());
        throw err;
      }
    }
    s.post.forEach((t, j) => {
      // a name nobody configured is an error now, not a report that silently goes nowhere
      const unknown = t.platform === "teams" ? unknownTeamsTarget(t.conversation, channels) : undefined;
      if (unknown !== undefined) throw new ConfigError(`schedules.${i}.post.${j}.teams`, unknown);
    });
    return s;
  });
  const envWorkspace = env.AOAI_WORKSPACE_ID !== undefined && env.AOAI_WORKSPACE_ID.trim() !== "" ? check("AOAI_WORKSPACE_ID", workspaceId, env.AOAI_WORKSPACE_ID) : undefined;
  const fileWorkspaces = new Map((fromFile.resources ?? []).flatMap((r) => (typeof r === "string" || r.workspaceId === undefined ? [] : [[r.id.toLowerCase(), r.workspaceId] as const])));
  const workspaces = Object.fromEntries(resourceIds.flatMap((id) => {
    const w = fileWorkspaces.get(id.toLowerCase()) ?? envWorkspace;
    return w === undefined ? [] : [[id, w]];
  }));
  const regions = Object.fromEntries((fromFile.resources ?? []).flatMap((r) => (typeof r === "string" || r.region === undefined ? [] : [[r.id.toLowerCase(), r.region] as const])));
  const names = new Set<string>();
  schedules.forEach((s, i) => {
    if (names.has(s.name.toLowerCase())) throw new ConfigError(`schedules.${i}.name`, `schedule name "${s.name}" is used twice; names are the ledger key and must be unique`);
    names.add(s.name.toLowerCase());
  });
  return { resourceIds: [...new Set(resourceIds)], timezone: tz, armEndpoint: armEndpoint.replace(/\/+$/, ""), logsEndpoint: logsEndpoint.replace(/\/+$/, ""), queryTimeoutMs: fromFile.queryTimeoutMs, port, schedules, teamsChannels: channels, verdict: fromFile.verdict ?? DEFAULT_VERDICT, ...(fromFile.prices ? { prices: fromFile.prices } : {}), workspaces, ...(Object.keys(regions).length > 0 ? { regions } : {}), kql: fromFile.kql ?? { allowedUsers: [], maxRows: 50 }, ...(fromFile.slack?.charts ? { slackCharts: fromFile.slack.charts } : {}), access: accessOf(fromFile.access), audit: { retentionDays: auditDays }, file };
}

function accessOf(access: z.infer<typeof AccessSchema> | undefined): Config["access"] {
  const names = new Set<string>();
  (access?.rules ?? []).forEach((r, i) => {
    // a denial names its rule: two of one name could not be told apart
    if (names.has(r.name.toLowerCase())) throw new ConfigError(`access.rules.${i}.name`, `access rule name "${r.name}" is used twice; denials name the rule, so names must be unique`);
    names.add(r.name.toLowerCase());
  });
  return { ...(access?.contact === undefined ? {} : { contact: access.contact }), rules: (access?.rules ?? []).map(ruleFromConfig) };
}

/** `namedBy`: the flag or variable that named the file, which must then exist. */
function readFile(file: string, namedBy: "--config" | "AOAI_CONFIG" | undefined): z.infer<typeof FileSchema> {
  if (!existsSync(file)) {
    if (namedBy !== undefined) throw new ConfigError(namedBy, `config file ${file} does not exist`);
    return {};
  }
  const doc = yaml().parseDocument(readFileSync(file, "utf8"), { prettyErrors: true });
  const first = doc.errors[0];
  if (first) throw new ConfigError(file, `${file} is not valid YAML: ${first.message.split("\n")[0] ?? ""}`);
  const parsed = FileSchema.safeParse(documentData(doc, file));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue ? issue.path.map(String).join(".") || (issue.code === "unrecognized_keys" ? issue.keys.map((k) => k || `""`).join(",") : "(root)") : "(root)";
    throw new ConfigError(key, `${file}: ${key}: ${issue?.message ?? "invalid"}\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/** The document's data; an alias bomb (the yaml library's resource-exhaustion guard) is a refusal of the file, not a bare stack at start. */
function documentData(doc: ReturnType<typeof parseDocument>, file: string): unknown {
  try {
    return doc.toJS() ?? {};
  } catch (err) {
    throw new ConfigError(file, `${file} is not usable YAML: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

function check<T>(key: string, schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ConfigError(key, `${key}: ${parsed.error.issues[0]?.message ?? "invalid"} (got "${String(value)}")`);
  return parsed.data;
}
