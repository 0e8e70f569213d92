// One table of (who, where, what) → allowed or denied, and by what: the policy test reads it against
// AccessPolicy alone, the end-to-end test drives the same rows through the real Slack app, the real
// Teams adapter and the console. The rules are configuration as an operator writes it (access: in
// aoai.config.yaml); deployments are the demo's (gpt-4o, gpt-4o-mini, text-embedding-3-large, gpt-4o-ptu).
import { AccessSchema, ruleFromConfig, type AccessRule } from "../../src/access/rules.ts";
import type { Place } from "../../src/bot/asker.ts";

/** The bot's own Slack workspace: what the fake Slack's auth.test answers. */
export const SLACK_HOME = "T0001";
/** The configured Teams tenant: the fake identity provider's. */
export const TEAMS_HOME = "11111111-2222-3333-4444-555555555555";
export const CONTACT = "#platform-oncall";
/** Names a restricted asker must never read: deployments outside the payments scope. */
export const HIDDEN = ["gpt-4o-ptu", "text-embedding-3-large"] as const;

export const ACCESS_CONFIG = AccessSchema.parse({
  contact: CONTACT,
  rules: [
    // a channel, restricted to two deployments (one named by a glob)
    { name: "payments", slack: { channel: "C0PAY" }, allow: ["ask", "schedule"], deployments: ["gpt-4o", "gpt-4o-mi*"] },
    // one person in that channel: more specific, more allowed, same scope
    { name: "payments lead", slack: { channel: "C0PAY", user: "U0LEAD" }, allow: ["ask", "logs", "kql", "doctor"], deployments: ["gpt-4o", "gpt-4o-mini"] },
    // a partner's people in a Slack Connect channel: matched by their own workspace
    { name: "partner", slack: { workspace: "T0PARTNER", channel: "C0SHARED" }, allow: ["ask"], deployments: ["gpt-4o-mini"] },
    { name: "locked", slack: { channel: "C0LOCKED" }, allow: [] },
    { name: "ops team", teams: { team: "19:ops-team@thread.tacv2" }, allow: ["ask", "logs", "quota", "doctor", "kql"] },
    { name: "guests", teams: { tenant: "22222222-0000-0000-0000-000000000002" }, allow: ["ask"], deployments: ["gpt-4o-mini"] },
  ],
});
export const ACCESS_RULES: readonly AccessRule[] = ACCESS_CONFIG.rules.map(ruleFromConfig);
/** `kql.allowedUsers`, folded into the policy. */
export const KQL_USERS = ["U0KQL"];

export interface AccessRow {
  readonly name: string;
  readonly where: Place;
  readonly say: string;
  /** The command the policy is asked about (the e2e test says `say`; this one asks the grant). */
  readonly needs: "ask" | "logs" | "kql" | "schedule" | "quota" | "doctor" | "audit";
  readonly allowed: boolean;
  /** Part of Grant.decidedBy, which denials quote. */
  readonly decidedBy: string;
  /** What the asker reads when allowed (figures from the demo) or denied (the refusal). */
  readonly shows: readonly string[];
}

const slack = (channel: string, user: string, org?: string): Place => ({ platform: "slack", workspace: SLACK_HOME, channel, user, ...(org ? { org } : {}) });
const teams = (tenant: string, user: string, team?: string): Place => ({ platform: "teams", workspace: tenant, channel: team ? "19:ops@thread.tacv2" : `a:${user}`, user, ...(team ? { team } : {}) });

