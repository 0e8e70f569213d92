// Errors a person can act on carry what was wrong (message) and what to try (hint);
// everything else is an internal failure that the user sees as a short apology.

export interface UserErrorOptions {
  readonly hint?: string;
  readonly examples?: readonly string[];
  readonly cause?: unknown;
}

export abstract class UserError extends Error {
  abstract readonly code: string;
  readonly hint: string | undefined;
  readonly examples: readonly string[];

  constructor(message: string, options: UserErrorOptions = {}) {
    // a refusal shown to the person, never a failure to debug: collecting its stack was a tenth of
    // reading a refused question, and nothing reads it (the cause, when there is one, keeps its own)
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    Error.stackTraceLimit = limit;
    this.name = new.target.name;
    this.hint = options.hint;
    this.examples = options.examples ?? [];
  }
}

export class NotUnderstoodError extends UserError {
  readonly code = "not_understood";
}

export class UnknownDeploymentError extends UserError {
  readonly code = "unknown_deployment";
  readonly deployment: string;
  readonly known: readonly string[];
  readonly suggestion: string | undefined;

  constructor(deployment: string, known: readonly string[], suggestion: string | undefined) {
    super(
      suggestion
        ? `There is no deployment named "${deployment}". Did you mean ${suggestion}?`
        : `There is no deployment named "${deployment}".`,
      { hint: known.length > 0 ? `Known deployments: ${known.join(", ")}.` : "No deployments were found on the configured resources." },
    );
    this.deployment = deployment;
    this.known = known;
    this.suggestion = suggestion;
  }
}

export class InvalidFilterValueError extends UserError {
  readonly code = "invalid_filter_value";
}

export class UnsupportedDimensionError extends UserError {
  readonly code = "unsupported_dimension";
}

export class PercentileNotAvailableError extends UserError {
  readonly code = "percentile_not_available";
}

/** A status filter that contradicts the signal asked ("429s status=500"): a call has one status code. */
export class ConflictingStatusError extends UserError {
  readonly code = "conflicting_status";
}

export class InvalidWindowError extends UserError {
  readonly code = "invalid_window";
}

/** Azure refused the bot's identity (HTTP 401/403). */
export class AzureAccessDeniedError extends UserError {
  readonly code = "azure_access_denied";
}

/** Azure Monitor kept throttling (429/529) or was busy (503) past the retry budget. */
export class AzureThrottledError extends UserError {
  readonly code = "azure_throttled";
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number, options: UserErrorOptions = {}) {
    // without a Retry-After we already backed off: half a minute is a fair guess for a person
    super(`Azure Monitor is throttling, try again in ${retryAfterSeconds > 0 ? retryAfterSeconds : 30} s.`, options);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class AzureTimeoutError extends UserError {
  readonly code = "azure_timeout";
}

/** Azure Monitor answered, but with something that is not a Metrics response (not JSON, or not its shape). */
export class AzureUnreadableResponseError extends UserError {
  readonly code = "azure_unreadable_response";
}

/** Any other failed Azure call (4xx/5xx, unreachable endpoint, no credential). */
export class AzureRequestError extends UserError {
  readonly code = "azure_request_failed";
}

/** A deployment alias ("mini", "the ptu deployment") that fits several deployments: the person picks one. */
export class AmbiguousDeploymentError extends UserError {
  readonly code = "ambiguous_deployment";
}

/** A deployment alias that fits none of the deployments the resources report. */
export class NoMatchingDeploymentError extends UserError {
  readonly code = "no_matching_deployment";
}

/** A filter value the resource never reported for that dimension ("stream=true"): the reported ones are listed. */
export class UnknownDimensionValueError extends UserError {
  readonly code = "unknown_dimension_value";
}

/** A provisioned-only figure (PTU utilisation) asked of a pay-as-you-go deployment. */
export class NotProvisionedError extends UserError {
  readonly code = "not_provisioned";
}

/**
 * The asker may see none of the deployments a question needs (an access rule's `deployments:`
 * leave none of this resource): said without naming the resource or what it has.
 */
export class NothingVisibleError extends UserError {
  readonly code = "nothing_visible";
}

/**
 * What was asked can't be limited to the deployments the asker may see (a metric without the
 * ModelDeploymentName dimension, a log query with no deployment column, raw KQL): refused rather
 * than answered with figures that would count hidden deployments too.
 */
export class NotScopableError extends UserError {
  readonly code = "not_scopable";
}
