// The start banner's line about access: what the default policy allows, to whom, and which
// setting changes it, so an operator sees before the first question who can ask.
import { HOME_DEFAULT } from "./commands.ts";
import type { AccessPolicy } from "./policy.ts";

const ORG_WORDS: Readonly<Record<string, string>> = { slack: "Slack workspace", teams: "Teams tenant" };

/** `platforms`: the started platforms' names (only those with organisations are described). */
export function accessBanner(policy: AccessPolicy, platforms: readonly string[]): string {
  const homes = platforms.flatMap((p) => {
    const word = ORG_WORDS[p];
    if (word === undefined) return [];
    if (policy.isLocalOnly(p)) return [`${word.split(" ")[0] ?? p} (this machine only)`];
    const home = policy.home(p);
    return [home === undefined ? `${word} (not known yet: nobody there until it is)` : `${word} ${home}`];
  });
  const who = homes.length === 0 ? "the console and playground" : `people of ${homes.join(" and ")}`;
  const rules = policy.ruleCount;
  return `Access: ${who} may ${HOME_DEFAULT.join(", ")}; people of other organisations nothing; kql (or kql.allowedUsers), schedule changes and audit need a rule (access.rules in aoai.config.yaml); ${rules === 0 ? "no rules" : rules === 1 ? "1 rule" : `${rules} rules`} configured.`;
}
