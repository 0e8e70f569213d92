// What can go wrong with a resource-log question, one class per failure a person can act on:
// message = what was wrong, hint = what to do (which role on which scope, which setting to create).
import { UserError, type UserErrorOptions } from "../errors.ts";

/** 403 from Log Analytics: the bot's identity may not query that workspace. */
export class LogsAccessDeniedError extends UserError {
  readonly code = "logs_access_denied";
  readonly workspace: string;

  constructor(workspace: string, options: UserErrorOptions = {}) {
    super(`The bot's Azure identity is not allowed to query the Log Analytics workspace ${workspace}.`, options);
    this.workspace = workspace;
  }
}

/** 400 from Log Analytics (BadArgumentError, SyntaxError, SemanticError): the query itself was refused. */
export class LogsQueryRejectedError extends UserError {
  readonly code = "logs_query_rejected";
}

/** 429 from Log Analytics: too many queries (200 per 30 s per user) or a queue wait over 3 minutes. */
export class LogsThrottledError extends UserError {
  readonly code = "logs_throttled";
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number, options: UserErrorOptions = {}) {
    super(`Log Analytics is throttling the bot's queries, try again in ${retryAfterSeconds > 0 ? retryAfterSeconds : 30} s.`, options);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** 504 GatewayTimeout: the query ran past the server timeout the bot asked for (Prefer: wait=…). */
export class LogsServerTimeoutError extends UserError {
  readonly code = "logs_server_timeout";
}

/** No answer at all within the bot's own limit (the SDK ignores abort signals, so the bot races it). */
export class LogsTimeoutError extends UserError {
  readonly code = "logs_timeout";
}

/** 404: no such workspace (or resource) for the query API. */
export class LogsWorkspaceNotFoundError extends UserError {
  readonly code = "logs_workspace_not_found";
}

/** A response the bot can't read (not JSON, or not the query API's shape). */
export class LogsUnreadableResponseError extends UserError {
  readonly code = "logs_unreadable_response";
}

/** Any other failed Log Analytics call (5xx, unreachable endpoint). */
export class LogsRequestError extends UserError {
  readonly code = "logs_request_failed";
}

/** Neither configuration nor a diagnostic setting names a workspace the resource's request logs go to. */
export class NoLogWorkspaceError extends UserError {
  readonly code = "no_log_workspace";
  readonly resourceId: string;

  constructor(resourceId: string, message: string, options: UserErrorOptions = {}) {
    super(message, options);
    this.resourceId = resourceId;
  }
}

/** A template parameter outside what the template accepts (a percentile, a limit, a stream type, a status). */
export class InvalidLogParameterError extends UserError {
  readonly code = "invalid_log_parameter";
}

/** Raw `kql` asked of the demo, whose simulated workspace answers the built-in templates only. */
export class KqlNeedsWorkspaceError extends UserError {
  readonly code = "kql_needs_workspace";
}
