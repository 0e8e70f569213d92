// The Log Analytics workspace the demo account's diagnostic setting sends its resource logs to.
// The bot may name it by its workspace (customer) id or by its ARM id; both reach the simulated one.
import { DEMO_RESOURCE_GROUP, DEMO_SUBSCRIPTION_ID } from "../demo-resource.ts";

export const DEMO_WORKSPACE_NAME = "law-aoai-demo";
export const DEMO_WORKSPACE_RESOURCE_ID = `/subscriptions/${DEMO_SUBSCRIPTION_ID}/resourceGroups/${DEMO_RESOURCE_GROUP}/providers/Microsoft.OperationalInsights/workspaces/${DEMO_WORKSPACE_NAME}`;
/** The workspace (customer) id that the Log Analytics query API addresses. */
export const DEMO_WORKSPACE_ID = "4f2d9c1e-8a3b-4c6d-9e0f-1a2b3c4d5e6f";

export function isDemoWorkspace(workspace: string): boolean {
  const w = workspace.trim().toLowerCase();
  return w === DEMO_WORKSPACE_ID || w === DEMO_WORKSPACE_RESOURCE_ID.toLowerCase();
}
