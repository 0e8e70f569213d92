// Resource Manager reads besides metrics (activity log, deployments, diagnostic settings) fail in
// their own ways: each needs a different role, and a person must be told which one, on which scope.
// Failures that are the same whatever was read (credentials, network, unreadable bodies) go through
// the metrics translation in azure-metrics.ts.
import { isRestError } from "@azure/core-rest-pipeline";
import { azureErrorMessage, translate } from "./azure-metrics.ts";
import { AzureAccessDeniedError, AzureRequestError, AzureTimeoutError, UserError, type UserErrorOptions } from "./errors.ts";
import type { RetryPolicy, RetryVerdict } from "../retry/retry.ts";

/** Resource Manager kept throttling (429) or was busy (503) past the retry budget. */
export class ArmThrottledError extends UserError {
  readonly code = "arm_throttled";
  readonly retryAfterSeconds: number;

  constructor(what: string, retryAfterSeconds: number, options: UserErrorOptions = {}) {
    // without a Retry-After we already backed off: half a minute is a fair guess for a person
    super(`Azure Resource Manager is throttling the bot's reads of ${what}, try again in ${retryAfterSeconds > 0 ? retryAfterSeconds : 30} s.`, options);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * Same shape as the metrics policy: a person is waiting, so a Retry-After of minutes is said, not
 * waited out. Paged lists restart from the first page on a retry (a page link can expire).
 */
export const ARM_READ_RETRY: RetryPolicy = { maxAttempts: 3, budgetMs: 8_000, baseDelayMs: 500, maxDelayMs: 4_000 };

/** One list call, all its pages; Resource Manager answers these in well under a second normally. */
export const DEFAULT_ARM_TIMEOUT_MS = 20_000;

export type ArmRead = "activity-log" | "deployments" | "diagnostic-settings";

/** Where the read was aimed: the account, and the subscription / resource group it sits in. */
export interface ArmScope {
  readonly resourceId: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  /** The scope the request itself named (the activity log is read at subscription level, filtered). */
  readonly requestScope: string;
}

interface ReadInfo {
  /** What a missing resource has none of: "no activity log to read". */
  readonly noun: string;
  /** "the activity log of aoai-prod" */
  readonly what: (s: ArmScope) => string;
  /** Which role to assign, on which scope, to read it. */
  readonly access: (s: ArmScope) => string;
}

const subscription = (s: ArmScope) => `/subscriptions/${s.subscriptionId}`;
const resourceGroup = (s: ArmScope) => `${subscription(s)}/resourceGroups/${s.resourceGroup}`;

/** What each read needs. Monitoring Reader and Reader both grant `*∕read`, which covers all three. */
export const ARM_READS: Readonly<Record<ArmRead, ReadInfo>> = {
  "activity-log": {
    noun: "activity log",
    what: (s) => `the activity log of ${s.resourceId}`,
    access: (s) =>
      s.requestScope === "resource-group"
        ? `Assign it "Monitoring Reader" (or "Reader") on the resource group ${resourceGroup(s)} or the subscription ${subscription(s)}: the bot reads the group's events and keeps those of the account and its deployments.`
        : `Assign it "Monitoring Reader" (or "Reader") on the account ${s.resourceId} or the subscription ${subscription(s)}.`,
  },
  deployments: {
    noun: "deployments",
    what: (s) => `the deployments of ${s.resourceId}`,
    access: (s) =>
      `Assign it "Reader" on the account ${s.resourceId} (or "Monitoring Reader", which reading metrics already needs): listing deployments needs Microsoft.CognitiveServices/accounts/deployments/read. "Cognitive Services Usages Reader" is not enough: it reads the subscription's quota usage, not deployments.`,
  },
  "diagnostic-settings": {
    noun: "diagnostic settings",
    what: (s) => `the diagnostic settings of ${s.resourceId}`,
    access: (s) => `Assign it "Monitoring Reader" (or "Reader") on the account ${s.resourceId}.`,
  },
};

const ASSIGNMENT_DELAY = "New role assignments can take up to an hour to apply.";

/** A failed Resource Manager read, said to a person: which role on which scope, how long to wait, what does not exist. */
export function translateArmError(err: unknown, read: ArmRead, scope: ArmScope, timeoutMs: number, timedOut: boolean): UserError {
  if (err instanceof UserError) return err;
  const info = ARM_READS[read];
  const what = info.what(scope);
  if (timedOut || (err instanceof Error && err.name === "AbortError")) {
    return new AzureTimeoutError(`Azure Resource Manager did not hand over ${what} within ${seconds(timeoutMs)}.`, {
      hint: "Try again in a minute; for the activity log, a shorter window is fewer pages. If it keeps happening, check https://status.azure.com.",
      cause: err,
    });
  }
  if (!isRestError(err)) return translate(err, scope.resourceId, timeoutMs, false);
  const status = err.statusCode ?? 0;
  const requestId = err.response?.headers.get("x-ms-request-id");
  const ref = requestId ? ` (request id ${requestId})` : "";
  const said = azureErrorMessage(err);
  const azureSaid = said ? ` Azure said: ${said}` : "";
  if (status === 429 || status === 503) {
    const retryAfter = Number.parseInt(err.response?.headers.get("retry-after") ?? "", 10);
    return new ArmThrottledError(what, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 0, {
      hint: "Resource Manager limits how many reads a subscription makes per hour; ask again in a moment.",
      cause: err,
    });
  }
  if (status === 403) {
    return new AzureAccessDeniedError(`The bot's Azure identity is not allowed to read ${what}${ref}.`, { hint: `${info.access(scope)} ${ASSIGNMENT_DELAY}${azureSaid}`, cause: err });
  }
  if (status === 404) {
    const missing = /ResourceGroupNotFound/i.test(said ?? "") ? resourceGroup(scope) : /SubscriptionNotFound/i.test(said ?? "") ? subscription(scope) : scope.resourceId;
    return new AzureRequestError(`Azure says ${missing} does not exist, so it has no ${info.noun} to read${ref}.`, {
      hint: `Check the resource IDs in AOAI_RESOURCE_IDS or aoai.config.yaml.${azureSaid}`,
      cause: err,
    });
  }
  if (status >= 500) {
    return new AzureRequestError(`Azure Resource Manager answered HTTP ${status} reading ${what}${ref}.`, { hint: `This is on Azure's side; try again in a minute.${azureSaid}`, cause: err });
  }
  if (status === 400) {
    return new AzureRequestError(`Azure Resource Manager refused the request for ${what}${ref}.${azureSaid}`, { hint: "This is a bug worth reporting, with the request id.", cause: err });
  }
  return translate(err, scope.resourceId, timeoutMs, false);
}

/** Only throttling is worth another attempt, after Resource Manager's Retry-After when it gave one. */
export function armThrottledAgain(err: unknown): RetryVerdict {
  if (!(err instanceof ArmThrottledError)) return { retry: false };
  return err.retryAfterSeconds > 0 ? { retry: true, afterMs: err.retryAfterSeconds * 1000 } : { retry: true };
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}
