// Resource Manager operations as people read them. The activity log names each event by its
// operation ("Microsoft.CognitiveServices/accounts/deployments/write"); this table says what that
// was ("deployment updated"), the sentence said under a sharp change ("gpt-4o was updated"), which
// detail the event's request or response body can add, and whether it is a change worth listing
// (policy audits and key reads are not). An operation missing here is kept under its raw name.

/** What the event's body can add to the label: see activity-details.ts. */
export type DetailKind = "deployment" | "account" | "key" | "diagnostic-setting" | "role-assignment" | "private-endpoint";

/** A write's outcome, from the final event's status code: 201 created, 200 updated, unknown while it runs. */
export type WriteOutcome = "created" | "updated" | "either";

export interface OperationEntry {
  /** ARM operation name, compared without case. */
  readonly operation: string;
  /** What changed, in the label: "deployment", "keys", "diagnostic setting". */
  readonly noun: string;
  /** The verb by outcome; a plain string when the operation has one outcome (delete, an action). */
  readonly verb: string | Readonly<Record<WriteOutcome, string>>;
  /** The sentence, with {deployment}, {resource}, {verb} filled in: "{deployment} was {verb}". */
  readonly sentence: string;
  readonly detail?: DetailKind;
  /** False: kept out of "what changed" (audits, reads of keys). */
  readonly listed: boolean;
}

const WRITE: Readonly<Record<WriteOutcome, string>> = { created: "created", updated: "updated", either: "created or updated" };
const SETTING_WRITE: Readonly<Record<WriteOutcome, string>> = { created: "created", updated: "changed", either: "created or changed" };

export const ACTIVITY_OPERATIONS: readonly OperationEntry[] = [
  { operation: "Microsoft.CognitiveServices/accounts/deployments/write", noun: "deployment", verb: WRITE, sentence: "{deployment} was {verb}", detail: "deployment", listed: true },
  { operation: "Microsoft.CognitiveServices/accounts/deployments/delete", noun: "deployment", verb: "deleted", sentence: "{deployment} was {verb}", listed: true },
  { operation: "Microsoft.CognitiveServices/accounts/regenerateKey/action", noun: "keys", verb: "regenerated", sentence: "the keys of {resource} were {verb}", detail: "key", listed: true },
  { operation: "Microsoft.CognitiveServices/accounts/listKeys/action", noun: "keys", verb: "read", sentence: "the keys of {resource} were {verb}", listed: false },
  { operation: "Microsoft.CognitiveServices/accounts/write", noun: "account settings", verb: SETTING_WRITE, sentence: "the network rules or settings of {resource} were {verb}", detail: "account", listed: true },
  { operation: "Microsoft.CognitiveServices/accounts/delete", noun: "account", verb: "deleted", sentence: "{resource} was {verb}", listed: true },
  { operation: "Microsoft.CognitiveServices/accounts/privateEndpointConnections/write", noun: "private endpoint connection", verb: SETTING_WRITE, sentence: "a private endpoint connection of {resource} was {verb}", detail: "private-endpoint", listed: true },
  { operation: "Microsoft.CognitiveServices/accounts/privateEndpointConnections/delete", noun: "private endpoint connection", verb: "removed", sentence: "a private endpoint connection of {resource} was {verb}", detail: "private-endpoint", listed: true },
  { operation: "Microsoft.CognitiveServices/accounts/raiPolicies/write", noun: "content filter", verb: SETTING_WRITE, sentence: "a content filter of {resource} was {verb}", listed: true },
  { operation: "Microsoft.CognitiveServices/accounts/raiPolicies/delete", noun: "content filter", verb: "deleted", sentence: "a content filter of {resource} was {verb}", listed: true },
  { operation: "Microsoft.Insights/diagnosticSettings/write", noun: "diagnostic setting", verb: SETTING_WRITE, sentence: "a diagnostic setting of {resource} was {verb}", detail: "diagnostic-setting", listed: true },
  { operation: "Microsoft.Insights/diagnosticSettings/delete", noun: "diagnostic setting", verb: "deleted", sentence: "a diagnostic setting of {resource} was {verb}", detail: "diagnostic-setting", listed: true },
  { operation: "Microsoft.Authorization/roleAssignments/write", noun: "role", verb: "assigned", sentence: "a role was {verb} on {resource}", detail: "role-assignment", listed: true },
  { operation: "Microsoft.Authorization/roleAssignments/delete", noun: "role assignment", verb: "removed", sentence: "a role assignment on {resource} was {verb}", detail: "role-assignment", listed: true },
  { operation: "Microsoft.Authorization/locks/write", noun: "lock", verb: SETTING_WRITE, sentence: "a lock on {resource} was {verb}", listed: true },
  { operation: "Microsoft.Authorization/locks/delete", noun: "lock", verb: "removed", sentence: "a lock on {resource} was {verb}", listed: true },
  { operation: "Microsoft.Resources/tags/write", noun: "tags", verb: "changed", sentence: "the tags of {resource} were {verb}", listed: true },
  // Azure Policy evaluates resources on its own schedule: an audit is not a change anyone made
  { operation: "Microsoft.Authorization/policies/audit/action", noun: "policy audit", verb: "run", sentence: "{resource} was audited", listed: false },
  { operation: "Microsoft.Authorization/policies/auditIfNotExists/action", noun: "policy audit", verb: "run", sentence: "{resource} was audited", listed: false },
];

const BY_OPERATION = new Map(ACTIVITY_OPERATIONS.map((e) => [e.operation.toLowerCase(), e]));

export function operationEntry(operation: string): OperationEntry | undefined {
  return BY_OPERATION.get(operation.toLowerCase());
}

/** Whether an event with this operation belongs in "what changed": unknown operations do. */
export function isListed(operation: string): boolean {
  return operationEntry(operation)?.listed ?? true;
}

function verbOf(entry: OperationEntry, outcome: WriteOutcome): string {
  return typeof entry.verb === "string" ? entry.verb : entry.verb[outcome];
}

/** "deployment updated"; an unknown operation is its own label. */
export function operationLabel(operation: string, outcome: WriteOutcome): string {
  const entry = operationEntry(operation);
  return entry ? `${entry.noun} ${verbOf(entry, outcome)}` : operation;
}

/**
 * "gpt-4o was updated", from an event's operation and label (the label carries the outcome).
 * An unknown operation: "<operation> on gpt-4o".
 */
export function operationSentence(operation: string, label: string, names: { readonly deployment?: string | undefined; readonly resource: string }): string {
  const entry = operationEntry(operation);
  const subject = names.deployment ?? names.resource;
  if (!entry) return `${operation} on ${subject}`;
  const outcome = (["created", "updated", "either"] as const).find((o) => `${entry.noun} ${verbOf(entry, o)}` === label) ?? "either";
  return entry.sentence.replace("{deployment}", subject).replace("{resource}", names.resource).replace("{verb}", verbOf(entry, outcome));
}
