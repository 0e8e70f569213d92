// Slack's failures as delivery errors (schedules/delivery-errors.ts): a 429 or an `ok: false` answer
// means Slack did not post the message; a 5xx, a timeout or a cut connection leaves it open.
import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from "@slack/web-api";
import { DeliveryError, DeliveryRefusedError, DeliveryUncertainError, uncertainStatus } from "../../schedules/delivery-errors.ts";

/** `ok: false` errors after which Slack says "some aspect of the operation may have succeeded". */
const UNCERTAIN_PLATFORM_ERRORS = new Set(["internal_error", "fatal_error", "service_unavailable", "request_timeout"]);

/** Socket errors raised before the request was sent: nothing reached Slack. */
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

export function slackDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const platform = "slack";
  if (err instanceof WebAPIRateLimitedError) return new DeliveryRefusedError("rate_limited", `Slack rate limited the call (retry after ${err.retryAfter} s)`, { platform, status: 429, retryAfterMs: Math.max(0, err.retryAfter) * 1000, cause: err });
  if (err instanceof WebAPIPlatformError) {
    const name = err.data.error;
    return UNCERTAIN_PLATFORM_ERRORS.has(name) ? new DeliveryUncertainError("server_error", `Slack answered ${name}`, { platform, cause: err }) : new DeliveryRefusedError("platform_refused", `Slack refused the call: ${name}`, { platform, cause: err });
  }
  if (err instanceof WebAPIHTTPError) return byStatus(err.statusCode, `Slack answered HTTP ${err.statusCode}`, err);
  if (err instanceof WebAPIRequestError) return fromNetwork(err.original, err);
  return fromNetwork(err, err);
}

/** What an HTTP status says (also for response_url posts). */
export function byStatus(status: number, message: string, cause: unknown, retryAfterMs?: number): DeliveryError {
  const platform = "slack";
  if (status === 429) return new DeliveryRefusedError("rate_limited", message, { platform, status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }), cause });
  const doubt = uncertainStatus(status);
  return doubt ? new DeliveryUncertainError(doubt, message, { platform, status, cause }) : new DeliveryRefusedError("platform_refused", message, { platform, status, cause });
}

function fromNetwork(original: unknown, cause: unknown): DeliveryError {
  const platform = "slack";
  const message = original instanceof Error ? original.message : String(original);
  if (original instanceof Error && original.name === "TimeoutError") return new DeliveryUncertainError("timeout", `Slack did not answer in time: ${message}`, { platform, cause });
  const code = socketCode(original);
  if (code !== undefined && NOT_SENT.has(code)) return new DeliveryRefusedError("connection_refused", `Slack could not be reached (${code})`, { platform, cause });
  return new DeliveryUncertainError(code === undefined ? "unknown" : "connection_lost", `Slack call failed: ${message}${code ? ` (${code})` : ""}`, { platform, cause });
}

/** fetch wraps socket errors: TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } }). */
function socketCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z_]+$/.test(code)) return code;
  }
  return undefined;
}
