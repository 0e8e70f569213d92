// The Azure OpenAI resources the bot answers for, and the deployments each really has.
import type { DeploymentFacts } from "./deployment-facts.ts";
import type { MetricFamilyId } from "./metric-families.ts";

export interface Resource {
  readonly id: string;
  /** The account name (last segment of the id). */
  readonly name: string;
  readonly deployments: readonly string[];
  /** What the resource reports about each deployment (model, provisioned): aliases and PTU checks read it. */
  readonly facts?: readonly DeploymentFacts[];
  /** The metric family its definitions list (metric-families.ts); absent: the Azure OpenAI one. */
  readonly family?: MetricFamilyId;
  /**
   * Set when the asker may see only some deployments (scope.ts): the ones kept. Every request for
   * this resource is then filtered to them, also when the question names no deployment; an empty
   * list means nothing of this resource may be read.
   */
  readonly visible?: readonly string[];
}

export function resourceName(id: string): string {
  const parts = id.split("/").filter((p) => p.length > 0);
  return parts[parts.length - 1] ?? id;
}

const RESOURCE_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.CognitiveServices\/accounts\/[^/]+$/i;

export function isResourceId(id: string): boolean {
  return RESOURCE_ID.test(id);
}

const WORKSPACE_GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WORKSPACE_RESOURCE_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.OperationalInsights\/workspaces\/[^/]+$/i;

/** A Log Analytics workspace as the bot accepts one: its workspace id (GUID) or its ARM resource id. */
export function isWorkspaceId(id: string): boolean {
  return WORKSPACE_GUID.test(id) || WORKSPACE_RESOURCE_ID.test(id);
}
