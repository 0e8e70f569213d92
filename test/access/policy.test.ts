// The access policy on its own: the table of (who, where, what) → allowed or denied and by what,
// then the rules' edges: specificity, `*`, strangers matched only by rules naming their organisation,
// the homes platforms tell it, kql.allowedUsers on top of a grant, and configuration's errors.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { accessBanner } from "../../src/access/banner.ts";
import { AccessPolicy } from "../../src/access/policy.ts";
import { ruleFromConfig, AccessRuleSchema } from "../../src/access/rules.ts";
import { loadConfig } from "../../src/app/config.ts";
import { ConfigError } from "../../src/app/config-error.ts";
import { restrictResources } from "../../src/queries/scope.ts";
import { ACCESS_RULES, ACCESS_TABLE, CONTACT, KQL_USERS, SLACK_HOME, TEAMS_HOME } from "./access-table.ts";

function policy(): AccessPolicy {
  const p = new AccessPolicy({ rules: ACCESS_RULES, contact: CONTACT, kqlUsers: KQL_USERS });
  p.setHome("slack", SLACK_HOME);
  p.setHome("teams", TEAMS_HOME);
  return p;
}

const rule = (r: unknown) => ruleFromConfig(AccessRuleSchema.parse(r));

describe("the access table", () => {
  it.each(ACCESS_TABLE)("$name", (row) => {
    const grant = policy().grantFor(row.where);
    expect(grant.allows.has(row.needs)).toBe(row.allowed);
    expect(grant.decidedBy).toContain(row.decidedBy);
  });
});

describe("which rule decides", () => {
  it("is the most specific: a user in a channel beats the channel, which beats the workspace", () => {
    const p = new AccessPolicy({ rules: [rule({ name: "everyone", slack: { workspace: "T1" }, allow: ["ask"] }), rule({ name: "ops", slack: { channel: "C1" }, allow: ["ask", "logs"] }), rule({ name: "lead", slack: { channel: "C1", user: "U1" }, allow: ["kql"] })] });
    p.setHome("slack", "T1");
    expect(p.grantFor({ platform: "slack", workspace: "T1", channel: "C1", user: "U1" }).rule).toBe("lead");
    expect(p.grantFor({ platform: "slack", workspace: "T1", channel: "C1", user: "U2" }).rule).toBe("ops");
    expect(p.grantFor({ platform: "slack", workspace: "T1", channel: "C2", user: "U2" }).rule).toBe("everyone");
  });

  it("is the rule's own list, not a sum: a narrower rule that allows less takes things away", () => {
    const p = new AccessPolicy({ rules: [rule({ name: "team", teams: { team: "19:t" }, allow: ["ask", "logs"] }), rule({ name: "quiet channel", teams: { team: "19:t", channel: "19:c" }, allow: ["ask"] })] });
    p.setHome("teams", "tid");
    expect([...p.grantFor({ platform: "teams", workspace: "tid", team: "19:t", channel: "19:c", user: "u" }).allows]).toEqual(["ask"]);
  });

  it("reads * as any value of that field, but not a missing one", () => {
    const p = new AccessPolicy({ rules: [rule({ name: "any channel", slack: { channel: "*" }, allow: ["schedule"] })] });
    p.setHome("slack", "T1");
    expect(p.grantFor({ platform: "slack", workspace: "T1", channel: "C9", user: "U1" }).rule).toBe("any channel");
    expect(p.grantFor({ platform: "slack", workspace: "T1", user: "U1" }).rule).toBeUndefined();
  });

  it("never lets a rule without an organisation match a stranger, however specific", () => {
    const p = new AccessPolicy({ rules: [rule({ name: "channel", slack: { channel: "C0SHARED", user: "U0EXT" }, allow: ["ask", "kql"] })] });
    p.setHome("slack", "T1");
    const grant = p.grantFor({ platform: "slack", workspace: "T1", org: "T0PARTNER", channel: "C0SHARED", user: "U0EXT" });
    expect(grant.rule).toBeUndefined();
    expect(grant.allows.size).toBe(0);
  });

  it("denies everyone of a chat platform whose organisation it has not been told (auth.test failed), and the banner says so", () => {
    const p = new AccessPolicy();
    expect(p.grantFor({ platform: "slack", workspace: "T1", channel: "C1", user: "U1" }).allows.size).toBe(0);
    expect(accessBanner(p, ["slack"])).toContain("not known yet");
  });

  it("treats Teams without an app id as this machine's (the Agents Playground): the local default", () => {
    const p = new AccessPolicy();
    p.setLocalOnly("teams");
    expect([...p.grantFor({ platform: "teams", workspace: "anything", user: "u" }).allows].sort()).toEqual(["ask", "audit", "doctor", "logs", "quota", "schedule"]);
  });

  it("adds kql for people kql.allowedUsers lists, never to a grant that allows nothing", () => {
    const p = new AccessPolicy({ kqlUsers: ["U1", "teams:aad-1", "cli"], rules: [rule({ name: "locked", slack: { channel: "C0" }, allow: [] })] });
    p.setHome("slack", "T1");
    p.setHome("teams", "tid");
    expect(p.grantFor({ platform: "slack", workspace: "T1", channel: "C1", user: "U1" }).allows.has("kql")).toBe(true);
    expect(p.grantFor({ platform: "teams", workspace: "tid", user: "aad-1" }).allows.has("kql")).toBe(true);
    expect(p.grantFor({ platform: "cli" }).allows.has("kql")).toBe(true);
    expect(p.grantFor({ platform: "console" }).allows.has("kql")).toBe(false);
    expect(p.grantFor({ platform: "slack", workspace: "T1", channel: "C0", user: "U1" }).allows.has("kql")).toBe(false);
    expect(p.grantFor({ platform: "slack", workspace: "T9", org: "T9", channel: "C1", user: "U1" }).allows.has("kql")).toBe(false);
  });

  it("gives the rule's scope, globs included, which restricts the resources to the deployments it names", () => {
    const grant = policy().grantFor({ platform: "slack", workspace: SLACK_HOME, channel: "C0PAY", user: "U0ANY" });
    const [r] = restrictResources([{ id: "/subscriptions/s/resourceGroups/g/providers/Microsoft.CognitiveServices/accounts/aoai-demo", name: "aoai-demo", deployments: ["gpt-4o", "gpt-4o-mini", "text-embedding-3-large", "gpt-4o-ptu"] }], grant.scope);
    expect(r?.deployments).toEqual(["gpt-4o", "gpt-4o-mini"]);
  });
});

