// Names people use for a deployment instead of its name: its model family ("embeddings", "mini")
// or its SKU ("the ptu deployment"). Each alias is a rule over what the resource reports
// (deployment-facts.ts: ModelName values, provisioned metrics), never a list of names, so a new
// deployment is found by the same words. Several matches: the person is asked which one.
import type { DeploymentFacts } from "../queries/deployment-facts.ts";
import { AmbiguousDeploymentError, NoMatchingDeploymentError } from "../queries/errors.ts";

interface AliasRule {
  /** What people say; group 1, when present, is a plural ("deployments") meaning all matches. */
  readonly patterns: readonly RegExp[];
  /** Why a deployment matched, for the note in the answer ("its model is an embedding model"). */
  readonly reason: string;
  /** What none of the deployments is, when nothing matched. */
  readonly none: string;
  readonly matches: (f: DeploymentFacts) => boolean;
}

const B = "(?<![a-z0-9._-])";
const E = "(?![a-z0-9_-])";
const KIND = "(?:\\s+(?:(deployments|models|ones)|deployment|model|one))?";

/** A model family: the deployment's ModelName, or its name when the resource reported no model. */
function family(re: RegExp): (f: DeploymentFacts) => boolean {
  return (f) => (f.models.length > 0 ? f.models : [f.name]).some((m) => re.test(m.toLowerCase()));
}

export const ALIAS_RULES: readonly AliasRule[] = [
  { patterns: [new RegExp(`${B}(?:the\\s+)?(?:embeddings?|embed)${KIND}${E}`)], reason: "its model is an embedding model", none: "no deployment runs an embedding model", matches: family(/embedding/) },
  { patterns: [new RegExp(`${B}(?:the\\s+)?mini${KIND}${E}`)], reason: "its model is a mini model", none: "no deployment runs a mini model", matches: family(/(?:^|[-_.])mini(?:$|[-_.])/) },
  { patterns: [new RegExp(`${B}(?:the\\s+)?nano${KIND}${E}`)], reason: "its model is a nano model", none: "no deployment runs a nano model", matches: family(/(?:^|[-_.])nano(?:$|[-_.])/) },
  {
    patterns: [
      new RegExp(`${B}(?:the\\s+)?(?:ptu|provisioned|provisioned-managed)\\s+(?:(deployments|models|ones)|deployment|model|one)${E}`),
      // "latency for the ptu", "errors on provisioned"; not "for ptu utilisation"
      new RegExp(`(?<=\\b(?:on|for|of|from)\\s)(?:the\\s+)?(?:ptu|provisioned)${E}(?!\\s+(?:utili[sz]ation|capacity|usage))`),
    ],
    reason: "it reports provisioned (PTU) utilisation",
    none: "no deployment reports provisioned (PTU) utilisation",
    matches: (f) => f.provisioned,
  },
];

/** The provisioned rule, for a bare "ptu"/"provisioned" that turned out to qualify another signal. */
export const PROVISIONED_ALIAS = ALIAS_RULES[ALIAS_RULES.length - 1]!;

export interface AliasHit {
  readonly names: readonly string[];
  /** Said in the answer: which deployment the alias was read as, and why. */
  readonly note: string;
  /** The text with the alias blanked, same length. */
  readonly rest: string;
}

/**
 * Finds the first alias in `text` and the deployments it means. `asked` (the person's words) is
 * used for the choices offered when it is ambiguous.
 */
export function takeAlias(text: string, facts: readonly DeploymentFacts[], asked: string): AliasHit | undefined {
  // the earliest alias first, so "compare mini and embeddings" keeps the person's order
  let first: { rule: AliasRule; m: RegExpExecArray } | undefined;
  for (const rule of ALIAS_RULES) {
    for (const pattern of rule.patterns) {
      const m = pattern.exec(text);
      if (m && (first === undefined || m.index < first.m.index)) first = { rule, m };
    }
  }
  if (first === undefined) return undefined;
  const { rule, m } = first;
  const rest = text.slice(0, m.index) + " ".repeat(m[0].length) + text.slice(m.index + m[0].length);
  return { ...resolveAlias(rule, m[0].trim(), m[1] !== undefined, facts, asked), rest };
}

export function resolveAlias(rule: AliasRule, phrase: string, plural: boolean, facts: readonly DeploymentFacts[], asked: string): { names: string[]; note: string } {
  const names = [...new Set(facts.filter(rule.matches).map((f) => f.name))].sort();
  if (names.length === 0) {
    throw new NoMatchingDeploymentError(`No deployment fits "${phrase}": ${rule.none}.`, {
      hint: facts.length > 0 ? `Known deployments: ${facts.map((f) => f.name).join(", ")}.` : "No deployments were found on the configured resources.",
    });
  }
  if (names.length > 1 && !plural) {
    throw new AmbiguousDeploymentError(`"${phrase}" could mean ${listOr(names)}: which one?`, {
      hint: `Name the deployment, or say "${phrase.replace(/^the\s+/, "").replace(/\s+(?:deployment|model|one)$/, "")} deployments" for all of them.`,
      examples: names.map((n) => replaceOnce(asked, phrase, n)),
    });
  }
  return { names, note: `"${phrase}" read as ${names.join(", ")} (${names.length > 1 ? `each: ${rule.reason}` : rule.reason}).` };
}

function listOr(names: readonly string[]): string {
  return names.length <= 2 ? names.join(" or ") : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1] ?? ""}`;
}

function replaceOnce(text: string, phrase: string, name: string): string {
  const at = text.toLowerCase().indexOf(phrase.toLowerCase());
  return at < 0 ? `${text} ${name}` : `${text.slice(0, at)}${name}${text.slice(at + phrase.length)}`;
}
