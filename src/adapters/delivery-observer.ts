// What each send to a chat platform came to, for the process's metrics: told once per call the
// platform answered (or did not), retries included, so a rate-limited attempt followed by a good one
// is one `rate_limited` and one `delivered`. Senders only call the observer; counting lives in
// src/metrics, so adapters stay free of the metrics library.
import { DeliveryRefusedError } from "../schedules/delivery-errors.ts";

/** Per call the platform answered or not; `dropped`: once per message the bot gave up on (its outbound queue was full, or its last attempt failed). */
export type DeliveryOutcome = "delivered" | "rate_limited" | "refused" | "uncertain" | "dropped";

export interface Delivery {
  readonly platform: string;
  readonly outcome: DeliveryOutcome;
}

export type DeliveryObserver = (delivery: Delivery) => void;

/** A failed send, by the class its sender gave it (delivery-errors.ts): anything unrecognised may have been delivered. */
export function failedOutcome(err: unknown): DeliveryOutcome {
  if (err instanceof DeliveryRefusedError) return err.code === "rate_limited" ? "rate_limited" : "refused";
  return "uncertain";
}