describe("configuration", () => {
  const dir = mkdtempSync(join(tmpdir(), "aoai-access-"));
  const load = (yaml: string) => {
    const file = join(dir, `c${String(Math.random()).slice(2)}.yaml`);
    writeFileSync(file, yaml);
    return loadConfig({ file, env: {} });
  };
  const keyOf = (yaml: string): string => {
    try {
      load(yaml);
    } catch (err) {
      if (err instanceof ConfigError) return err.key;
      throw err;
    }
    return "(loaded)";
  };

  it("reads access: rules and the contact", () => {
    const c = load('access:\n  contact: "#ops"\n  rules:\n    - name: payments\n      slack: { channel: C0PAY }\n      allow: [ask]\n      deployments: [gpt-4o]\n');
    expect(c.access).toEqual({ contact: "#ops", rules: [{ name: "payments", platform: "slack", channel: ["C0PAY"], allow: ["ask"], scope: { deployments: ["gpt-4o"] } }] });
    expect(load("timezone: UTC\n").access).toEqual({ rules: [] });
  });

  it.each([
    ["a command that does not exist", "access:\n  rules:\n    - { name: x, slack: { channel: C1 }, allow: [delete] }\n", "access.rules.0.allow.0"],
    ["a rule for no platform", "access:\n  rules:\n    - { name: x, allow: [ask] }\n", "access.rules.0"],
    ["a Slack rule naming a Teams field", "access:\n  rules:\n    - { name: x, slack: { tenant: t }, allow: [ask] }\n", "access.rules.0.slack"],
    ["two rules of one name", "access:\n  rules:\n    - { name: x, slack: { channel: C1 }, allow: [ask] }\n    - { name: X, slack: { channel: C2 }, allow: [ask] }\n", "access.rules.1.name"],
  ])("names the key of %s", (_what, yaml, key) => {
    expect(keyOf(yaml)).toBe(key);
  });
});

describe("the start banner", () => {
  it("says who may ask by default, what needs a rule and where rules go", () => {
    const line = accessBanner(policy(), ["slack", "teams", "console"]);
    expect(line).toBe(`Access: people of Slack workspace ${SLACK_HOME} and Teams tenant ${TEAMS_HOME} may ask, logs, quota, doctor; the console may ask, logs, quota, doctor, schedule, audit; people of other organisations nothing; kql (or kql.allowedUsers), and in chat schedule changes and audit, need a rule (access.rules in aoai.config.yaml); ${String(ACCESS_RULES.length)} rules configured.`);
  });

  it("gives the local default to surfaces only this machine reaches (Teams without an app id, the playground)", () => {
    const p = new AccessPolicy({});
    p.setLocalOnly("teams");
    expect(accessBanner(p, ["teams", "console", "web"])).toBe("Access: Teams (this machine only), the console, the playground may ask, logs, quota, doctor, schedule, audit; people of other organisations nothing; kql needs kql.allowedUsers or a rule (access.rules in aoai.config.yaml); no rules configured.");
  });
});