export const ACCESS_TABLE: readonly AccessRow[] = [
  { name: "Slack: a person of the bot's workspace asks", where: slack("C0GEN", "U0ANY"), say: "latency", needs: "ask", allowed: true, decidedBy: "the default policy (people of this Slack workspace may ask)", shows: ["Time to response"] },
  { name: "Slack: the same person reads quota", where: slack("C0GEN", "U0ANY"), say: "quota", needs: "quota", allowed: true, decidedBy: "the default policy", shows: ["Quota"] },
  { name: "Slack: raw KQL needs kql.allowedUsers or a rule", where: slack("C0GEN", "U0ANY"), say: "kql AzureDiagnostics | take 5", needs: "kql", allowed: false, decidedBy: "the default policy", shows: ["Only the people listed in `kql.allowedUsers` may run raw KQL.", "slack:U0ANY"] },
  { name: "Slack: a person kql.allowedUsers lists may", where: slack("C0GEN", "U0KQL"), say: "kql AzureDiagnostics | take 5", needs: "kql", allowed: true, decidedBy: "the default policy", shows: ["needs a real Log Analytics workspace"] },
  { name: "Slack: schedule changes need a rule", where: slack("C0GEN", "U0ANY"), say: "schedule daily 09:00 UTC", needs: "schedule", allowed: false, decidedBy: "the default policy (people of this Slack workspace may ask)", shows: ["You can't use `schedule` here", "allows ask, logs, quota, doctor", `Ask ${CONTACT} to change the access rules`] },
  { name: "Slack: the payments channel's rule allows asking", where: slack("C0PAY", "U0ANY"), say: "latency", needs: "ask", allowed: true, decidedBy: 'rule "payments"', shows: ["Time to response"] },
  { name: "Slack: but not the logs", where: slack("C0PAY", "U0ANY"), say: "logs sample", needs: "logs", allowed: false, decidedBy: 'rule "payments"', shows: ['You can\'t use `logs` here: rule "payments" allows ask, schedule.', CONTACT] },
  { name: "Slack: nor a log question typed as a question", where: slack("C0PAY", "U0ANY"), say: "top callers today", needs: "logs", allowed: false, decidedBy: 'rule "payments"', shows: ['You can\'t use `logs` here: rule "payments"'] },
  { name: "Slack: its lead (a user rule) may read the logs", where: slack("C0PAY", "U0LEAD"), say: "logs top error codes today", needs: "logs", allowed: true, decidedBy: 'rule "payments lead"', shows: ["error codes"] },
  { name: "Slack Connect: a partner's person in the shared channel", where: slack("C0SHARED", "U0EXT", "T0PARTNER"), say: "latency", needs: "ask", allowed: true, decidedBy: 'rule "partner"', shows: ["Time to response"] },
  { name: "Slack Connect: another organisation's person gets nothing", where: slack("C0GEN", "U0STRANGER", "T0OTHER"), say: "latency", needs: "ask", allowed: false, decidedBy: "the default policy (only people of this Slack workspace may ask)", shows: ["You can't use `ask` here", "allows nothing", CONTACT] },
  { name: "Slack: a channel whose rule allows nothing", where: slack("C0LOCKED", "U0ANY"), say: "help", needs: "ask", allowed: false, decidedBy: 'rule "locked"', shows: ['rule "locked" allows nothing'] },
  { name: "Teams: a person of the configured tenant asks", where: teams(TEAMS_HOME, "aad-ada"), say: "latency", needs: "ask", allowed: true, decidedBy: "the default policy (people of this Teams tenant may ask)", shows: ["Time to response"] },
  { name: "Teams: doctor in the ops team (a team rule)", where: teams(TEAMS_HOME, "aad-ada", "19:ops-team@thread.tacv2"), say: "doctor", needs: "doctor", allowed: true, decidedBy: 'rule "ops team"', shows: ["Prerequisites"] },
  { name: "Teams: a guest tenant's rule", where: teams("22222222-0000-0000-0000-000000000002", "aad-guest"), say: "latency", needs: "ask", allowed: true, decidedBy: 'rule "guests"', shows: ["Time to response"] },
  { name: "Teams: the guests may not run doctor", where: teams("22222222-0000-0000-0000-000000000002", "aad-guest"), say: "doctor", needs: "doctor", allowed: false, decidedBy: 'rule "guests"', shows: ["You can't use", "doctor", 'here: rule "guests" allows ask.'] },
  { name: "Teams: another tenant gets nothing", where: teams("33333333-0000-0000-0000-000000000003", "aad-eve"), say: "latency", needs: "ask", allowed: false, decidedBy: "the default policy (only people of this Teams tenant may ask)", shows: ["You can't use", "the default policy (only people of this Teams tenant may ask) allows nothing", CONTACT] },
  { name: "console: the operator asks", where: { platform: "console" }, say: "latency", needs: "ask", allowed: true, decidedBy: "the default policy (this machine's console and playground)", shows: ["Time to response"] },
  { name: "console: and changes schedules", where: { platform: "console" }, say: "schedule daily 09:00 UTC", needs: "schedule", allowed: true, decidedBy: "this machine's console", shows: ["Next runs:"] },
  { name: "console: raw KQL still needs kql.allowedUsers", where: { platform: "console" }, say: "kql AzureDiagnostics | take 5", needs: "kql", allowed: false, decidedBy: "this machine's console", shows: ["kql.allowedUsers"] },
];
