// What an activity-log event's body says changed. Resource Manager puts the PUT body of a write in
// the Started event's properties.requestbody and, for many providers, the result in the final event's
// properties.responseBody, both as JSON text. Each detail kind reads the few fields people ask about.
import type { DetailKind } from "./activity-operations.ts";

/** A deployment's state as one event left it, to say "capacity 100 → 150" at the next one. */
export interface DeploymentState {
  readonly capacity?: number;
  readonly model?: string;
  readonly version?: string;
}

export interface DetailInput {
  /** The parsed body (response preferred over request), when the event had one. */
  readonly body: unknown;
  /** The resource the event is on (the setting's, connection's or assignment's own id). */
  readonly resourceId: string;
  /** The deployment's state after the previous write in the window, if there was one. */
  readonly previous?: DeploymentState;
  /** What the write did, when the final record says. */
  readonly created: boolean;
}

/** Well-known built-in role ids (the same in every tenant), so an assignment reads "Reader", not a GUID. */
const BUILT_IN_ROLES: Readonly<Record<string, string>> = {
  "acdd72a7-3385-48ef-bd42-f606fba81ae7": "Reader",
  "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
  "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
  "43d0d8ad-25c7-4714-9337-8ba259a9fe05": "Monitoring Reader",
  "73c42c96-874c-492b-b04d-ab87d138a893": "Log Analytics Reader",
  "a97b65f3-24c7-4388-baec-2e87135dc908": "Cognitive Services User",
  "25fbc0a9-bd7c-42a3-aa1a-3b75d497ee68": "Cognitive Services Contributor",
  "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd": "Cognitive Services OpenAI User",
  "a001fd3d-188f-4b5d-821b-7da978bf7442": "Cognitive Services OpenAI Contributor",
};

export const DETAILS: Readonly<Record<DetailKind, (x: DetailInput) => string | undefined>> = {
  // without an earlier write in the window the old values are unknown: a model is named only on
  // creation, or when the body says nothing of capacity (an update would otherwise repeat it each time)
  deployment: ({ body, previous, created }) => {
    const now = deploymentState(body);
    const parts: string[] = [];
    if (now.capacity !== undefined && now.capacity !== previous?.capacity) parts.push(previous?.capacity === undefined ? `capacity ${now.capacity}` : `capacity ${previous.capacity} → ${now.capacity}`);
    if (now.version !== undefined && previous?.version !== undefined && now.version !== previous.version) parts.push(`model version ${previous.version} → ${now.version}`);
    else if (now.version !== undefined && previous?.version === undefined && (created || now.capacity === undefined)) parts.push(`model ${[now.model, now.version].filter(Boolean).join(" ")}`);
    return joined(parts);
  },
  account: ({ body }) => {
    const props = field(body, "properties");
    const acls = field(props, "networkAcls");
    const parts: string[] = [];
    const access = field(props, "publicNetworkAccess");
    if (typeof access === "string") parts.push(`public network access ${access}`);
    if (acls !== undefined) {
      const ips = list(field(acls, "ipRules")).length;
      const vnets = list(field(acls, "virtualNetworkRules")).length;
      const def = field(acls, "defaultAction");
      parts.push(`network rules: default ${typeof def === "string" ? def : "unset"}, ${count(ips, "IP rule")}, ${count(vnets, "virtual network rule")}`);
    }
    const local = field(props, "disableLocalAuth");
    if (typeof local === "boolean") parts.push(local ? "key access disabled" : "key access enabled");
    return joined(parts);
  },
  key: ({ body }) => {
    const name = field(body, "keyName");
    return typeof name === "string" ? name : undefined;
  },
  "diagnostic-setting": ({ body, resourceId }) => {
    const props = field(body, "properties");
    const workspace = field(props, "workspaceId");
    const logs = list(field(props, "logs")).filter((l) => field(l, "enabled") === true).map((l) => field(l, "category") ?? field(l, "categoryGroup")).filter((c): c is string => typeof c === "string");
    const parts = [`"${lastSegment(resourceId)}"`];
    if (typeof workspace === "string") parts.push(`to workspace ${lastSegment(workspace)}`);
    if (logs.length > 0) parts.push(`logs: ${logs.join(", ")}`);
    return parts.join(" ");
  },
  "role-assignment": ({ body }) => {
    const props = field(body, "properties");
    const role = field(props, "roleDefinitionId");
    const principal = field(props, "principalId");
    const roleId = typeof role === "string" ? lastSegment(role).toLowerCase() : undefined;
    const parts: string[] = [];
    if (roleId !== undefined) parts.push(BUILT_IN_ROLES[roleId] ?? `role ${roleId}`);
    if (typeof principal === "string") parts.push(`for principal ${principal}`);
    return joined(parts, " ");
  },
  "private-endpoint": ({ body, resourceId }) => {
    const state = field(field(field(body, "properties"), "privateLinkServiceConnectionState"), "status");
    return [`"${lastSegment(resourceId)}"`, ...(typeof state === "string" ? [state] : [])].join(" ");
  },
};

/** Capacity, model and version as a deployment's PUT body or its response carries them. */
export function deploymentState(body: unknown): DeploymentState {
  const capacity = field(field(body, "sku"), "capacity");
  const model = field(field(body, "properties"), "model");
  const name = field(model, "name");
  const version = field(model, "version");
  return {
    ...(typeof capacity === "number" ? { capacity } : {}),
    ...(typeof name === "string" ? { model: name } : {}),
    ...(typeof version === "string" ? { version } : {}),
  };
}

/** A body the activity log carries as JSON text; anything else (truncated, not JSON) is no body. */
export function parseBody(text: string | undefined): unknown {
  if (text === undefined || text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function field(v: unknown, name: string): unknown {
  if (typeof v !== "object" || v === null) return undefined;
  const key = Object.keys(v).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : (v as Record<string, unknown>)[key];
}

function list(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? "" : "s"}`;
}

function joined(parts: readonly string[], sep = "; "): string | undefined {
  return parts.length > 0 ? parts.join(sep) : undefined;
}

function lastSegment(id: string): string {
  const parts = id.split("/").filter((p) => p.length > 0);
  return parts[parts.length - 1] ?? id;
}
