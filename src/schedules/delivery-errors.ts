// Why a post failed, as types: the runner decides "try the slot again" or "record it, never replay"
// by class alone. Each platform's sender turns its SDK's failures into one of these, keeping the
// SDK error as `cause`.

/** Certainly not delivered: rate limited, refused by the platform, nowhere to post it. Safe to try again. */
export const REFUSED_CODES = ["rate_limited", "platform_refused", "connection_refused", "teams_conversation_unknown", "teams_channel_not_configured", "queue_full", "stopping"] as const;
/** May have been delivered: no answer in time, a 5xx, a connection cut mid-request. Never replayed blindly. */
export const UNCERTAIN_CODES = ["timeout", "server_error", "connection_lost", "unknown"] as const;

export type RefusedCode = (typeof REFUSED_CODES)[number];
export type UncertainCode = (typeof UNCERTAIN_CODES)[number];

export interface DeliveryErrorDetails {
  readonly platform: string;
  /** The HTTP status, when there was an answer. */
  readonly status?: number;
  /** How long the platform asked us to wait (Retry-After), in milliseconds. */
  readonly retryAfterMs?: number;
  readonly cause?: unknown;
}

export abstract class DeliveryError extends Error {
  abstract readonly code: RefusedCode | UncertainCode;
  readonly platform: string;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, details: DeliveryErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.platform = details.platform;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
  }
}

export class DeliveryRefusedError extends DeliveryError {
  readonly code: RefusedCode;

  constructor(code: RefusedCode, message: string, details: DeliveryErrorDetails) {
    super(message, details);
    this.name = "DeliveryRefusedError";
    this.code = code;
  }
}

export class DeliveryUncertainError extends DeliveryError {
  readonly code: UncertainCode;

  constructor(code: UncertainCode, message: string, details: DeliveryErrorDetails) {
    super(message, details);
    this.name = "DeliveryUncertainError";
    this.code = code;
  }
}

/** True only when the platform certainly did not take the message; anything unrecognised may have been delivered. */
export function surelyUndelivered(err: unknown): boolean {
  return err instanceof DeliveryRefusedError;
}

/** HTTP statuses that say nothing about delivery for sure: the request may have been carried out. */
export function uncertainStatus(status: number): UncertainCode | undefined {
  if (status === 408 || status === 504) return "timeout";
  return status >= 500 ? "server_error" : undefined;
}
