// Which minutes of the simulated workspace can be read at a given moment. Resource logs reach Log
// Analytics later than platform metrics reach Azure Monitor (the service batches them, then the
// workspace ingests them): the demo lands a minute's rows 3 minutes after that minute's metrics,
// i.e. 4 to 5.5 minutes after the minute starts (metrics: 1 to 2.5, ingestion.ts). As with the
// metrics, the rows of a minute never depend on when they are read, only whether they can be yet.
import { dataWindow, type DataWindow } from "../ingestion.ts";

/** How much later than the metrics of the same minute its log rows land. */
export const LOG_DELAY_MS = 180_000;

/** The minutes with rows in the workspace at `nowMs`: [start, end), whole minutes. */
export function logsWindow(seed: number, nowMs: number): DataWindow {
  return dataWindow(seed, nowMs - LOG_DELAY_MS);
}
