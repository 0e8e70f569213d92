// Which Log Analytics workspace holds a resource's request logs: the configured one
// (`resources[].workspaceId` or AOAI_WORKSPACE_ID) first, else the one its diagnostic settings send
// RequestResponse logs to. Discovery is one ARM read per resource, trusted for a few minutes: a
// setting created a minute ago is picked up soon, a burst of questions reads it once.
import type { DiagnosticSetting, DiagnosticSettingsReader } from "../arm-readers.ts";
import { LookupCache } from "../lookup-cache.ts";
import { resourceName } from "../resources.ts";
import { NoLogWorkspaceError } from "./log-errors.ts";

/** What LogQueries asks: the workspace (GUID or ARM id) to query for a resource's logs. */
export interface WorkspaceLocator {
  workspaceOf(resourceId: string): Promise<string>;
}

export const WORKSPACE_TTL_MS = 5 * 60_000;

/** Categories (or category groups) that carry the RequestResponse rows every template reads. */
const CARRIES_REQUESTS = new Set(["requestresponse", "alllogs"]);

export interface WorkspacesOptions {
  /** config.workspaces: resource id → workspace GUID or ARM id. */
  readonly configured: Readonly<Record<string, string>>;
  /** Absent: only configured workspaces are known. */
  readonly diagnosticSettings?: DiagnosticSettingsReader;
  readonly now?: () => Date;
  readonly ttlMs?: number;
}

export class Workspaces implements WorkspaceLocator {
  private readonly configured: ReadonlyMap<string, string>;
  private readonly reader: DiagnosticSettingsReader | undefined;
  private readonly now: () => Date;
  private readonly cache: LookupCache<string>;

  constructor(options: WorkspacesOptions) {
    // resource ids are case-insensitive in ARM
    this.configured = new Map(Object.entries(options.configured).map(([id, w]) => [id.toLowerCase(), w]));
    this.reader = options.diagnosticSettings;
    this.now = options.now ?? (() => new Date());
    this.cache = new LookupCache(options.ttlMs ?? WORKSPACE_TTL_MS);
  }

  workspaceOf(resourceId: string): Promise<string> {
    const configured = this.configured.get(resourceId.toLowerCase());
    if (configured !== undefined) return Promise.resolve(configured);
    const reader = this.reader;
    if (reader === undefined) return Promise.reject(noWorkspace(resourceId, []));
    return this.cache.get(resourceId.toLowerCase(), this.now().getTime(), async () => workspaceFrom(resourceId, await reader.list(resourceId)));
  }
}

/** The first setting that sends RequestResponse (or allLogs) to a workspace; else the error saying what to create. */
export function workspaceFrom(resourceId: string, settings: readonly DiagnosticSetting[]): string {
  const found = settings.find((s) => s.workspaceResourceId !== undefined && carriesRequests(s));
  if (found?.workspaceResourceId !== undefined) return found.workspaceResourceId;
  throw noWorkspace(resourceId, settings);
}

function carriesRequests(s: DiagnosticSetting): boolean {
  return s.logs.some((l) => l.enabled && CARRIES_REQUESTS.has(l.category.toLowerCase()));
}

const ALTERNATIVE = "Or name the workspace yourself: `workspaceId` on the resource in aoai.config.yaml, or AOAI_WORKSPACE_ID for every resource.";
const COST = "Sending logs to Log Analytics costs money (ingestion and retention are billed per GB).";

/** Says what is missing: no setting, a setting without a workspace, or one that leaves RequestResponse out. */
function noWorkspace(resourceId: string, settings: readonly DiagnosticSetting[]): NoLogWorkspaceError {
  const name = resourceName(resourceId);
  const toWorkspace = settings.find((s) => s.workspaceResourceId !== undefined);
  const withRequests = settings.find(carriesRequests);
  if (toWorkspace !== undefined) {
    return new NoLogWorkspaceError(resourceId, `The diagnostic setting "${toWorkspace.name}" on ${name} sends logs to a Log Analytics workspace, but not the RequestResponse category.`, {
      hint: `Enable the RequestResponse category (or the allLogs group) in "${toWorkspace.name}". ${COST} ${ALTERNATIVE}`,
    });
  }
  if (withRequests !== undefined) {
    return new NoLogWorkspaceError(resourceId, `The diagnostic setting "${withRequests.name}" on ${name} sends RequestResponse logs elsewhere (storage or Event Hubs), not to a Log Analytics workspace.`, {
      hint: `Add a Log Analytics workspace as a destination of "${withRequests.name}", or create another setting for it. ${COST} ${ALTERNATIVE}`,
    });
  }
  return new NoLogWorkspaceError(resourceId, `${name} has no diagnostic setting that sends its request logs to a Log Analytics workspace, so there are no logs to query.`, {
    hint: `Create a diagnostic setting on ${name} (Monitoring → Diagnostic settings) with the RequestResponse category (Audit and Trace too if wanted, or the allLogs group) and "Send to Log Analytics workspace". ${COST} Rows appear a few minutes after calls. ${ALTERNATIVE}`,
  });
}
