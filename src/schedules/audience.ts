// Who reads a scheduled report: each target is a place (its platform, the platform's own
// organisation, its channel, no user) the access policy grants like any other. A target whose grant
// does not allow `ask` gets no report; the report is read with what every remaining target may see
// (their scopes applied in turn), so no channel of the schedule is shown a hidden deployment.
import type { AccessPolicy, Grant } from "../access/policy.ts";
import type { Place } from "../bot/asker.ts";
import type { Resource } from "../queries/resources.ts";
import { restrictResources } from "../queries/scope.ts";
import { describeTarget, type Schedule, type Target } from "./schedule.ts";

/** The place a target stands for, per the field its platform names a channel by; other platforms are the platform alone. */
const CHANNEL_FIELD: Readonly<Record<string, string>> = { slack: "channel", teams: "conversation" };

export function placeOfTarget(target: Target, access: AccessPolicy): Place {
  const field = CHANNEL_FIELD[target.platform];
  const channel: unknown = field === undefined ? undefined : (target as Readonly<Record<string, unknown>>)[field];
  const home = access.home(target.platform);
  return { platform: target.platform, ...(home === undefined ? {} : { workspace: home }), ...(typeof channel === "string" ? { channel } : {}) };
}

export interface Audience {
  /** The schedule with only the targets that may read it. */
  readonly schedule: Schedule;
  /** Targets refused, each with the rule that refused it ("slack C0PAY: rule \"payments\" allows nothing"). */
  readonly refused: readonly string[];
  /** Whether some remaining target sees less than everything: the report must then be read from `resources`. */
  readonly restricted: boolean;
  /** The configured resources as every remaining target may see them (only read when `restricted`). */
  resources(all: () => Promise<readonly Resource[]>): Promise<Resource[]>;
}

export function audienceOf(s: Schedule, access: AccessPolicy | undefined): Audience {
  if (!access) return { schedule: s, refused: [], restricted: false, resources: async (all) => [...(await all())] };
  const granted = s.post.map((target) => ({ target, grant: access.grantFor(placeOfTarget(target, access)) }));
  const allowed = granted.filter((g) => g.grant.allows.has("ask"));
  const refused = granted.filter((g) => !g.grant.allows.has("ask")).map((g) => `${describeTarget(g.target)}: ${g.grant.decidedBy} does not allow ask there`);
  const scopes = allowed.map((g) => g.grant).filter(restricts).map((g) => g.scope);
  return {
    schedule: { ...s, post: allowed.map((g) => g.target) },
    refused,
    restricted: scopes.length > 0,
    resources: async (all) => scopes.reduce<Resource[]>((seen, scope) => restrictResources(seen, scope), [...(await all())]),
  };
}

function restricts(grant: Grant): boolean {
  return grant.scope.resources !== undefined || grant.scope.deployments !== undefined;
}
