// How one of an answer's requests really went to Azure, when a batch API stood between the plan and
// the wire (batch-metrics.ts): with other accounts' same request as one metrics:getBatch call, or
// as its own Metrics - List call after all, and why. The trace, the audit row, `aoai ask --json`
// and a figure's source line say it, so a figure stays traceable to the call that produced it.
// `aoai ask --plan` can only say what may happen (`mayBeSentAs`): the cache, a refusal or a
// condition that does not hold decide at sending time.

/** Part of one metrics:getBatch call at the account's regional data-plane host. */
export interface BatchCall {
  readonly api: "metrics_batch";
  readonly call: "metrics:getBatch";
  readonly region: string;
  readonly endpoint: string;
  /** Accounts the one call asked for, this one's included. */
  readonly accounts: number;
}

/** Its own Metrics - List call although the batch API was there. */
export interface ListCall {
  readonly api: "metrics";
  readonly call: "Metrics - List";
  /** Why it was not batched (a refusal, an unknown region, no other account asking the same). */
  readonly because: string;
}

export type SentAs = BatchCall | ListCall;

/** Why a request the batch API was asked for went as Metrics - List, when the batch itself did not refuse it. */
export const LISTED_BECAUSE = {
  regionUnknown: "its account's region is not known yet (resources[].region, or learnt from this answer)",
  spanUnsaid: "its timespan is not a start/end the batch API takes",
  alone: "no other account asked the same request in the same turn",
} as const;

export function listedBecauseRefused(why: string): string {
  return `metrics:getBatch was refused: ${why}`;
}

/**
 * In a trace line, in front of the account's name: "metrics:getBatch swedencentral (6 accounts)".
 * Short: the audit keeps AUDIT_REQUEST_CHARS of a line, and a live window merged with its baseline
 * and the freshness probe already takes about 250.
 */
export function batchCallWords(b: BatchCall): string {
  return `${b.call} ${b.region} (${String(b.accounts)} accounts)`;
}

/** At the end of a trace line or a figure's source: "(Metrics - List: …)". */
export function listCallWords(l: ListCall): string {
  return `(${l.call}: ${l.because})`;
}

/** A figure's source line: how its window's request went. */
export function sentAsWords(s: SentAs): string {
  return s.api === "metrics_batch" ? `sent as ${s.call} ${s.region}, one call for ${String(s.accounts)} accounts` : `sent as ${s.call}: ${s.because}`;
}
