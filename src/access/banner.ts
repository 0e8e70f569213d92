// The start banner's line about access: what the default policy allows, to whom, and which
// setting changes it, so an operator sees before the first question who can ask.
import { HOME_DEFAULT, LOCAL_DEFAULT } from "./commands.ts";
import { LOCAL_PLATFORMS, type AccessPolicy } from "./policy.ts";

const ORG_WORDS: Readonly<Record<string, string>> = { slack: "Slack workspace", teams: "Teams tenant" };
const LOCAL_WORDS: Readonly<Record<string, string>> = { console: "the console", web: "the playground", cli: "aoai", teams: "Teams (this machine only)" };

/** `platforms`: the started platforms' names (only those with organisations are described). */
export function accessBanner(policy: AccessPolicy, platforms: readonly string[]): string {
  const homes = platforms.flatMap((p) => {
    const word = ORG_WORDS[p];
    if (word === undefined || policy.isLocalOnly(p)) return [];
    const home = policy.home(p);
    return [home === undefined ? `${word} (not known yet: nobody there until it is)` : `${word} ${home}`];
  });
  // surfaces only this machine reaches get the local default, which also changes schedules and reads the audit log
  const local = platforms.filter((p) => LOCAL_PLATFORMS.has(p) || policy.isLocalOnly(p)).map((p) => LOCAL_WORDS[p] ?? p);
  const extra = LOCAL_DEFAULT.filter((c) => !HOME_DEFAULT.includes(c));
  const parts = [
    ...(homes.length === 0 ? [] : [`people of ${homes.join(" and ")} may ${HOME_DEFAULT.join(", ")}`]),
    ...(local.length === 0 ? [] : [`${local.join(", ")} may ${LOCAL_DEFAULT.join(", ")}`]),
  ];
  const rules = policy.ruleCount;
  const needs = homes.length > 0 ? `kql (or kql.allowedUsers), and in chat ${extra.map((c) => (c === "schedule" ? "schedule changes" : c)).join(" and ")}, need a rule (access.rules in aoai.config.yaml)` : "kql needs kql.allowedUsers or a rule (access.rules in aoai.config.yaml)";
  return `Access: ${parts.length === 0 ? "nobody by default" : parts.join("; ")}; people of other organisations nothing; ${needs}; ${rules === 0 ? "no rules" : rules === 1 ? "1 rule" : `${rules} rules`} configured.`;
}
