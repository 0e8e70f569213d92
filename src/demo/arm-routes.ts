// The Azure Resource Manager reads the simulator answers besides metrics, with the paths and
// api-versions the SDKs send: @azure/arm-monitor 8 (activity log 2015-04-01, diagnostic settings
// 2021-05-01-preview) and @azure/arm-cognitiveservices 8 (deployments, default 2025-09-01).
import { activityLogList } from "./activity-events.ts";
import { ArmError } from "./arm-error.ts";
import { deploymentList } from "./deployment-limits.ts";
import { DEMO_RESOURCE_ID } from "./demo-resource.ts";
import { diagnosticSettingsList } from "./diagnostic-settings.ts";

export interface ArmRouteContext {
  readonly seed: number;
  readonly nowMs: number;
  /** Query parameters, names lower-cased. */
  readonly params: ReadonlyMap<string, string>;
}

interface ArmRoute {
  readonly pattern: RegExp;
  readonly apiVersions: readonly string[];
  /** Error code for an api-version the resource type does not have (ARM's, or the provider's). */
  readonly versionError: string;
  answer(match: RegExpExecArray, ctx: ArmRouteContext): unknown;
}

const COGNITIVE_SERVICES_VERSIONS = ["2021-10-01", "2022-03-01", "2022-10-01", "2022-12-01", "2023-05-01", "2024-10-01", "2025-06-01", "2025-09-01"];

const ROUTES: readonly ArmRoute[] = [
  {
    pattern: /^\/subscriptions\/([^/]+)\/providers\/microsoft\.insights\/eventtypes\/management\/values$/i,
    apiVersions: ["2015-04-01"],
    versionError: "InvalidApiVersionParameter",
    answer: (m, ctx) => activityLogList(ctx.seed, m[1] ?? "", ctx.params, ctx.nowMs),
  },
  {
    pattern: /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.CognitiveServices\/accounts\/[^/]+)\/deployments$/i,
    apiVersions: COGNITIVE_SERVICES_VERSIONS,
    versionError: "NoRegisteredProviderFound",
    answer: (m, ctx) => {
      demoAccount(m[1] ?? "");
      return deploymentList(ctx.nowMs);
    },
  },
  {
    pattern: /^(\/subscriptions\/.+)\/providers\/microsoft\.insights\/diagnosticSettings$/i,
    apiVersions: ["2017-05-01-preview", "2021-05-01-preview"],
    versionError: "InvalidApiVersionParameter",
    answer: (m) => {
      demoAccount(m[1] ?? "");
      return diagnosticSettingsList();
    },
  },
];

function demoAccount(resourceId: string): void {
  if (resourceId.toLowerCase() === DEMO_RESOURCE_ID.toLowerCase()) return;
  throw new ArmError(404, "ResourceNotFound", `The Resource '${resourceId}' was not found. The demo knows only ${DEMO_RESOURCE_ID}. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
}

/** The answer to an ARM read other than metrics, or undefined when the path is none of these routes. */
export function answerArmRoute(method: string, path: string, ctx: ArmRouteContext): { readonly body: unknown } | undefined {
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (match === null) continue;
    if (method.toUpperCase() !== "GET") {
      throw new ArmError(405, "MethodNotAllowed", `The requested resource does not support http method '${method}'.`);
    }
    const version = ctx.params.get("api-version");
    if (version === undefined || version === "") {
      throw new ArmError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
    }
    if (!route.apiVersions.includes(version)) {
      throw new ArmError(400, route.versionError, `The api-version '${version}' is invalid for this resource type. The supported versions are '${route.apiVersions.join(",")}'.`);
    }
    return { body: route.answer(match, ctx) };
  }
  return undefined;
}
