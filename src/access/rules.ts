// Access rules as configuration (`access:` in aoai.config.yaml): data, matched against a Place.
// A rule names where it applies (a Slack workspace / channel / user, a Teams tenant / team /
// channel / user), what it allows, and which resources and deployments those may read.
import { z } from "zod";
import { ACCESS_COMMANDS, type AccessCommand } from "./commands.ts";
import type { AccessScope } from "../queries/scope.ts";

const ids = z.union([z.string().trim().min(1), z.array(z.string().trim().min(1)).min(1)]).transform((v) => (typeof v === "string" ? [v] : v));

const SlackWhere = z.strictObject({ workspace: ids.optional(), channel: ids.optional(), user: ids.optional() });
const TeamsWhere = z.strictObject({ tenant: ids.optional(), team: ids.optional(), channel: ids.optional(), user: ids.optional() });

export const AccessRuleSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(80),
    slack: SlackWhere.optional(),
    teams: TeamsWhere.optional(),
    /** The commands allowed where the rule applies; `[]` denies everything there. */
    allow: z.array(z.enum(ACCESS_COMMANDS)),
    resources: z.array(z.string().trim().min(1)).min(1).optional(),
    deployments: z.array(z.string().trim().min(1)).min(1).optional(),
  })
  .refine((r) => (r.slack === undefined) !== (r.teams === undefined), { error: "needs exactly one of slack: or teams: (where the rule applies)" });

export const AccessSchema = z.strictObject({
  /** Whom a denied person should ask, e.g. "#platform-oncall" or "platform@contoso.com". */
  contact: z.string().trim().min(1).max(200).optional(),
  rules: z.array(AccessRuleSchema).default([]),
});

export type AccessRuleConfig = z.infer<typeof AccessRuleSchema>;
export type AccessConfig = z.infer<typeof AccessSchema>;

/** A rule as the policy reads it: where it applies per place field, with `*` matching anything. */
export interface AccessRule {
  readonly name: string;
  readonly platform: "slack" | "teams";
  /** Slack workspace or Teams tenant of the person asking (their own organisation). */
  readonly org?: readonly string[];
  readonly team?: readonly string[];
  readonly channel?: readonly string[];
  readonly user?: readonly string[];
  readonly allow: readonly AccessCommand[];
  readonly scope: AccessScope;
}

export function ruleFromConfig(r: AccessRuleConfig): AccessRule {
  const where = r.slack ? { platform: "slack" as const, org: r.slack.workspace, channel: r.slack.channel, user: r.slack.user } : { platform: "teams" as const, org: r.teams?.tenant, team: r.teams?.team, channel: r.teams?.channel, user: r.teams?.user };
  return {
    name: r.name,
    platform: where.platform,
    ...(where.org ? { org: where.org } : {}),
    ...("team" in where && where.team ? { team: where.team } : {}),
    ...(where.channel ? { channel: where.channel } : {}),
    ...(where.user ? { user: where.user } : {}),
    allow: r.allow,
    scope: { ...(r.resources ? { resources: r.resources } : {}), ...(r.deployments ? { deployments: r.deployments } : {}) },
  };
}

/** How specific a rule is: a user beats a channel beats a team beats an organisation. */
export function specificity(rule: AccessRule): number {
  return (rule.user ? 8 : 0) + (rule.channel ? 4 : 0) + (rule.team ? 2 : 0) + (rule.org ? 1 : 0);
}
