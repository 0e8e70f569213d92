// What a template answer reads: the demo traffic, which minutes have landed, and the bound values.
import type { DataWindow } from "../ingestion.ts";
import type { DemoTraffic } from "../traffic.ts";
import type { WorkspaceParams } from "./template-params.ts";

export interface WorkspaceRead {
  readonly traffic: DemoTraffic;
  /** Minutes whose rows are in the workspace now (log-ingestion.ts). */
  readonly landed: DataWindow;
  readonly params: WorkspaceParams;
}
